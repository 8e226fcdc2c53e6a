import AsyncHTTPClient
import Foundation
import Testing
import TokenCore
import TokenMiddleware
import Vapor
import VaporIntegration
import VaporTesting

/// The adapter under the real Vapor stack — VaporTesting's in-memory tester, and one test over a
/// socket — through every scheme, both compositions, scopes and each failure status; failures
/// are compared field for field with what the example server's `ErrorMiddleware` answers.
@Suite struct VaporIntegrationTests {
    let clock = ManualClock(Date(timeIntervalSince1970: 1_767_225_600))
    let auth: DemoAuthenticators

    init() throws { auth = try DemoAuthenticators(clock: clock) }

    /// The parts of a response the adapter must reproduce exactly.
    struct Reply: Equatable {
        var status: Int
        /// The raw `WWW-Authenticate` field values, one per challenge. (Vapor's
        /// `headers[canonicalForm:]` would split each challenge at its commas.)
        var challenges: [String]
        var contentType: String?
        var cacheControl: String?
        var body: String

        init(status: HTTPResponseStatus, headers: NIOHTTP1.HTTPHeaders, body: ByteBuffer?) {
            self.status = Int(status.code)
            challenges = headers["WWW-Authenticate"]
            contentType = headers.first(name: "Content-Type")
            cacheControl = headers.first(name: "Cache-Control")
            self.body = body.map { String(buffer: $0) } ?? ""
        }

        init(_ response: TokenMiddleware.HTTPResponse) {
            status = response.status.code
            challenges = response.headers.values(for: "WWW-Authenticate")
            contentType = response.headers["Content-Type"]
            cacheControl = response.headers["Cache-Control"]
            body = response.bodyText ?? ""
        }
    }

    /// One request through a fresh Vapor application serving the demo routes (or `routes`).
    func send(
        _ path: String, _ headers: [(String, String)] = [], method: NIOHTTP1.HTTPMethod = .GET, body: [UInt8] = [],
        routes: (@Sendable (Application) -> Void)? = nil
    ) async throws -> Reply {
        let auth = self.auth
        return try await withApp { app in
            app.logger.logLevel = .warning  // no line per request
            if let routes { routes(app) } else { registerDemoRoutes(on: app, auth: auth) }
            var reply: Reply?
            try await app.testing().test(method, path, headers: NIOHTTP1.HTTPHeaders(headers), body: ByteBuffer(bytes: body)) { response in
                reply = Reply(status: response.status, headers: response.headers, body: response.body)
            }
            return try #require(reply)
        }
    }

    /// What the example server answers for the same chain: its `ErrorMiddleware` (same realm)
    /// in front of the same middleware, called directly.
    func reference(_ chain: [any TokenMiddleware.Middleware], _ path: String, _ headers: [(String, String)]) async throws -> Reply {
        let responder = ([TokenMiddleware.ErrorMiddleware(realm: DemoAuthenticators.realm)] + chain)
            .wrapping(TokenMiddleware.ClosureResponder { _ in .text("ok") })
        return Reply(try await responder.respond(to: TokenMiddleware.HTTPRequest(method: .get, target: path, headers: TokenMiddleware.HTTPHeaders(headers))))
    }

    @Test func healthNeedsNothing() async throws {
        #expect(try await send("/health").status == 200)
    }

    @Test func jwtAcceptedAndIdentityOnTheRequest() async throws {
        let reply = try await send("/api/me", [("Authorization", "Bearer \(try auth.jwt(subject: "alice", scopes: ["profile:read"]))")])
        #expect(reply.status == 200)
        #expect(reply.body == "jwt:alice [profile:read]")
    }

    @Test func signedDynamicTokenIsSingleUse() async throws {
        let token = try auth.signedDynamicToken(method: "GET", target: "/api/service")
        let first = try await send("/api/service", [("X-Dynamic-Token", token)])
        #expect(first.status == 200)
        #expect(first.body.hasPrefix("dynamic-token:"))
        let replay = try await send("/api/service", [("X-Dynamic-Token", token)])
        #expect(replay.status == 401)
        #expect(replay.body.contains("replayed"))
    }

    @Test func signedDynamicTokenIsBoundToTargetAndBody() async throws {
        let other = try auth.signedDynamicToken(method: "GET", target: "/api/other")
        #expect(try await send("/api/service", [("X-Dynamic-Token", other)]).status == 401)
        let withBody = try auth.signedDynamicToken(method: "GET", target: "/api/service", body: Array("hello".utf8))
        #expect(try await send("/api/service", [("X-Dynamic-Token", withBody)], body: Array("hellO".utf8)).status == 401)
        let fresh = try auth.signedDynamicToken(method: "GET", target: "/api/service", body: Array("hello".utf8))
        #expect(try await send("/api/service", [("X-Dynamic-Token", fresh)], body: Array("hello".utf8)).status == 200)
    }

    @Test func legacyDynamicTokenAccepted() async throws {
        let reply = try await send("/api/service", [("X-Dynamic-Token", try auth.legacyEncoder.encode())])
        #expect(reply.status == 200)
        #expect(reply.body.hasPrefix("dynamic-token:legacy-client"))
    }

    @Test func apiKeyAndScopes() async throws {
        let reader = try await auth.issueAPIKey(owner: "acme", scopes: ["reports:read"])
        #expect(try await send("/api/partner", [("X-API-Key", reader)]).body == "api_key:acme [reports:read]")
        let reports = try await send("/api/partner/reports", [("X-API-Key", reader)])
        #expect(reports.status == 200)
        #expect(reports.body == "api_key:acme [reports:read]")
    }

    @Test func allOfNeedsEveryCredential() async throws {
        let jwt = try auth.jwt(subject: "alice")
        let token = try auth.signedDynamicToken(method: "GET", target: "/api/combined")
        let both = try await send("/api/combined", [("Authorization", "Bearer \(jwt)"), ("X-Dynamic-Token", token)])
        #expect(both.status == 200)
        #expect(both.body.split(separator: "\n").map { $0.prefix { $0 != ":" } } == ["dynamic-token", "jwt"])
    }

    @Test func anyOfTakesWhicheverIsPresentAndLogsItIn() async throws {
        // /api/any also calls `req.auth.require(Principal.self)`: the Vapor way sees the identity.
        let key = try await auth.issueAPIKey(owner: "acme", scopes: [])
        #expect(try await send("/api/any", [("X-API-Key", key)]).body == "api_key:acme []")
        #expect(try await send("/api/any", [("Authorization", "Bearer \(try auth.jwt(subject: "bob"))")]).body == "jwt:bob []")
    }

    /// Every failure the demo routes can answer, with the chain the example server would run.
    enum Failure: String, CaseIterable, CustomTestStringConvertible {
        case missingJWT, tamperedJWT, expiredJWT, duplicateAuthorization, nonBearerAuthorization
        case malformedDynamicToken, replayedDynamicToken, legacyTokenWithWrongKey
        case unknownAPIKey, insufficientScope, allOfWithOnlyOne, anyOfWithNone, anyOfWithOneInvalid, replayCacheDown

        var testDescription: String { rawValue }
        var status: Int {
            switch self {
            case .duplicateAuthorization: 400
            case .insufficientScope: 403
            case .replayCacheDown: 503
            default: 401
            }
        }
    }

    /// The request for `failure` and the chain the example server would run for it; a
    /// `route` when the demo routes cannot produce the failure (a replay cache that is down).
    func scenario(_ failure: Failure) async throws -> (path: String, headers: [(String, String)], chain: [any TokenMiddleware.Middleware], route: TokenAuthMiddleware?) {
        let jwtChain: [any TokenMiddleware.Middleware] = [AuthenticationMiddleware([auth.jwt])]
        let dynamicChain: [any TokenMiddleware.Middleware] = [AuthenticationMiddleware([auth.dynamicToken])]
        let anyChain: [any TokenMiddleware.Middleware] = [AuthenticationMiddleware([auth.jwt, auth.dynamicToken, auth.apiKey])]
        let jwt = try auth.jwt(subject: "alice")
        switch failure {
        case .missingJWT: return ("/api/me", [], jwtChain, nil)
        case .tamperedJWT: return ("/api/me", [("Authorization", "Bearer \(jwt.dropLast(2))\(jwt.hasSuffix("AA") ? "BB" : "AA")")], jwtChain, nil)
        case .expiredJWT:
            clock.advance(by: 3600)
            return ("/api/me", [("Authorization", "Bearer \(jwt)")], jwtChain, nil)
        case .duplicateAuthorization: return ("/api/me", [("Authorization", "Bearer \(jwt)"), ("Authorization", "Bearer \(jwt)")], jwtChain, nil)
        case .nonBearerAuthorization: return ("/api/me", [("Authorization", "Basic YWxpY2U6cGFzcw==")], jwtChain, nil)
        case .malformedDynamicToken: return ("/api/service", [("X-Dynamic-Token", "not-a-token")], dynamicChain, nil)
        case .replayedDynamicToken:
            let token = try auth.signedDynamicToken(method: "GET", target: "/api/service")
            #expect(try await send("/api/service", [("X-Dynamic-Token", token)]).status == 200)
            return ("/api/service", [("X-Dynamic-Token", token)], dynamicChain, nil)
        case .legacyTokenWithWrongKey:
            let foreign = LegacyDynamicTokenEncoder(options: try LegacyDynamicTokenOptions(apiKey: "another-key"), clock: clock)
            return ("/api/service", [("X-Dynamic-Token", try foreign.encode())], dynamicChain, nil)
        case .unknownAPIKey: return ("/api/partner", [("X-API-Key", "sk_live_nope")], [AuthenticationMiddleware([auth.apiKey])], nil)
        case .insufficientScope:
            let key = try await auth.issueAPIKey(owner: "globex", scopes: ["billing:read"])
            return ("/api/partner/reports", [("X-API-Key", key)], [AuthenticationMiddleware([auth.apiKey]), AuthorizationMiddleware(.scopes(allOf: ["reports:read"]))], nil)
        case .allOfWithOnlyOne:
            return ("/api/combined", [("Authorization", "Bearer \(jwt)")], [AuthenticationMiddleware([auth.dynamicToken, auth.jwt], policy: .allOf)], nil)
        case .anyOfWithNone: return ("/api/any", [], anyChain, nil)
        case .anyOfWithOneInvalid:
            let key = try await auth.issueAPIKey(owner: "acme", scopes: [])
            return ("/api/any", [("X-API-Key", key), ("Authorization", "Bearer not.a.jwt")], anyChain, nil)
        case .replayCacheDown:
            struct BrokenCache: ReplayCache {
                struct Down: Error {}
                func insertIfAbsent(keyID: String, nonce: [UInt8], expiresAt: Date, now: Date) async throws -> ReplayCacheInsertion { throw Down() }
            }
            let key = try DynamicTokenKey(id: "k", secret: Array(repeating: UInt8(5), count: 32))
            let verifier = try DynamicTokenVerifier(keys: try DynamicTokenKeyRing([key]), replayCache: BrokenCache(), clock: clock)
            let chain: [any TokenMiddleware.Middleware] = [AuthenticationMiddleware([DynamicTokenAuthenticator(signed: verifier)])]
            let token = try DynamicTokenSigner(key: key, clock: clock).token(method: "GET", target: "/x", body: [])
            return ("/x", [("X-Dynamic-Token", token)], chain, TokenAuthMiddleware(chain, errors: .init(realm: DemoAuthenticators.realm)))
        }
    }

    @Test(arguments: Failure.allCases)
    func failureIsAnsweredExactlyLikeTheExampleServer(_ failure: Failure) async throws {
        let (path, headers, chain, route) = try await scenario(failure)
        var routes: (@Sendable (Application) -> Void)?
        if let route { routes = { app in _ = app.grouped(route).get("x") { _ in "ok" } } }
        let reply = try await send(path, headers, routes: routes)
        let expected = try await reference(chain, path, headers)
        #expect(reply.status == failure.status)
        #expect(reply == expected)
        #expect(reply.contentType == "application/problem+json")
        #expect(failure.status == 503 ? reply.challenges.isEmpty : !reply.challenges.isEmpty)
        for (_, value) in headers where value.count > 12 { #expect(!reply.body.contains(value)) }
    }

    @Test func failureChallengesFollowRFC6750() async throws {
        #expect(try await send("/api/me").challenges == [#"Bearer realm="token-auth-demo""#])
        let (path, headers, _, _) = try await scenario(.tamperedJWT)
        #expect(try await send(path, headers).challenges.first?.contains(#"error="invalid_token""#) == true)
        let denied = try await scenario(.insufficientScope)
        let reply = try await send(denied.path, denied.headers)
        #expect(reply.challenges.first?.contains(#"error="insufficient_scope""#) == true)
        #expect(reply.challenges.first?.contains(#"scope="reports:read""#) == true)
        #expect(try await send("/api/combined").challenges.count == 2)
        #expect(try await send("/api/any").challenges.count == 3)
    }

    /// Routes behind a middleware that collects at most 8 bytes.
    static let smallBodyRoutes: @Sendable (Application) -> Void = { app in
        _ = app.grouped(TokenAuthMiddleware([], maximumBodySize: 8)).post("x") { req in "\(req.body.data?.readableBytes ?? 0) bytes" }
    }

    @Test func oversizedBodyIs413() async throws {
        // The in-memory tester sends an already-collected body with its Content-Length.
        let tooLarge = try await send("/x", method: .POST, body: Array(repeating: 1, count: 9), routes: Self.smallBodyRoutes)
        let expected = Reply(TokenMiddleware.ErrorMiddleware().response(for: TokenMiddleware.HTTPError(.contentTooLarge, code: "body_too_large", reason: "the request body is too large")).response)
        #expect(tooLarge == expected)
        #expect(tooLarge.status == 413)
        #expect(tooLarge.body.contains("body_too_large"))
        // Exactly the limit passes the gate and reaches the handler.
        #expect(try await send("/x", method: .POST, body: Array(repeating: 1, count: 8), routes: Self.smallBodyRoutes).body == "8 bytes")
    }

    @Test func oversizedCollectedBodyWithoutContentLengthIs413() async throws {
        try await withApp { app in
            struct Next: AsyncResponder { func respond(to request: Request) async throws -> Response { Response(status: .ok) } }
            let request = Request(
                application: app, method: .POST, url: "/x", headersNoUpdate: [:],
                collectedBody: ByteBuffer(bytes: Array(repeating: UInt8(1), count: 9)), on: app.eventLoopGroup.next()
            )
            let response = try await TokenAuthMiddleware([], maximumBodySize: 8).respond(to: request, chainingTo: Next())
            #expect(response.status == .payloadTooLarge)
        }
    }

    @Test func tokenAuthErrorsFromHandlersRenderLikeTheExampleServer() async throws {
        let routes: @Sendable (Application) -> Void = { app in
            app.grouped(TokenAuthMiddleware([])).get("x") { req in try req.identities.require().subject }
        }
        // No authenticator ran, so the handler's require() fails: a 401 rendered by ErrorMiddleware.
        let reply = try await send("/x", routes: routes)
        #expect(reply.status == 401)
        #expect(reply.challenges == [#"Bearer realm="api""#])
        #expect(reply.contentType == "application/problem+json")
    }

    /// Over a real socket: Vapor's HTTP server parses the request and streams a chunked body to
    /// the adapter, which must bound it (413) or hand it on intact to the handler.
    @Test func liveServerOverASocket() async throws {
        let auth = self.auth
        try await withApp { app in
            app.logger.logLevel = .warning
            registerDemoRoutes(on: app, auth: auth)
            app.grouped(TokenAuthMiddleware(authenticators: [auth.dynamicToken], realm: DemoAuthenticators.realm, maximumBodySize: 64))
                .post("upload") { req in "\(try req.identities.require().subject): \(req.body.data?.readableBytes ?? 0) bytes" }
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            do {
                try await exerciseLiveServer(base: "http://127.0.0.1:\(try #require(app.http.server.shared.localAddress?.port))")
            } catch {
                await app.server.shutdown()
                throw error
            }
            await app.server.shutdown()
        }
    }

    func exerciseLiveServer(base: String) async throws {
        func call(_ method: NIOHTTP1.HTTPMethod, _ path: String, _ headers: [(String, String)], chunks: [[UInt8]] = []) async throws -> Reply {
            var request = HTTPClientRequest(url: base + path)
            request.method = method
            request.headers = NIOHTTP1.HTTPHeaders(headers)
            if !chunks.isEmpty {
                let stream = AsyncStream<ByteBuffer> { continuation in
                    for chunk in chunks { continuation.yield(ByteBuffer(bytes: chunk)) }
                    continuation.finish()
                }
                request.body = .stream(stream, length: .unknown)  // chunked: no Content-Length
            }
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            return Reply(status: response.status, headers: response.headers, body: try await response.body.collect(upTo: 1 << 16))
        }
        let jwt = try auth.jwt(subject: "alice")
        #expect(try await call(.GET, "/api/me", [("Authorization", "Bearer \(jwt)")]).body == "jwt:alice []")
        let missing = try await call(.GET, "/api/me", [])
        #expect(missing == (try await reference([AuthenticationMiddleware([auth.jwt])], "/api/me", [])))

        let body = Array(repeating: UInt8(ascii: "a"), count: 64)
        let token = try auth.signedDynamicToken(method: "POST", target: "/upload", body: body)
        let accepted = try await call(.POST, "/upload", [("X-Dynamic-Token", token)], chunks: [Array(body[..<30]), Array(body[30...])])
        #expect(accepted.status == 200)
        #expect(accepted.body == "demo-dt: 64 bytes")  // the key id is the subject; the handler got every byte
        let tooLarge = try await call(.POST, "/upload", [("X-Dynamic-Token", token)], chunks: [body, [1]])
        #expect(tooLarge.status == 413)
        #expect(tooLarge.contentType == "application/problem+json")
    }
}
