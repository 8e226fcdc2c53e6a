import TokenMiddleware
import Vapor

/// Registers the example server's protected routes on `app`:
///
/// | route | requires |
/// | --- | --- |
/// | `GET /health` | nothing |
/// | `GET /api/me` | a Bearer JWT |
/// | `GET /api/service` | a dynamic token (signed or legacy) |
/// | `GET /api/partner` | an API key |
/// | `GET /api/partner/reports` | an API key with scope `reports:read` |
/// | `GET /api/combined` | a dynamic token **and** a JWT |
/// | `GET /api/any` | any one of JWT, dynamic token, API key |
public func registerDemoRoutes(on app: Application, auth: DemoAuthenticators) {
    app.get("health") { _ in #"{"status":"ok"}"# }
    func guarded(_ authenticators: [any TokenMiddleware.Authenticator], policy: AuthenticationMiddleware.Policy = .anyOf, scopes: Set<String>? = nil) -> TokenAuthMiddleware {
        TokenAuthMiddleware(
            authenticators: authenticators, policy: policy,
            authorization: scopes.map { AuthorizationPolicy.scopes(allOf: $0) }, realm: DemoAuthenticators.realm
        )
    }
    let api = app.grouped("api")
    api.grouped(guarded([auth.jwt])).get("me") { req in try identityBody(req.identities) }
    api.grouped(guarded([auth.dynamicToken])).get("service") { req in try identityBody(req.identities) }
    api.grouped(guarded([auth.apiKey])).get("partner") { req in try identityBody(req.identities) }
    api.grouped(guarded([auth.apiKey], scopes: ["reports:read"])).get("partner", "reports") { req in try identityBody(req.identities) }
    api.grouped(guarded([auth.dynamicToken, auth.jwt], policy: .allOf)).get("combined") { req in try identityBody(req.identities) }
    api.grouped(guarded([auth.jwt, auth.dynamicToken, auth.apiKey])).get("any") { req in
        // The Vapor way works too: the first identity is logged in.
        _ = try req.auth.require(Principal.self)
        return try identityBody(req.identities)
    }
}

/// `authenticator:subject [scopes]` for each identity, one per line. `require()` throws if the
/// middleware was left out by mistake.
func identityBody(_ identities: Identities) throws -> String {
    _ = try identities.require()
    return identities.map { "\($0.authenticator):\($0.subject) [\($0.scopes.sorted().joined(separator: " "))]" }
        .joined(separator: "\n")
}
