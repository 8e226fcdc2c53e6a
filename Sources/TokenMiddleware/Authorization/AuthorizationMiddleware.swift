/// A guard: lets a request through only when its ``AuthorizationPolicy`` allows it.
///
/// Place it after an ``AuthenticationMiddleware``. A request without identity gets 401 (with the
/// route's challenges); an authenticated but refused one gets 403, with
/// `error="insufficient_scope"` and the needed `scope` when scopes were missing (RFC 6750 §3.1).
/// With `denial: .notFound` both answers become a plain 404, hiding the route.
///
/// ```swift
/// let admin = [
///     AuthenticationMiddleware([jwt]),
///     AuthorizationMiddleware(.roles(anyOf: ["admin"]), denial: .notFound),
/// ].wrapping(adminRouter)
/// ```
public struct AuthorizationMiddleware: Middleware {
    /// The rule enforced.
    public let policy: AuthorizationPolicy
    /// How refusals are answered.
    public let denial: AuthorizationDenial

    /// Creates the guard.
    /// - Parameters:
    ///   - policy: the rule to enforce; ``AuthorizationPolicy/authenticated`` by default.
    ///   - denial: how refusals are answered; 403 by default.
    public init(_ policy: AuthorizationPolicy = .authenticated, denial: AuthorizationDenial = .forbidden) {
        self.policy = policy
        self.denial = denial
    }

    /// Checks the policy, then calls `next` or throws.
    /// - Throws: ``AuthenticationError`` (401) without identity, ``AuthorizationError`` (403 or
    ///   the configured denial) when refused.
    public func respond(to request: HTTPRequest, next: any Responder) async throws -> HTTPResponse {
        switch policy.decide(for: request) {
        case .allowed:
            return try await next.respond(to: request)
        case .unauthenticated:
            if denial.concealsResource {
                throw AuthorizationError(.forbidden, reason: "not found", denial: denial)
            }
            var error = AuthenticationError.missingCredentials()
            error.challenges = request.acceptedChallenges
            throw error
        case .denied(var error):
            error.denial = denial
            if error.challenges.isEmpty {
                let own = request.challengesOfIdentities
                error.challenges = own.isEmpty ? request.acceptedChallenges : own
            }
            throw error
        }
    }
}
