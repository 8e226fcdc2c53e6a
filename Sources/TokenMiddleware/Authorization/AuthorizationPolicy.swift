/// A rule that decides whether an authenticated request may proceed.
///
/// Build policies from the static members and combine them:
///
/// ```swift
/// let policy: AuthorizationPolicy = .all([
///     .scopes(allOf: ["orders:write"]),
///     .not(.roles(anyOf: ["suspended"])),
/// ])
/// ```
///
/// Scope and role policies look at one principal at a time: they pass when a *single* identity
/// holds what is needed, so a client application's scopes never combine with a user's to grant
/// what neither holds alone. Pass `from:` to consider only the identity of one authenticator.
/// With no identity at all, they answer "unauthenticated" (401), not "forbidden" (403).
public struct AuthorizationPolicy: Sendable {
    /// The outcome of evaluating a policy.
    public enum Decision: Sendable {
        /// The request may proceed.
        case allowed
        /// The request has no identity the policy could judge: answer 401.
        case unauthenticated
        /// The request is authenticated but refused: answer as the error says (403).
        case denied(AuthorizationError)

        /// Whether the request may proceed.
        public var isAllowed: Bool {
            if case .allowed = self { return true }
            return false
        }
    }

    private let evaluate: @Sendable (HTTPRequest) -> Decision

    /// Creates a policy from a function of the request.
    public init(_ evaluate: @escaping @Sendable (HTTPRequest) -> Decision) {
        self.evaluate = evaluate
    }

    /// Evaluates the policy for `request`.
    /// - Parameter request: the request, with its ``HTTPRequest/identities``.
    /// - Returns: the decision.
    public func decide(for request: HTTPRequest) -> Decision {
        evaluate(request)
    }

    /// Whether `request` may proceed.
    public func isAuthorized(_ request: HTTPRequest) -> Bool {
        decide(for: request).isAllowed
    }
}

extension AuthorizationPolicy {
    /// Allows any request with at least one identity.
    public static let authenticated = AuthorizationPolicy { request in
        request.identities.isEmpty ? .unauthenticated : .allowed
    }

    /// Allows every request.
    public static let allowAll = AuthorizationPolicy { _ in .allowed }

    /// Allows a request when one identity holds **every** scope in `scopes` (OAuth 2.0 `scope`).
    /// Refusal is 403 `insufficient_scope` with `scope="<scopes>"` (RFC 6750 §3.1).
    /// - Parameters:
    ///   - scopes: the required scopes.
    ///   - authenticator: consider only the identity from this authenticator.
    public static func scopes(allOf scopes: Set<String>, from authenticator: String? = nil) -> AuthorizationPolicy {
        let required = scopes.sorted()
        return principals(from: authenticator) { principal in
            scopes.isSubset(of: principal.scopes)
        } denial: {
            AuthorizationError(
                .insufficientScope,
                reason: "requires scopes: \(required.joined(separator: " "))",
                requiredScopes: required
            )
        }
    }

    /// Allows a request when one identity holds **at least one** scope in `scopes`.
    /// - Parameters:
    ///   - scopes: the acceptable scopes.
    ///   - authenticator: consider only the identity from this authenticator.
    public static func scopes(anyOf scopes: Set<String>, from authenticator: String? = nil) -> AuthorizationPolicy {
        let listed = scopes.sorted()
        return principals(from: authenticator) { principal in
            !scopes.isDisjoint(with: principal.scopes)
        } denial: {
            AuthorizationError(
                .insufficientScope,
                reason: "requires one of the scopes: \(listed.joined(separator: " "))",
                requiredScopes: listed
            )
        }
    }

    /// Allows a request when one identity holds **every** role in `roles`.
    public static func roles(allOf roles: Set<String>, from authenticator: String? = nil) -> AuthorizationPolicy {
        let listed = roles.sorted().joined(separator: ", ")
        return principals(from: authenticator) { principal in
            roles.isSubset(of: principal.roles)
        } denial: {
            AuthorizationError(.insufficientRole, reason: "requires roles: \(listed)")
        }
    }

    /// Allows a request when one identity holds **at least one** role in `roles`.
    public static func roles(anyOf roles: Set<String>, from authenticator: String? = nil) -> AuthorizationPolicy {
        let listed = roles.sorted().joined(separator: ", ")
        return principals(from: authenticator) { principal in
            !roles.isDisjoint(with: principal.roles)
        } denial: {
            AuthorizationError(.insufficientRole, reason: "requires one of the roles: \(listed)")
        }
    }

    /// Allows a request when one identity satisfies `test` (for example "owns the resource").
    /// - Parameters:
    ///   - reason: the reason given on refusal (safe to show).
    ///   - authenticator: consider only the identity from this authenticator.
    ///   - test: the predicate on one principal.
    public static func principal(
        _ reason: String = "not allowed",
        from authenticator: String? = nil,
        where test: @escaping @Sendable (Principal) -> Bool
    ) -> AuthorizationPolicy {
        principals(from: authenticator, test) { AuthorizationError(.forbidden, reason: reason) }
    }

    /// Allows a request when `test` holds for the whole request (identities, path, method).
    /// Refusal is 403 `forbidden`, also for requests without identity.
    public static func predicate(
        _ reason: String = "not allowed",
        _ test: @escaping @Sendable (HTTPRequest) -> Bool
    ) -> AuthorizationPolicy {
        AuthorizationPolicy { request in
            test(request) ? .allowed : .denied(AuthorizationError(.forbidden, reason: reason))
        }
    }

    /// Allows a request that every policy allows; the first refusal is the answer.
    /// An empty list allows everything.
    public static func all(_ policies: [AuthorizationPolicy]) -> AuthorizationPolicy {
        AuthorizationPolicy { request in
            for policy in policies {
                let decision = policy.decide(for: request)
                if !decision.isAllowed { return decision }
            }
            return .allowed
        }
    }

    /// Allows a request that at least one policy allows. Otherwise the answer is 401 when a
    /// policy lacked an identity, else the first refusal. An empty list refuses everything.
    public static func any(_ policies: [AuthorizationPolicy]) -> AuthorizationPolicy {
        AuthorizationPolicy { request in
            var firstDenial: AuthorizationError?
            var unauthenticated = false
            for policy in policies {
                switch policy.decide(for: request) {
                case .allowed: return .allowed
                case .unauthenticated: unauthenticated = true
                case .denied(let error): firstDenial = firstDenial ?? error
                }
            }
            if unauthenticated { return .unauthenticated }
            return .denied(firstDenial ?? AuthorizationError(.forbidden, reason: "not allowed"))
        }
    }

    /// Allows exactly the requests `policy` does not allow.
    /// - Parameter reason: the reason given when `policy` allows (and this therefore refuses).
    public static func not(_ policy: AuthorizationPolicy, reason: String = "not allowed") -> AuthorizationPolicy {
        AuthorizationPolicy { request in
            policy.decide(for: request).isAllowed
                ? .denied(AuthorizationError(.forbidden, reason: reason))
                : .allowed
        }
    }

    /// A policy over single principals: allowed when one (optionally from `authenticator`)
    /// passes `test`; 401 without candidates; else `denial()`.
    private static func principals(
        from authenticator: String?,
        _ test: @escaping @Sendable (Principal) -> Bool,
        denial: @escaping @Sendable () -> AuthorizationError
    ) -> AuthorizationPolicy {
        AuthorizationPolicy { request in
            let candidates = request.identities.filter { authenticator == nil || $0.authenticator == authenticator }
            if candidates.isEmpty { return .unauthenticated }
            return candidates.contains(where: test) ? .allowed : .denied(denial())
        }
    }
}
