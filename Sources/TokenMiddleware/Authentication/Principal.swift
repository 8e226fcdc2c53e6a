/// An authenticated identity: who made the request, according to one authenticator.
///
/// A request can carry several at once (a client application's from a dynamic token and a
/// user's from a JWT); see ``Identities``.
///
/// A value type whose fields live in one shared, copy-on-write box: a principal is copied at
/// every step of the middleware chain (into the request, into ``Identities``, out to handlers),
/// and a copy now costs one reference count instead of one per field (profile in
/// Docs/ExampleServer.md). Mutating a copy never affects another.
public struct Principal: Sendable {
    private final class Storage: Sendable {
        let subject: String
        let authenticator: String
        let scopes: Set<String>
        let roles: Set<String>
        let attributes: [String: String]
        let details: (any Sendable)?

        init(
            subject: String, authenticator: String, scopes: Set<String>, roles: Set<String>,
            attributes: [String: String], details: (any Sendable)?
        ) {
            self.subject = subject
            self.authenticator = authenticator
            self.scopes = scopes
            self.roles = roles
            self.attributes = attributes
            self.details = details
        }

        /// A copy with one field changed (immutable storage: a setter builds a new box).
        func with(
            subject: String? = nil, authenticator: String? = nil, scopes: Set<String>? = nil, roles: Set<String>? = nil,
            attributes: [String: String]? = nil, details: (any Sendable)?? = nil
        ) -> Storage {
            Storage(
                subject: subject ?? self.subject, authenticator: authenticator ?? self.authenticator,
                scopes: scopes ?? self.scopes, roles: roles ?? self.roles, attributes: attributes ?? self.attributes,
                details: details ?? self.details
            )
        }
    }

    private var storage: Storage

    /// The subject: a user id, client id, or API key owner.
    public var subject: String {
        get { storage.subject }
        set { storage = storage.with(subject: newValue) }
    }

    /// The ``Authenticator/name`` of the authenticator that established this identity.
    public var authenticator: String {
        get { storage.authenticator }
        set {
            // Set by the authentication middleware on every request, usually to the value the
            // authenticator already wrote: keep the shared box then.
            guard newValue != storage.authenticator else { return }
            storage = storage.with(authenticator: newValue)
        }
    }

    /// Granted scopes (OAuth 2.0 `scope`, RFC 8693 §4.2), checked by the scope guards.
    public var scopes: Set<String> {
        get { storage.scopes }
        set { storage = storage.with(scopes: newValue) }
    }

    /// Granted roles, checked by the role guards.
    public var roles: Set<String> {
        get { storage.roles }
        set { storage = storage.with(roles: newValue) }
    }

    /// Small verified string attributes for logs and handlers (`"kid"`, `"format"`).
    public var attributes: [String: String] {
        get { storage.attributes }
        set { storage = storage.with(attributes: newValue) }
    }

    /// The full verified result in its own type (JWT claims, an API key record), read with
    /// ``details(as:)``.
    public var details: (any Sendable)? {
        get { storage.details }
        set { storage = storage.with(details: .some(newValue)) }
    }

    /// Creates a principal.
    /// - Parameters:
    ///   - subject: who made the request.
    ///   - authenticator: the name of the authenticator establishing it.
    ///   - scopes: granted scopes.
    ///   - roles: granted roles.
    ///   - attributes: small verified string attributes.
    ///   - details: the full verified result.
    public init(
        subject: String,
        authenticator: String,
        scopes: Set<String> = [],
        roles: Set<String> = [],
        attributes: [String: String] = [:],
        details: (any Sendable)? = nil
    ) {
        storage = Storage(
            subject: subject, authenticator: authenticator, scopes: scopes, roles: roles,
            attributes: attributes, details: details
        )
    }

    /// The verified details as `T`, or `nil` when they are absent or of another type.
    public func details<T>(as type: T.Type = T.self) -> T? { storage.details as? T }
}
