import Foundation
import Hummingbird
import TokenCore
import TokenMiddleware

/// The request context of the demo: Hummingbird's core storage plus the identities.
public struct DemoContext: TokenAuthRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identities = Identities()
    public init(source: ApplicationRequestContextSource) { coreContext = .init(source: source) }
}

/// The example server's protected routes, served by Hummingbird:
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
public func makeRouter(auth: DemoAuthenticators) -> Router<DemoContext> {
    let router = Router(context: DemoContext.self)
    router.get("health") { _, _ in #"{"status":"ok"}"# }
    let api = router.group("api")
    func guarded(_ authenticators: [any Authenticator], policy: AuthenticationMiddleware.Policy = .anyOf, scopes: Set<String>? = nil) -> TokenAuthMiddleware<DemoContext> {
        TokenAuthMiddleware(
            authenticators: authenticators, policy: policy,
            authorization: scopes.map { AuthorizationPolicy.scopes(allOf: $0) }, realm: DemoAuthenticators.realm
        )
    }
    api.group("me").add(middleware: guarded([auth.jwt])).get { _, context in try identityBody(context.identities) }
    api.group("service").add(middleware: guarded([auth.dynamicToken])).get { _, context in try identityBody(context.identities) }
    api.group("partner").add(middleware: guarded([auth.apiKey])).get { _, context in try identityBody(context.identities) }
    api.group("partner/reports").add(middleware: guarded([auth.apiKey], scopes: ["reports:read"]))
        .get { _, context in try identityBody(context.identities) }
    api.group("combined").add(middleware: guarded([auth.dynamicToken, auth.jwt], policy: .allOf))
        .get { _, context in try identityBody(context.identities) }
    api.group("any").add(middleware: guarded([auth.jwt, auth.dynamicToken, auth.apiKey]))
        .get { _, context in try identityBody(context.identities) }
    return router
}

/// `authenticator:subject[scopes]` for each identity, one per line: enough for the tests and
/// for a reader with curl. `require()` throws if the middleware was left out by mistake.
func identityBody(_ identities: Identities) throws -> String {
    _ = try identities.require()
    return identities.map { "\($0.authenticator):\($0.subject) [\($0.scopes.sorted().joined(separator: " "))]" }
        .joined(separator: "\n")
}
