import Foundation
import Testing
import TokenCore
import TokenMiddleware

@Suite("DynamicTokenAuthenticator")
struct DynamicTokenAuthenticatorTests {
    static let now: Int64 = 1_710_105_367_868
    let clock = ManualClock(Date(unixMilliseconds: now))
    let key: DynamicTokenKey
    let legacyOptions: LegacyDynamicTokenOptions

    init() throws {
        key = try DynamicTokenKey(id: "app-1", secret: Array(repeating: UInt8(0x42), count: 32))
        legacyOptions = try LegacyDynamicTokenOptions(apiKey: "Opus;Magna-897", requiresUUID: false)
    }

    func verifier(cache: any ReplayCache = InMemoryReplayCache()) throws -> DynamicTokenVerifier {
        try DynamicTokenVerifier(keys: DynamicTokenKeyRing([key]), replayCache: cache, clock: clock)
    }
    func signer() throws -> DynamicTokenSigner { try DynamicTokenSigner(key: key, clock: clock) }
    func legacyDecoder(_ options: LegacyDynamicTokenOptions? = nil) -> LegacyDynamicTokenDecoder {
        LegacyDynamicTokenDecoder(options: options ?? legacyOptions, clock: clock)
    }
    func legacyEncoder(_ options: LegacyDynamicTokenOptions? = nil) -> LegacyDynamicTokenEncoder {
        LegacyDynamicTokenEncoder(options: options ?? legacyOptions, clock: clock)
    }

    func signedRequest(subject: String? = nil, body: String = "{\"n\":1}") throws -> HTTPRequest {
        var request = HTTPRequest(method: .post, target: "/api/orders?x=1", body: Array(body.utf8))
        try request.addDynamicToken(using: signer(), subject: subject)
        return request
    }

    func expectFailure(_ auth: DynamicTokenAuthenticator, _ request: HTTPRequest, kind: AuthenticationError.Kind, code: String,
                       sourceLocation: SourceLocation = #_sourceLocation) async {
        do {
            _ = try await auth.authenticate(request)
            Issue.record("expected \(code)", sourceLocation: sourceLocation)
        } catch let error as AuthenticationError {
            #expect(error.kind == kind, sourceLocation: sourceLocation)
            #expect(error.code == code, sourceLocation: sourceLocation)
            #expect(error.authenticator == "dynamic-token", sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func noHeaderMeansNoCredential() async throws {
        let auth = DynamicTokenAuthenticator(signed: try verifier())
        #expect(try await auth.authenticate(HTTPRequest(method: .get, target: "/")) == nil)
        #expect(auth.challenge.headerValue == "DynamicToken header=\"X-Dynamic-Token\"")
        #expect(auth.challenge.scheme == "DynamicToken")
        #expect(auth.acceptedFormats == ["signed"])
    }

    @Test("a signed token authenticates once; the subject and attributes come from it")
    func signedOnce() async throws {
        let auth = DynamicTokenAuthenticator(signed: try verifier())
        let request = try signedRequest(subject: "5d00012de43dcd165cceb295")
        let principal = try #require(try await auth.authenticate(request))
        #expect(principal.subject == "5d00012de43dcd165cceb295")
        #expect(principal.authenticator == "dynamic-token")
        #expect(principal.attributes == ["format": "signed", "kid": "app-1"])
        #expect(principal.details(as: SignedDynamicToken.self)?.keyID == "app-1")
        await expectFailure(auth, request, kind: .invalid, code: "dynamic_token.replayed")

        let anonymous = try #require(try await auth.authenticate(try signedRequest()))
        #expect(anonymous.subject == "app-1")
    }

    @Test("the token is bound to the request it was made for")
    func binding() async throws {
        let auth = DynamicTokenAuthenticator(signed: try verifier())
        var request = try signedRequest()
        request.body = Array("{\"n\":2}".utf8)
        await expectFailure(auth, request, kind: .invalid, code: "dynamic_token.bad_signature")
        var other = try signedRequest()
        other.target = "/api/admin?x=1"
        await expectFailure(auth, other, kind: .invalid, code: "dynamic_token.bad_signature")
    }

    @Test func legacyTokens() async throws {
        let auth = DynamicTokenAuthenticator(legacy: legacyDecoder())
        var request = HTTPRequest(method: .get, target: "/")
        try request.addLegacyDynamicToken(using: legacyEncoder())
        let principal = try #require(try await auth.authenticate(request))
        #expect(principal.subject == "legacy-client")
        #expect(principal.attributes == ["format": "legacy"])

        let withUUID = try LegacyDynamicTokenOptions(apiKey: "Opus;Magna-897", requiresUUID: true)
        let uuidAuth = DynamicTokenAuthenticator(legacy: legacyDecoder(withUUID))
        try request.addLegacyDynamicToken(using: legacyEncoder(withUUID), uuid: "5d00012d-e43d-cd16-5cce-b295")
        #expect(try await uuidAuth.authenticate(request)?.subject == "5d00012de43dcd165cceb295")

        clock.advance(by: 301)
        await expectFailure(auth, request, kind: .invalid, code: "dynamic_token.legacy.timed_out")
        var wrongKey = HTTPRequest(method: .get, target: "/")
        wrongKey.headers.add(name: "X-Dynamic-Token", value: Base64.encode(Array("8tykOpus;Magna-8980mtl,72".utf8)))
        await expectFailure(auth, wrongKey, kind: .invalid, code: "dynamic_token.legacy.unmatched_api_key")
    }

    @Test("each configuration accepts exactly its formats")
    func formats() async throws {
        let signedOnly = DynamicTokenAuthenticator(signed: try verifier())
        let legacyOnly = DynamicTokenAuthenticator(legacy: legacyDecoder())
        let both = DynamicTokenAuthenticator(signed: try verifier(), legacy: legacyDecoder())
        #expect(both.acceptedFormats == ["signed", "legacy"])
        var legacy = HTTPRequest(method: .get, target: "/")
        try legacy.addLegacyDynamicToken(using: legacyEncoder())

        await expectFailure(signedOnly, legacy, kind: .invalid, code: "dynamic_token.format_not_accepted")
        await expectFailure(legacyOnly, try signedRequest(), kind: .invalid, code: "dynamic_token.format_not_accepted")
        #expect(try await both.authenticate(legacy)?.attributes["format"] == "legacy")
        #expect(try await both.authenticate(try signedRequest())?.attributes["format"] == "signed")
    }

    @Test func malformedRequests() async throws {
        let auth = DynamicTokenAuthenticator(signed: try verifier(), legacy: legacyDecoder())
        var twice = try signedRequest()
        twice.headers.add(name: "x-dynamic-token", value: "v1.x")
        await expectFailure(auth, twice, kind: .malformedRequest, code: "dynamic_token.ambiguous")
        var huge = HTTPRequest(method: .get, target: "/")
        huge.headers.add(name: "X-Dynamic-Token", value: String(repeating: "A", count: 5000))
        await expectFailure(auth, huge, kind: .invalid, code: "dynamic_token.too_large")
        var empty = HTTPRequest(method: .get, target: "/")
        empty.headers.add(name: "X-Dynamic-Token", value: "  ")
        await expectFailure(auth, empty, kind: .invalid, code: "dynamic_token.malformed")
        var garbage = HTTPRequest(method: .get, target: "/")
        garbage.headers.add(name: "X-Dynamic-Token", value: "v1.....")
        await expectFailure(auth, garbage, kind: .invalid, code: "dynamic_token.malformed")
    }

    @Test("surrounding whitespace is optional whitespace, not part of the token")
    func whitespace() async throws {
        let auth = DynamicTokenAuthenticator(signed: try verifier())
        var request = try signedRequest()
        let token = try #require(request.headers["X-Dynamic-Token"])
        request.headers.replaceOrAdd(name: "X-Dynamic-Token", value: " \t" + token + " ")
        #expect(try await auth.authenticate(request) != nil)
    }

    @Test func customHeaderAndName() async throws {
        let auth = DynamicTokenAuthenticator(signed: try verifier(), headerName: "X-App-Token", name: "app")
        var request = HTTPRequest(method: .get, target: "/items")
        try request.addDynamicToken(using: signer(), headerName: "X-App-Token")
        #expect(request.headers["X-Dynamic-Token"] == nil)
        #expect(try await auth.authenticate(request)?.authenticator == "app")
        #expect(auth.challenge.headerValue == "DynamicToken header=\"X-App-Token\"")
    }

    @Test("a full replay cache refuses with 'unavailable', never accepts")
    func replayCacheFull() async throws {
        let auth = DynamicTokenAuthenticator(signed: try verifier(cache: InMemoryReplayCache(capacity: 1)))
        _ = try await auth.authenticate(try signedRequest())
        await expectFailure(auth, try signedRequest(), kind: .unavailable, code: "dynamic_token.replay_cache_full")
    }
}

/// The dynamic-token authenticator inside ``AuthenticationMiddleware``: alone, and in an all-of
/// chain with the JWT authenticator ("a dynamic token may supplement a JWT").
@Suite("DynamicTokenAuthenticator in middleware chains")
struct DynamicTokenChainTests {
    static let now: Int64 = 1_710_105_367_868
    let clock = ManualClock(Date(unixMilliseconds: now))
    let dynamic: DynamicTokenAuthenticator
    let jwt: JWTAuthenticator<JWTClaims>
    let signer: DynamicTokenSigner
    let issuer: JWTIssuer

    struct Claims: Encodable { var sub: String }

    init() throws {
        let key = try DynamicTokenKey(id: "app-1", secret: Array(repeating: UInt8(0x42), count: 32))
        signer = try DynamicTokenSigner(key: key, clock: clock)
        dynamic = DynamicTokenAuthenticator(signed: try DynamicTokenVerifier(
            keys: DynamicTokenKeyRing([key]), replayCache: InMemoryReplayCache(), clock: clock))
        let jwtKey = try HMACJWTKey(.hs256, secret: Array(repeating: UInt8(7), count: 32), keyID: "j1")
        jwt = JWTAuthenticator(keys: try JWTKeySet([jwtKey]), clock: clock)
        issuer = JWTIssuer(signer: jwtKey, timeToLive: 300, clock: clock)
    }

    func app(_ authenticators: [any Authenticator], policy: AuthenticationMiddleware.Policy) -> any Responder {
        [ErrorMiddleware(logger: { _ in }), AuthenticationMiddleware(authenticators, policy: policy)].wrapping(ClosureResponder { request in
            .text(request.identities.all.map { "\($0.authenticator):\($0.subject)" }.joined(separator: ","))
        })
    }

    func request(dynamicToken: Bool, jwtFor user: String?) throws -> HTTPRequest {
        var request = HTTPRequest(method: .post, target: "/api/orders", body: Array("{}".utf8))
        if let user { request.headers.add(name: "Authorization", value: "Bearer " + (try issuer.issue(Claims(sub: user)))) }
        if dynamicToken { try request.addDynamicToken(using: signer, subject: "device-9") }
        return request
    }

    @Test("all-of: both credentials give both identities; either alone is refused")
    func allOfWithJWT() async throws {
        let chain = app([jwt, dynamic], policy: .allOf)
        let both = try await chain.respond(to: request(dynamicToken: true, jwtFor: "alice"))
        #expect(both.status == .ok)
        #expect(both.bodyText == "jwt:alice,dynamic-token:device-9")

        let jwtOnly = try await chain.respond(to: request(dynamicToken: false, jwtFor: "alice"))
        #expect(jwtOnly.status == .unauthorized)
        #expect(jwtOnly.headers.values(for: "WWW-Authenticate").contains { $0.hasPrefix("DynamicToken") })
        let dynamicOnly = try await chain.respond(to: request(dynamicToken: true, jwtFor: nil))
        #expect(dynamicOnly.status == .unauthorized)
        #expect(dynamicOnly.headers.values(for: "WWW-Authenticate").contains { $0.hasPrefix("Bearer") })
    }

    @Test("all-of: a replayed dynamic token fails the request even with a valid JWT")
    func allOfReplay() async throws {
        let chain = app([jwt, dynamic], policy: .allOf)
        let request = try request(dynamicToken: true, jwtFor: "alice")
        #expect(try await chain.respond(to: request).status == .ok)
        let replay = try await chain.respond(to: request)
        #expect(replay.status == .unauthorized)
        #expect(replay.bodyText?.contains("dynamic_token.replayed") == true)
    }

    @Test("alone: a valid token passes, none gives a 401 with the DynamicToken challenge")
    func alone() async throws {
        let chain = app([dynamic], policy: .anyOf)
        let ok = try await chain.respond(to: request(dynamicToken: true, jwtFor: nil))
        #expect(ok.bodyText == "dynamic-token:device-9")
        let missing = try await chain.respond(to: request(dynamicToken: false, jwtFor: nil))
        #expect(missing.status == .unauthorized)
        #expect(missing.headers.values(for: "WWW-Authenticate") == ["DynamicToken realm=\"api\", header=\"X-Dynamic-Token\""])
        var tampered = try request(dynamicToken: true, jwtFor: nil)
        tampered.body = Array("{\"x\":1}".utf8)
        let refused = try await chain.respond(to: tampered)
        #expect(refused.status == .unauthorized)
        #expect(refused.bodyText?.contains("dynamic_token.bad_signature") == true)
    }

    @Test("a full replay cache answers 503, not 401 and never 200")
    func unavailable() async throws {
        let key = try DynamicTokenKey(id: "app-1", secret: Array(repeating: UInt8(0x42), count: 32))
        let tiny = DynamicTokenAuthenticator(signed: try DynamicTokenVerifier(
            keys: DynamicTokenKeyRing([key]), replayCache: InMemoryReplayCache(capacity: 1), clock: clock))
        let chain = app([tiny], policy: .anyOf)
        #expect(try await chain.respond(to: request(dynamicToken: true, jwtFor: nil)).status == .ok)
        #expect(try await chain.respond(to: request(dynamicToken: true, jwtFor: nil)).status == .serviceUnavailable)
    }
}
