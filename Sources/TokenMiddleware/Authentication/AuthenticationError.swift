public import TokenCore

/// Authentication failed: the credential is missing, invalid, malformed, or could not be checked.
///
/// Authenticators throw it (usually by wrapping a TokenCore ``CredentialError``); the error
/// middleware turns it into a 401 (400, 503) response with `WWW-Authenticate` challenges.
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

    public var kind: Kind
    /// A stable machine-readable code: `"missing_credentials"`, `"jwt.expired"`, …
    public var code: String
    /// A human-readable reason, safe to show: never the credential or a secret.
    public var reason: String
    /// The ``Authenticator/name`` of the authenticator that rejected the credential, if any.
    public var authenticator: String?

    public init(kind: Kind, code: String, reason: String, authenticator: String? = nil) {
        self.kind = kind
        self.code = code
        self.reason = reason
        self.authenticator = authenticator
    }

    /// Wraps a TokenCore credential error raised while verifying `authenticator`'s credential.
    public init(_ error: some CredentialError, authenticator: String? = nil) {
        let kind: Kind = switch error.failureKind {
        case .invalid: .invalid
        case .malformedRequest: .malformedRequest
        case .unavailable: .unavailable
        }
        self.init(kind: kind, code: error.machineCode, reason: error.reason, authenticator: authenticator)
    }

    /// No credential was presented.
    public static func missingCredentials(_ reason: String = "authentication is required") -> AuthenticationError {
        AuthenticationError(kind: .missing, code: "missing_credentials", reason: reason)
    }

    public var description: String { "AuthenticationError(\(code)): \(reason)" }
}
