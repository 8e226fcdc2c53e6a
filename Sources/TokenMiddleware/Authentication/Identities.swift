/// The identities attached to a request by authentication, in the order established.
public struct Identities: Sendable {
    public private(set) var all: [Principal] = []

    public init() {}

    /// Whether no identity has been established.
    public var isEmpty: Bool { all.isEmpty }

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

    /// The first identity, or throws ``AuthenticationError`` (`missing_credentials`).
    public func require() throws -> Principal {
        guard let principal = all.first else { throw AuthenticationError.missingCredentials() }
        return principal
    }

    /// The identity from authenticator `name`, or throws ``AuthenticationError``.
    public func require(from authenticator: String) throws -> Principal {
        guard let principal = from(authenticator) else {
            throw AuthenticationError.missingCredentials("no identity from authenticator '\(authenticator)'")
        }
        return principal
    }

    /// The details of type `T` from the first identity that has them, or throws.
    public func require<T>(_ type: T.Type) throws -> T {
        guard let found = first(withDetails: type) else {
            throw AuthenticationError.missingCredentials("no identity with \(T.self) details")
        }
        return found.details
    }
}
