public import TokenMiddleware

/// The example's application: the custom authenticator used alone and composed with a built-in
/// one, each route a plain middleware array folded around a handler.
///
/// | route | accepts |
/// | --- | --- |
/// | `POST /webhooks/billing` | a valid webhook signature |
/// | `POST /events` | a webhook signature **or** a Bearer JWT (any-of) |
/// | `POST /admin/replay` | a webhook signature **and** a Bearer JWT with scope `events:replay` (all-of) |
///
/// ``ErrorMiddleware`` is outermost, so every failure (the custom ``WebhookSignatureError``
/// included) becomes the same 401/403 response with challenges for every accepted scheme.
public struct WebhookApp: Responder {
    private let routes: [String: any Responder]

    /// Builds the routes.
    /// - Parameters:
    ///   - webhooks: The custom authenticator.
    ///   - bearer: A built-in authenticator for callers (a `JWTAuthenticator` in the tests).
    public init(webhooks: WebhookSignatureAuthenticator, bearer: any Authenticator) {
        let echo = ClosureResponder { request in
            let names = request.identities.map { "\($0.authenticator):\($0.subject)" }
            return .text("accepted " + names.joined(separator: " "))
        }
        let errors = ErrorMiddleware(realm: "webhooks")
        routes = [
            "/webhooks/billing": [errors, AuthenticationMiddleware([webhooks])].wrapping(echo),
            "/events": [errors, AuthenticationMiddleware([webhooks, bearer], policy: .anyOf)].wrapping(echo),
            "/admin/replay": [
                errors,
                AuthenticationMiddleware([webhooks, bearer], policy: .allOf),
                AuthorizationMiddleware(.scopes(allOf: ["events:replay"], from: bearer.name)),
            ].wrapping(echo),
        ]
    }

    public func respond(to request: HTTPRequest) async throws -> HTTPResponse {
        guard request.method == .post, let route = routes[String(request.path)] else {
            return .text("not found", status: .notFound)
        }
        return try await route.respond(to: request)
    }
}
