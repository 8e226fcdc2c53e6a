/// An authenticated identity: who made the request, according to one authenticator.
///
/// A request can carry several at once (a client application's from a dynamic token and a
/// user's from a JWT); see ``Identities``.
public struct Principal: Sendable {
    /// The subject: a user id, client id, or API key owner.
    public var subject: String
    /// The ``Authenticator/name`` of the authenticator that established this identity.
    public var authenticator: String
    /// Granted scopes (OAuth 2.0 `scope`, RFC 8693 §4.2), checked by the scope guards.
    public var scopes: Set<String>
    /// Granted roles, checked by the role guards.
    public var roles: Set<String>
    /// Small verified string attributes for logs and handlers (`"kid"`, `"format"`).
    public var attributes: [String: String]
    /// The full verified result in its own type (JWT claims, an API key record), read with
    /// ``details(as:)``.
    public var details: (any Sendable)?

    public init(
        subject: String,
        authenticator: String,
        scopes: Set<String> = [],
        roles: Set<String> = [],
        attributes: [String: String] = [:],
        details: (any Sendable)? = nil
    ) {
        self.subject = subject
        self.authenticator = authenticator
        self.scopes = scopes
        self.roles = roles
        self.attributes = attributes
        self.details = details
    }

    /// The verified details as `T`, or `nil` when they are absent or of another type.
    public func details<T>(as type: T.Type = T.self) -> T? { details as? T }
}
