public import TokenCore

/// Authentication failed: the credential is missing, invalid, malformed, or could not be checked.
///
/// Authenticators throw it (usually by wrapping a TokenCore ``CredentialError`` with
/// ``init(_:authenticator:)``); ``ErrorMiddleware`` turns it into a 401 (400, 503) response with
/// one `WWW-Authenticate` challenge per accepted scheme. ``AuthenticationMiddleware`` fills in
/// ``challenges`` and ``rejectedChallenge`` on the way out, so an authenticator only states what
/// went wrong.
public struct AuthenticationError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure, which decides the status code.
    public enum Kind: Sendable, Hashable {
        /// No credential was presented where one is required (401, challenge without `error`).
        case missing
        /// A credential was presented and is invalid (401, `error="invalid_token"`).
        case invalid
        /// The request around the credential is malformed (400, `error="invalid_request"`).
        case malformedRequest
        /// State needed to decide could not be consulted; refused (503).
        case unavailable
    }

    /// The kind of failure, which decides the status code.
    public var kind: Kind
    /// A stable machine-readable code: `"missing_credentials"`, `"jwt.expired"`, …
    public var code: String
    /// A human-readable reason, safe to show: never the credential or a secret.
    public var reason: String
    /// The ``Authenticator/name`` of the authenticator that rejected the credential, if any.
    public var authenticator: String?
    /// The challenges of every scheme the rejecting route accepts, sent as `WWW-Authenticate`
    /// fields (RFC 9110 §11.6.1). Filled in by ``AuthenticationMiddleware``; when empty,
    /// ``ErrorMiddleware`` sends its fallback challenge.
    public var challenges: [AuthenticationChallenge] = []
    /// The challenge of the authenticator that rejected the credential: the one that gets the
    /// `error` and `error_description` parameters (RFC 6750 §3).
    public var rejectedChallenge: AuthenticationChallenge?

    /// Creates an error.
    /// - Parameters:
    ///   - kind: the kind of failure, which decides the status code.
    ///   - code: a stable machine-readable code, namespaced by domain (`"jwt.expired"`).
    ///   - reason: a human-readable reason that never contains the credential or a secret.
    ///   - authenticator: the name of the rejecting authenticator, if known.
    public init(kind: Kind, code: String, reason: String, authenticator: String? = nil) {
        self.kind = kind
        self.code = code
        self.reason = reason
        self.authenticator = authenticator
    }

    /// Wraps a TokenCore credential error raised while verifying `authenticator`'s credential.
    ///
    /// The kind follows the error's ``CredentialError/failureKind``; code and reason are copied.
    /// - Parameters:
    ///   - error: the domain error (`JWTError`, `APIKeyError`, …).
    ///   - authenticator: the name of the authenticator that raised it.
    public init(_ error: some CredentialError, authenticator: String? = nil) {
        let kind: Kind = switch error.failureKind {
        case .invalid: .invalid
        case .malformedRequest: .malformedRequest
        case .unavailable: .unavailable
        }
        self.init(kind: kind, code: error.machineCode, reason: error.reason, authenticator: authenticator)
    }

    /// No credential was presented (code `missing_credentials`, HTTP 401 without `error`).
    public static func missingCredentials(_ reason: String = "authentication is required") -> AuthenticationError {
        AuthenticationError(kind: .missing, code: "missing_credentials", reason: reason)
    }

    /// The request around the credential is malformed (code `invalid_request`, HTTP 400): two
    /// `Authorization` headers, a Bearer value that is not one b64token (RFC 6750 §3.1).
    public static func malformedRequest(_ reason: String) -> AuthenticationError {
        AuthenticationError(kind: .malformedRequest, code: "invalid_request", reason: reason)
    }

    /// A presented credential is not valid (code `invalid_token` unless given, HTTP 401).
    public static func invalidCredentials(
        _ reason: String = "the credential is not valid", code: String = "invalid_token"
    ) -> AuthenticationError {
        AuthenticationError(kind: .invalid, code: code, reason: reason)
    }

    public var description: String { "AuthenticationError(\(code)): \(reason)" }
}
