/// The identities attached to a request by authentication, in the order established.
///
/// A request can carry several at once: with an all-of ``AuthenticationMiddleware`` over a
/// dynamic-token and a JWT authenticator, the client application's identity and the user's.
/// Look one up by authenticator name or by the type of its details; the `require…` forms throw
/// ``AuthenticationError`` (401) instead of returning `nil`.
///
/// ```swift
/// let user = try request.identities.require(from: "jwt")
/// let claims = try request.identities.require(JWTClaims.self)
/// ```
public struct Identities: Sendable, Sequence {
    /// Every identity, in the order established.
    public private(set) var all: [Principal] = []

    /// Creates an empty set of identities.
    public init() {}

    public func makeIterator() -> IndexingIterator<[Principal]> { all.makeIterator() }

    /// Whether no identity has been established.
    public var isEmpty: Bool { all.isEmpty }

    /// The number of identities.
    public var count: Int { all.count }

    /// Adds an identity.
    public mutating func append(_ principal: Principal) { all.append(principal) }

    /// The first identity, or `nil`.
    public var first: Principal? { all.first }

    /// The identity established by the authenticator named `name`, or `nil`.
    public func from(_ authenticator: String) -> Principal? {
        all.first { $0.authenticator == authenticator }
    }

    /// The first identity whose details are of type `T`, with those details.
    public func first<T>(withDetails type: T.Type) -> (principal: Principal, details: T)? {
        for principal in all {
            if let details = principal.details as? T { return (principal, details) }
        }
        return nil
    }

    /// The first identity.
    /// - Throws: ``AuthenticationError`` (`missing_credentials`) when there is none.
    public func require() throws(AuthenticationError) -> Principal {
        guard let principal = all.first else { throw AuthenticationError.missingCredentials() }
        return principal
    }

    /// The identity from authenticator `name`.
    /// - Throws: ``AuthenticationError`` (`missing_credentials`) when there is none.
    public func require(from authenticator: String) throws(AuthenticationError) -> Principal {
        guard let principal = from(authenticator) else {
            throw AuthenticationError.missingCredentials("no identity from authenticator '\(authenticator)'")
        }
        return principal
    }

    /// The details of type `T` from the first identity that has them.
    /// - Throws: ``AuthenticationError`` (`missing_credentials`) when no identity has them.
    public func require<T>(_ type: T.Type) throws(AuthenticationError) -> T {
        guard let found = first(withDetails: type) else {
            throw AuthenticationError.missingCredentials("no identity with \(T.self) details")
        }
        return found.details
    }
}
