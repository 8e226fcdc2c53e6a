import Foundation
import Testing
import TokenCore
import TokenMiddleware
import Vapor
import VaporIntegration
import VaporTesting

/// The adapter under the real Vapor stack (VaporTesting's in-memory tester): every scheme, both
/// compositions, scopes and each failure status.
@Suite struct VaporIntegrationTests {
    let clock = ManualClock(Date(timeIntervalSince1970: 1_767_225_600))
    let auth: DemoAuthenticators

    init() throws { auth = try DemoAuthenticators(clock: clock) }

    struct Reply {
        var status: Int
        var challenges: [String]
        var body: String
    }

    func get(_ path: String, _ headers: [(String, String)] = [], routes: (@Sendable (Application) -> Void)? = nil, body: [UInt8] = []) async throws -> Reply {
        let auth = self.auth
        return try await withApp { app in
            if let routes { routes(app) } else { registerDemoRoutes(on: app, auth: auth) }
            var reply: Reply?
            try await app.testing().test(.GET, path, headers: NIOHTTP1.HTTPHeaders(headers), body: ByteBuffer(bytes: body)) { response in
                reply = Reply(status: Int(response.status.code), challenges: response.headers[canonicalForm: "WWW-Authenticate"].map(String.init), body: String(buffer: response.body))
            }
            return try #require(reply)
        }
    }

    /// What TokenMiddleware itself answers for the same chain: the adapter must not differ.
    func reference(_ chain: [any TokenMiddleware.Middleware], _ headers: [(String, String)]) async throws -> Reply {
        let responder = ([TokenMiddleware.ErrorMiddleware(realm: DemoAuthenticators.realm)] + chain).wrapping(TokenMiddleware.ClosureResponder { _ in .text("ok") })
        let response = try await responder.respond(to: TokenMiddleware.HTTPRequest(method: .get, target: "/", headers: TokenMiddleware.HTTPHeaders(headers)))
        return Reply(status: response.status.code, challenges: response.headers.values(for: "WWW-Authenticate"), body: response.bodyText ?? "")
    }

    func post(_ path: String, routes: @escaping @Sendable (Application) -> Void, body: [UInt8]) async throws -> Reply {
        try await withApp { app in
            routes(app)
            var reply: Reply?
            try await app.testing().test(.POST, path, body: ByteBuffer(bytes: body)) { response in
                reply = Reply(status: Int(response.status.code), challenges: [], body: String(buffer: response.body))
            }
            return try #require(reply)
        }
    }

    @Test func healthNeedsNothing() async throws {
        #expect(try await get("/health").status == 200)
    }

    @Test func jwtAcceptedAndIdentityInContext() async throws {
        let reply = try await get("/api/me", [("Authorization", "Bearer \(try auth.jwt(subject: "alice", scopes: ["profile:read"]))")])
        #expect(reply.status == 200)
        #expect(reply.body == "jwt:alice [profile:read]")
    }

    @Test func missingJWTIs401WithTheSameChallengeAndBodyAsTheFramework() async throws {
        let reply = try await get("/api/me")
        let expected = try await reference([AuthenticationMiddleware([auth.jwt])], [])
        #expect(reply.status == 401)
        #expect(reply.challenges == [#"Bearer realm="token-auth-demo""#])
        #expect(reply.challenges == expected.challenges)
        #expect(reply.body == expected.body)
    }

    @Test func invalidAndExpiredJWTAre401InvalidToken() async throws {
        let token = try auth.jwt(subject: "alice")
        let tampered = String(token.dropLast(2)) + (token.hasSuffix("AA") ? "BB" : "AA")
        let bad = try await get("/api/me", [("Authorization", "Bearer \(tampered)")])
        #expect(bad.status == 401)
        #expect(bad.challenges.first?.contains(#"error="invalid_token""#) == true)
        let expected = try await reference([AuthenticationMiddleware([auth.jwt])], [("Authorization", "Bearer \(tampered)")])
        #expect(bad.challenges == expected.challenges)
        #expect(bad.body == expected.body)
        #expect(!bad.body.contains(tampered))

        clock.advance(by: 3600)
        let expired = try await get("/api/me", [("Authorization", "Bearer \(token)")])
        #expect(expired.status == 401)
        #expect(expired.body.contains("expired"))
    }

    @Test func duplicateAuthorizationIs400InvalidRequest() async throws {
        let token = try auth.jwt(subject: "alice")
        let reply = try await get("/api/me", [("Authorization", "Bearer \(token)"), ("Authorization", "Bearer \(token)")])
        #expect(reply.status == 400)
        #expect(reply.challenges.first?.contains(#"error="invalid_request""#) == true)
    }

    @Test func signedDynamicTokenIsSingleUse() async throws {
        let token = try auth.signedDynamicToken(method: "GET", target: "/api/service")
        let first = try await get("/api/service", [("X-Dynamic-Token", token)])
        #expect(first.status == 200)
        #expect(first.body.hasPrefix("dynamic-token:"))
        let replay = try await get("/api/service", [("X-Dynamic-Token", token)])
        #expect(replay.status == 401)
        #expect(replay.body.contains("replayed"))
    }

    @Test func signedDynamicTokenIsBoundToTargetAndBody() async throws {
        let other = try auth.signedDynamicToken(method: "GET", target: "/api/other")
        #expect(try await get("/api/service", [("X-Dynamic-Token", other)]).status == 401)
        let withBody = try auth.signedDynamicToken(method: "GET", target: "/api/service", body: Array("hello".utf8))
        #expect(try await get("/api/service", [("X-Dynamic-Token", withBody)], body: Array("hellO".utf8)).status == 401)
        let fresh = try auth.signedDynamicToken(method: "GET", target: "/api/service", body: Array("hello".utf8))
        #expect(try await get("/api/service", [("X-Dynamic-Token", fresh)], body: Array("hello".utf8)).status == 200)
    }

    @Test func legacyDynamicTokenAccepted() async throws {
        let reply = try await get("/api/service", [("X-Dynamic-Token", try auth.legacyEncoder.encode())])
        #expect(reply.status == 200)
        #expect(reply.body.hasPrefix("dynamic-token:legacy-client"))
        #expect(try await get("/api/service", [("X-Dynamic-Token", "not-a-token")]).status == 401)
    }

    @Test func apiKeyAndScopes() async throws {
        let reader = try await auth.issueAPIKey(owner: "acme", scopes: ["reports:read"])
        let other = try await auth.issueAPIKey(owner: "globex", scopes: ["billing:read"])
        #expect(try await get("/api/partner", [("X-API-Key", reader)]).body == "api_key:acme [reports:read]")
        #expect(try await get("/api/partner/reports", [("X-API-Key", reader)]).status == 200)
        let denied = try await get("/api/partner/reports", [("X-API-Key", other)])
        #expect(denied.status == 403)
        let expected = try await reference(
            [AuthenticationMiddleware([auth.apiKey]), AuthorizationMiddleware(.scopes(allOf: ["reports:read"]))], [("X-API-Key", other)]
        )
        #expect(denied.challenges == expected.challenges)
        #expect(denied.body == expected.body)
        #expect(denied.challenges.first?.contains("insufficient_scope") == true)
        #expect(try await get("/api/partner", [("X-API-Key", "sk_live_nope")]).status == 401)
    }

    @Test func allOfNeedsEveryCredential() async throws {
        let jwt = try auth.jwt(subject: "alice")
        let onlyJWT = try await get("/api/combined", [("Authorization", "Bearer \(jwt)")])
        #expect(onlyJWT.status == 401)
        #expect(onlyJWT.challenges.count == 2)
        let token = try auth.signedDynamicToken(method: "GET", target: "/api/combined")
        let both = try await get("/api/combined", [("Authorization", "Bearer \(jwt)"), ("X-Dynamic-Token", token)])
        #expect(both.status == 200)
        #expect(both.body.split(separator: "\n").map { $0.prefix { $0 != ":" } } == ["dynamic-token", "jwt"])
    }

    @Test func anyOfTakesOneAndFailsOnAnInvalidOne() async throws {
        let key = try await auth.issueAPIKey(owner: "acme", scopes: [])
        #expect(try await get("/api/any", [("X-API-Key", key)]).body == "api_key:acme []")
        let none = try await get("/api/any")
        #expect(none.status == 401)
        #expect(none.challenges.count == 3)
        let mixed = try await get("/api/any", [("X-API-Key", key), ("Authorization", "Bearer not.a.jwt")])
        #expect(mixed.status == 401)
    }

    @Test func unavailableReplayCacheIs503() async throws {
        struct BrokenCache: ReplayCache {
            struct Down: Error {}
            func insertIfAbsent(keyID: String, nonce: [UInt8], expiresAt: Date, now: Date) async throws -> ReplayCacheInsertion { throw Down() }
        }
        let key = try DynamicTokenKey(id: "k", secret: Array(repeating: UInt8(5), count: 32))
        let verifier = try DynamicTokenVerifier(keys: try DynamicTokenKeyRing([key]), replayCache: BrokenCache(), clock: clock)
        let middleware = TokenAuthMiddleware(authenticators: [DynamicTokenAuthenticator(signed: verifier)])
        let token = try DynamicTokenSigner(key: key, clock: clock).token(method: "GET", target: "/x", body: [])
        let reply = try await get("/x", [("X-Dynamic-Token", token)], routes: { app in
            app.grouped(middleware).get("x") { _ in "ok" }
        })
        #expect(reply.status == 503)
        #expect(reply.challenges.isEmpty)
    }

    @Test func oversizedBodyIs413AndHandlerErrorsRenderTheSameWay() async throws {
        let routes: @Sendable (Application) -> Void = { app in
            app.grouped(TokenAuthMiddleware([], maximumBodySize: 8)).on(.POST, "x", body: .stream) { req in
                try req.identities.require().subject
            }
            app.grouped(TokenAuthMiddleware([])).get("x") { req in try req.identities.require().subject }
        }
        #expect(try await post("/x", routes: routes, body: Array(repeating: 1, count: 9)).status == 413)
        // No authenticator ran, so the handler's require() fails: a 401 rendered by ErrorMiddleware.
        let reply = try await get("/x", routes: routes)
        #expect(reply.status == 401)
        #expect(reply.challenges == ["Bearer realm=\"api\""])
    }
}
