import Foundation
import Testing
import TokenCore
import TokenMiddleware

@Suite struct JWTAuthenticatorTests {
    static let secret = [UInt8](repeating: 0x42, count: 32)
    static let now: Double = 1_700_000_000

    struct Claims: Decodable, Sendable, Equatable { var sub: String; var name: String }

    static func token(_ payload: String, header: String = #"{"alg":"HS256","kid":"k1"}"#, secret: [UInt8] = secret) -> String {
        let input = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(payload.utf8))
        return input + "." + Base64URL.encode(HMAC<SHA256>.authenticationCode(for: Array(input.utf8), using: secret))
    }

    static func authenticator(revocationList: (any RevocationList)? = nil) throws -> JWTAuthenticator<Claims> {
        var options = JWTValidationOptions()
        options.acceptedAudiences = ["api"]
        return JWTAuthenticator(
            keys: try JWTKeySet([HMACJWTKey(.hs256, secret: secret, keyID: "k1")]),
            options: options, payload: Claims.self, realm: "example",
            clock: ManualClock(unixSeconds: now), revocationList: revocationList
        )
    }

    static func request(_ authorization: String...) -> HTTPRequest {
        HTTPRequest(method: .get, target: "/", headers: HTTPHeaders(authorization.map { ("Authorization", $0) }))
    }

    static let goodPayload = #"{"sub":"user-1","name":"Jane","aud":"api","exp":1700000600,"jti":"j1","iss":"https://i.example","scope":"read:items write:items"}"#

    @Test func validBearerTokenProducesAPrincipal() async throws {
        let auth = try Self.authenticator()
        let principal = try #require(try await auth.authenticate(Self.request("Bearer " + Self.token(Self.goodPayload))))
        #expect(principal.subject == "user-1")
        #expect(principal.authenticator == "jwt")
        #expect(principal.scopes == ["read:items", "write:items"])
        #expect(principal.attributes["kid"] == "k1")
        #expect(principal.attributes["iss"] == "https://i.example")
        #expect(principal.attributes["jti"] == "j1")
        let jwt = try #require(principal.details(as: VerifiedJWT<Claims>.self))
        #expect(jwt.payload == Claims(sub: "user-1", name: "Jane"))
    }

    @Test(arguments: ["bearer", "BEARER", "BeArEr"])
    func schemeIsCaseInsensitive(_ scheme: String) async throws {
        let principal = try await Self.authenticator().authenticate(Self.request(scheme + " " + Self.token(Self.goodPayload)))
        #expect(principal?.subject == "user-1")
    }

    @Test func scopesFromScpArray() async throws {
        let payload = #"{"sub":"u","name":"n","aud":"api","exp":1700000600,"scp":["a","b"]}"#
        let principal = try await Self.authenticator().authenticate(Self.request("Bearer " + Self.token(payload)))
        #expect(principal?.scopes == ["a", "b"])
    }

    @Test func noCredentialReturnsNil() async throws {
        let auth = try Self.authenticator()
        #expect(try await auth.authenticate(HTTPRequest(method: .get, target: "/")) == nil)
        #expect(try await auth.authenticate(Self.request("Basic dXNlcjpwYXNz")) == nil)
        #expect(try await auth.authenticate(Self.request("BearerX abc")) == nil)
    }

    func failure(_ request: HTTPRequest, _ auth: JWTAuthenticator<Claims>? = nil) async throws -> AuthenticationError? {
        let auth = try auth ?? Self.authenticator()
        do {
            _ = try await auth.authenticate(request)
            return nil
        } catch let error as AuthenticationError {
            return error
        }
    }

    @Test(arguments: ["Bearer", "Bearer ", "Bearer abc def", "Bearer a=b", "Bearer abc,def", "Bearer abc.def\u{1}"])
    func malformedBearerIsAMalformedRequest(_ value: String) async throws {
        let error = try await failure(Self.request(value))
        #expect(error?.kind == .malformedRequest)
        #expect(error?.code == "invalid_request")
    }

    /// RFC 9110 §11.6.2 allows `1*SP` between scheme and token68.
    @Test func severalSpacesBeforeTheTokenAreAllowed() async throws {
        let principal = try await Self.authenticator().authenticate(Self.request("Bearer   " + Self.token(Self.goodPayload)))
        #expect(principal?.subject == "user-1")
    }

    @Test func twoAuthorizationHeadersAreMalformed() async throws {
        let token = Self.token(Self.goodPayload)
        let error = try await failure(Self.request("Bearer " + token, "Bearer " + token))
        #expect(error?.kind == .malformedRequest)
    }

    @Test func invalidTokensAreRejectedWithTheirJWTCode() async throws {
        let cases: [(String, String)] = [
            (Self.token(Self.goodPayload, secret: [UInt8](repeating: 1, count: 32)), "jwt.bad_signature"),
            (Self.token(#"{"sub":"u","name":"n","aud":"api","exp":1000}"#), "jwt.expired"),
            (Self.token(#"{"sub":"u","name":"n","aud":"web","exp":1700000600}"#), "jwt.wrong_audience"),
            (Self.token(#"{"name":"n","aud":"api","exp":1700000600}"#), "jwt.missing_claim"),
            (Self.token(#"{"sub":"u","aud":"api","exp":1700000600}"#), "jwt.malformed_claim"),
            (Self.token(Self.goodPayload, header: #"{"alg":"HS256","kid":"nope"}"#), "jwt.unknown_key"),
            (Self.token(Self.goodPayload, header: #"{"alg":"none"}"#), "jwt.unsupported_algorithm"),
            ("abc.def.ghi", "jwt.malformed"),
        ]
        for (token, code) in cases {
            let error = try await failure(Self.request("Bearer " + token))
            #expect(error?.kind == .invalid, "\(code)")
            #expect(error?.code == code)
            #expect(error?.authenticator == "jwt")
        }
    }

    @Test func challenges() async throws {
        let auth = try Self.authenticator()
        #expect(auth.challenge.headerValue == #"Bearer realm="example""#)
        let error = try #require(try await failure(Self.request("Bearer " + Self.token(#"{"sub":"u","name":"n","aud":"api","exp":1000}"#))))
        #expect(auth.challenge(for: error).headerValue == #"Bearer realm="example", error="invalid_token", error_description="the token has expired""#)
        #expect(auth.challenge(for: .missingCredentials()).headerValue == #"Bearer realm="example""#)
    }

    @Test func revokedTokenIsRejected() async throws {
        let clock = ManualClock(unixSeconds: Self.now)
        let list = InMemoryRevocationList(clock: clock)
        try await list.revoke("j1", until: Date(timeIntervalSince1970: Self.now + 600))
        let error = try await failure(Self.request("Bearer " + Self.token(Self.goodPayload)), try Self.authenticator(revocationList: list))
        #expect(error?.code == "jwt.revoked")
    }

    @Test func defaultPayloadIsTheRegisteredClaims() async throws {
        let auth = JWTAuthenticator(keys: try JWTKeySet([HMACJWTKey(.hs256, secret: Self.secret, keyID: "k1")]), clock: ManualClock(unixSeconds: Self.now))
        let principal = try await auth.authenticate(Self.request("Bearer " + Self.token(Self.goodPayload)))
        #expect(principal?.details(as: VerifiedJWT<JWTClaims>.self)?.claims.id == "j1")
    }

    /// A resolver that is not a `JWTKeySet`, so the authenticator takes its per-token key path.
    struct ForwardingResolver: JWTKeyResolver {
        let keys: JWTKeySet
        func keySet(for header: JWTHeader) async throws -> JWTKeySet { keys }
    }

    /// A fixed key set (one verifier built at initialisation) and a resolver (keys per token)
    /// give the same verdicts, request after request: both remember accepted headers, and a
    /// refused header, forged signature or revoked `jti` is refused every time.
    @Test func fixedKeySetAndResolverGiveTheSameVerdicts() async throws {
        let clock = ManualClock(unixSeconds: Self.now)
        let list = InMemoryRevocationList(clock: clock)
        try await list.revoke("gone", until: Date(timeIntervalSince1970: Self.now + 600))
        let keys = try JWTKeySet([HMACJWTKey(.hs256, secret: Self.secret, keyID: "k1")])
        var options = JWTValidationOptions()
        options.acceptedAudiences = ["api"]
        let fixed = JWTAuthenticator(keys: keys, options: options, payload: Claims.self, clock: clock, revocationList: list)
        let resolved = JWTAuthenticator(
            keys: ForwardingResolver(keys: keys), options: options, payload: Claims.self, clock: clock, revocationList: list
        )
        let cases: [(String, String?)] = [
            (Self.token(Self.goodPayload), nil),
            (Self.token(Self.goodPayload, secret: [UInt8](repeating: 1, count: 32)), "jwt.bad_signature"),
            (Self.token(#"{"sub":"u","name":"n","aud":"api","exp":1700000600,"jti":"gone"}"#), "jwt.revoked"),
            (Self.token(#"{"sub":"u","name":"n","aud":"api","exp":1700000600}"#), "jwt.missing_claim"),
            (Self.token(Self.goodPayload, header: #"{"alg":"HS256","kid":"k1","crit":["exp"]}"#), "jwt.malformed"),
            (Self.token(Self.goodPayload, header: #"{"alg":"HS256","kid":"nope"}"#), "jwt.unknown_key"),
        ]
        for round in 0..<3 {
            for (token, code) in cases {
                for auth in [fixed, resolved] {
                    let request = Self.request("Bearer " + token)
                    if let code {
                        let error = try await failure(request, auth)
                        #expect(error?.code == code, "round \(round): \(code)")
                    } else {
                        let principal = try await auth.authenticate(request)
                        #expect(principal?.subject == "user-1", "round \(round)")
                    }
                }
            }
        }
    }

    /// Scope tokens are separated by spaces (RFC 6749 §3.3); runs of spaces and spaces at either
    /// end add no empty scope, in `scope` and in an `scp` string alike.
    @Test func scopeStringsSplitOnSpaces() async throws {
        for claim in ["scope", "scp"] {
            let payload = #"{"sub":"u","name":"n","aud":"api","exp":1700000600,"\#(claim)":"  a  b:c d "}"#
            let principal = try await Self.authenticator().authenticate(Self.request("Bearer " + Self.token(payload)))
            #expect(principal?.scopes == ["a", "b:c", "d"], "\(claim)")
        }
        let empty = #"{"sub":"u","name":"n","aud":"api","exp":1700000600,"scope":""}"#
        #expect(try await Self.authenticator().authenticate(Self.request("Bearer " + Self.token(empty)))?.scopes == [])
    }
}
