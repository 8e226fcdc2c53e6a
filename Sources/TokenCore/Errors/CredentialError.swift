/// A failure that means a presented credential cannot be accepted.
///
/// Every domain error type (`JWTError`, `DynamicTokenError`, `APIKeyError`, `SessionError`)
/// conforms, so the HTTP layer turns any of them into a response in one place without knowing
/// the domain. TokenCore itself knows no HTTP: ``CredentialFailureKind`` says what kind of
/// failure it is, and TokenMiddleware decides the status code.
public protocol CredentialError: Error, Sendable {
    /// A stable machine-readable code, namespaced by domain: `"jwt.expired"`, `"api_key.revoked"`.
    var machineCode: String { get }
    /// A human-readable reason that is safe to show to the client: it never contains the
    /// credential, a secret, or key material.
    var reason: String { get }
    /// What kind of failure this is.
    var failureKind: CredentialFailureKind { get }
}

/// The kinds of credential failure, which the HTTP layer maps to status codes.
public enum CredentialFailureKind: Sendable, Hashable {
    /// The credential is present but invalid: expired, bad signature, unknown, revoked (HTTP 401).
    case invalid
    /// The request around the credential is malformed: two `Authorization` headers, a
    /// credential in two places at once (HTTP 400, RFC 6750 `invalid_request`).
    case malformedRequest
    /// State needed to decide (a replay cache, a revocation list) could not be consulted; the
    /// credential is refused, never accepted (fail closed, HTTP 503).
    case unavailable
}
