import TokenCore

/// Runs a list of authenticators on every request and attaches what they establish to
/// ``HTTPRequest/identities``.
///
/// Two policies decide how the authenticators combine:
/// - ``Policy/anyOf``: the first authenticator (in order) that finds a valid credential wins and
///   its identity is attached. Every authenticator still looks at the request, and one that
///   finds its credential *invalid* fails the request, wherever it stands in the list: an invalid
///   credential is never skipped because another scheme succeeded, so a forged API key next to a
///   valid JWT is refused. Authenticators that share a header (two Bearer formats) must return
///   `nil` for tokens that are not of their format.
/// - ``Policy/allOf``: every authenticator must find a valid credential (a client application's
///   dynamic token *and* a user's JWT); all identities are attached.
///
/// Authentication is ``Requirement/required`` by default: a request without any credential gets
/// a 401 listing every accepted scheme, never a silent pass-through. With
/// ``Requirement/optional`` such a request goes on without identities (a presented but invalid
/// credential still fails), and a guard such as ``AuthorizationMiddleware`` decides later.
///
/// ```swift
/// let api = [
///     ErrorMiddleware(),
///     AuthenticationMiddleware([jwtAuthenticator, apiKeyAuthenticator]),
///     AuthorizationMiddleware(.scopes(allOf: ["items:read"])),
/// ].wrapping(itemsHandler)
/// ```
///
/// Failures are thrown as ``AuthenticationError`` carrying the challenges of every listed
/// authenticator; ``ErrorMiddleware`` renders them (RFC 9110 §11.6.1, RFC 6750 §3).
public struct AuthenticationMiddleware: Middleware {
    /// How the authenticators combine.
    public enum Policy: Sendable, Hashable {
        /// The first authenticator that finds a valid credential wins; an invalid credential
        /// found by any of them fails the request.
        case anyOf
        /// Every authenticator must find a valid credential.
        case allOf
    }

    /// Whether a request without any credential may pass.
    public enum Requirement: Sendable, Hashable {
        /// No credential → 401. The default.
        case required
        /// No credential → the request goes on without identities. A present but invalid
        /// credential still fails.
        case optional
    }

    /// The authenticators, in the order they run.
    public let authenticators: [any Authenticator]
    /// How the authenticators combine.
    public let policy: Policy
    /// Whether a request without any credential may pass.
    public let requirement: Requirement
    // The authenticators' challenges, read once here: authenticators are immutable values, and
    // building them per request cost allocations on every authenticated request.
    private let challenges: [AuthenticationChallenge]
    private let namedChallenges: [NamedChallenge]

    /// Creates the middleware.
    /// - Parameters:
    ///   - authenticators: the accepted credential kinds, tried in this order. With an empty list
    ///     no request can authenticate, so a required middleware answers every request with 401.
    ///   - policy: ``Policy/anyOf`` (default) or ``Policy/allOf``.
    ///   - requirement: ``Requirement/required`` (default) or ``Requirement/optional``.
    public init(
        _ authenticators: [any Authenticator],
        policy: Policy = .anyOf,
        requirement: Requirement = .required
    ) {
        self.authenticators = authenticators
        self.policy = policy
        self.requirement = requirement
        self.challenges = authenticators.map(\.challenge)
        self.namedChallenges = authenticators.map { NamedChallenge(authenticator: $0.name, challenge: $0.challenge) }
    }

    /// Authenticates `request`, attaches the identities and calls `next`.
    /// - Throws: ``AuthenticationError`` with the accepted challenges when a credential is
    ///   invalid or malformed, or when a required credential is missing; any other error an
    ///   authenticator throws (an unreachable store) passes through unchanged.
    public func respond(to request: HTTPRequest, next: any Responder) async throws -> HTTPResponse {
        var request = request
        if var accepted = request.storage[AcceptedChallengesKey.self] {
            accepted.append(contentsOf: namedChallenges)
            request.storage[AcceptedChallengesKey.self] = accepted
        } else {
            // The usual case (one authentication middleware per route): share the array.
            request.storage[AcceptedChallengesKey.self] = namedChallenges
        }

        if authenticators.count == 1 {
            // The usual route (one scheme): both policies reduce to "that one must succeed".
            // Inline rather than in helpers: each async call level costs the runtime an
            // executor check (swift_task_switch) on every request.
            let authenticator = authenticators[0]
            let found: Principal?
            do {
                found = try await authenticator.authenticate(request)
            } catch {
                throw Self.decorate(error, from: authenticator, challenges: challenges)
            }
            if var principal = found {
                principal.authenticator = authenticator.name
                request.identities.append(principal)
            } else if requirement == .required {
                throw missingCredentials()
            }
        } else {
            try await authenticateWithAll(&request)
        }
        do {
            return try await next.respond(to: request)
        } catch var error as AuthenticationError where error.challenges.isEmpty {
            // A handler's `identities.require()` behind an optional middleware: advertise this
            // route's schemes rather than the error middleware's fallback.
            error.challenges = challenges
            throw error
        }
    }

    /// Runs every authenticator under the policy and attaches the identities to `request`.
    private func authenticateWithAll(_ request: inout HTTPRequest) async throws {
        var established: [Principal] = []
        var missing: [String] = []
        established.reserveCapacity(policy == .allOf ? authenticators.count : 1)
        for authenticator in authenticators {
            let found: Principal?
            do {
                found = try await authenticator.authenticate(request)
            } catch {
                throw Self.decorate(error, from: authenticator, challenges: challenges)
            }
            if var principal = found {
                principal.authenticator = authenticator.name
                // any-of attaches the first identity only, but keeps asking the others so that a
                // present-but-invalid credential fails the request whatever its position.
                if policy == .allOf || established.isEmpty { established.append(principal) }
            } else {
                missing.append(authenticator.name)
            }
        }

        if established.isEmpty {
            guard requirement == .optional else { throw missingCredentials() }
        } else if policy == .allOf, !missing.isEmpty {
            // Some but not all credentials: incomplete, even when authentication is optional.
            throw missingCredentials("credentials missing for: \(missing.joined(separator: ", "))")
        }
        for principal in established { request.identities.append(principal) }
    }

    /// A missing-credentials error carrying this route's challenges.
    private func missingCredentials(_ reason: String = "authentication is required") -> AuthenticationError {
        var error = AuthenticationError.missingCredentials(reason)
        error.challenges = challenges
        return error
    }

    /// The error an authenticator threw, with this route's challenges attached.
    static func decorate(
        _ error: any Error, from authenticator: any Authenticator, challenges: [AuthenticationChallenge]
    ) -> any Error {
        var failure: AuthenticationError
        if let error = error as? AuthenticationError {
            failure = error
        } else if let error = error as? any CredentialError {
            failure = AuthenticationError(error, authenticator: authenticator.name)
        } else {
            return error
        }
        if failure.authenticator == nil { failure.authenticator = authenticator.name }
        if failure.challenges.isEmpty { failure.challenges = challenges }
        if failure.rejectedChallenge == nil, failure.kind != .missing {
            failure.rejectedChallenge = authenticator.challenge
        }
        return failure
    }
}

// MARK: - Challenges recorded for later guards

/// A challenge together with the name of the authenticator that advertises it.
struct NamedChallenge: Sendable {
    var authenticator: String
    var challenge: AuthenticationChallenge
}

/// The challenges of every ``AuthenticationMiddleware`` the request passed, so a guard further
/// in can answer 401 or 403 with the right `WWW-Authenticate` schemes.
enum AcceptedChallengesKey: RequestStorageKey {
    typealias Value = [NamedChallenge]
}

extension RequestStorage {
    subscript<Key: RequestStorageKey>(_ key: Key.Type, default value: @autoclosure () -> Key.Value) -> Key.Value {
        get { self[key] ?? value() }
        set { self[key] = newValue }
    }
}

extension HTTPRequest {
    /// The challenges of every scheme accepted on this route, in order, without duplicates.
    var acceptedChallenges: [AuthenticationChallenge] {
        var seen: [AuthenticationChallenge] = []
        for named in storage[AcceptedChallengesKey.self] ?? [] where !seen.contains(named.challenge) {
            seen.append(named.challenge)
        }
        return seen
    }

    /// The challenges of the authenticators that established this request's identities.
    var challengesOfIdentities: [AuthenticationChallenge] {
        let names = Set(identities.map(\.authenticator))
        var seen: [AuthenticationChallenge] = []
        for named in storage[AcceptedChallengesKey.self] ?? []
        where names.contains(named.authenticator) && !seen.contains(named.challenge) {
            seen.append(named.challenge)
        }
        return seen
    }
}
