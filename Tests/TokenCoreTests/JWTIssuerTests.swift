import Foundation
import Testing
import TokenCore

/// A random source that returns a fixed byte pattern, or fails.
struct FixedRandom: RandomSource {
    var byte: UInt8 = 0xAB
    var fails = false
    func fill(_ buffer: UnsafeMutableRawBufferPointer) throws(CryptoError) {
        if fails { throw CryptoError(.randomUnavailable, "test failure") }
        for i in buffer.indices { buffer[i] = byte &+ UInt8(truncatingIfNeeded: i) }
    }
}

@Suite struct JWTIssuerTests {
    typealias K = JWTTestKeys
    struct Claims: Codable, Sendable { var sub: String; var scope: String }

    @Test func setsRegisteredClaimsFromClockTTLAndRandom() throws {
        let key = try HMACJWTKey(.hs256, secret: K.secret32, keyID: "2026-01")
        let clock = ManualClock(unixSeconds: 1_700_000_000.75)
        let issuer = JWTIssuer(signer: key, timeToLive: 900, issuer: "https://issuer.example", audience: ["api"], clock: clock, random: FixedRandom())
        let token = try issuer.issue(Claims(sub: "user-1", scope: "read write"))
        let parts = token.split(separator: ".").map(String.init)
        #expect(parts.count == 3)
        let header = try JSONReader().parseObject(Base64URL.decode(parts[0]))
        #expect(header == (try JSONObject([("alg", .string("HS256")), ("kid", .string("2026-01")), ("typ", .string("JWT"))])))
        let payload = try JSONReader().parseObject(Base64URL.decode(parts[1]))
        #expect(payload["iat"] == .number(JSONNumber(1_700_000_000)))
        #expect(payload["exp"] == .number(JSONNumber(1_700_000_900)))
        let expectedJTI = Base64URL.encode((0..<16).map { 0xAB &+ UInt8($0) })
        #expect(payload["jti"] == .string(expectedJTI))
        #expect(payload["iss"] == .string("https://issuer.example"))
        #expect(payload["aud"] == .string("api"))
        #expect(payload["sub"] == .string("user-1"))
        // It verifies with the same key and clock.
        var options = JWTValidationOptions()
        options.acceptedIssuers = ["https://issuer.example"]
        options.acceptedAudiences = ["api"]
        options.requiredClaims = ["exp", "iat", "jti", "sub"]
        let jwt = try JWTVerifier(keys: JWTKeySet([key]), options: options, clock: clock).verify(token, as: Claims.self)
        #expect(jwt.payload.scope == "read write")
    }

    @Test func jtiIsRandomWithTheSystemSource() throws {
        let issuer = JWTIssuer(signer: try HMACJWTKey(.hs256, secret: K.secret32), timeToLive: 60)
        let ids = try (0..<20).map { _ in
            try JWTVerifier(keys: JWTKeySet([HMACJWTKey(.hs256, secret: K.secret32)])).verify(issuer.issue(claims: JSONObject())).claims.id
        }
        #expect(Set(ids).count == 20)
        #expect(ids.allSatisfy { $0?.count == 22 })
    }

    @Test func tokensExpireAfterTheTTLOnTheInjectedClock() throws {
        let key = try HMACJWTKey(.hs256, secret: K.secret32)
        let clock = ManualClock(unixSeconds: K.now)
        let token = try JWTIssuer(signer: key, timeToLive: 300, clock: clock).issue(claims: JSONObject())
        var options = JWTValidationOptions()
        options.leeway = 0
        let verifier = JWTVerifier(keys: try JWTKeySet([key]), options: options, clock: clock)
        clock.advance(by: 299)
        #expect(throws: Never.self) { try verifier.verify(token) }
        clock.advance(by: 1)
        #expect(K.code { () throws(JWTError) in _ = try verifier.verify(token) } == .expired)
    }

    @Test(arguments: ["iat", "exp", "jti"])
    func claimsTheIssuerOwnsAreRefused(_ name: String) throws {
        let issuer = JWTIssuer(signer: try HMACJWTKey(.hs256, secret: K.secret32), timeToLive: 60)
        #expect(throws: JWTError.self) { try issuer.issue(claims: JSONObject([(name, .number(JSONNumber(1)))])) }
    }

    @Test func issAndAudAreOwnedOnlyWhenConfigured() throws {
        let key = try HMACJWTKey(.hs256, secret: K.secret32)
        let claims = try JSONObject([("iss", .string("me")), ("aud", .array([.string("a"), .string("b")]))])
        #expect(throws: Never.self) { try JWTIssuer(signer: key, timeToLive: 60).issue(claims: claims) }
        #expect(throws: JWTError.self) { try JWTIssuer(signer: key, timeToLive: 60, issuer: "x").issue(claims: claims) }
    }

    @Test(arguments: [0, -1, Double.infinity, Double.nan])
    func invalidTTLIsRefused(_ ttl: Double) throws {
        let issuer = JWTIssuer(signer: try HMACJWTKey(.hs256, secret: K.secret32), timeToLive: ttl)
        #expect(throws: JWTError.self) { try issuer.issue(claims: JSONObject()) }
    }

    @Test func randomFailureIsSigningFailed() throws {
        let issuer = JWTIssuer(signer: try HMACJWTKey(.hs256, secret: K.secret32), timeToLive: 60, random: FixedRandom(fails: true))
        #expect(K.code { () throws(JWTError) in _ = try issuer.issue(claims: JSONObject()) } == .signingFailed)
    }

    @Test func nonObjectClaimsAreRefused() throws {
        let issuer = JWTIssuer(signer: try HMACJWTKey(.hs256, secret: K.secret32), timeToLive: 60)
        #expect(throws: JWTError.self) { try issuer.issue(["a", "b"]) }
    }

    struct ThrowingSigner: JWTSigner {
        var algorithm: JWTAlgorithm { .es256 }
        var keyID: String? { nil }
        func sign(_ signingInput: UnsafeRawBufferPointer) throws -> [UInt8] { throw URLError(.badURL) }
    }

    /// A user-supplied signer for another algorithm plugs in through ``JWTSigner``.
    struct FakeES256Signer: JWTSigner {
        var algorithm: JWTAlgorithm { .es256 }
        var keyID: String? { "ec-1" }
        func sign(_ signingInput: UnsafeRawBufferPointer) throws -> [UInt8] { [UInt8](repeating: 9, count: 64) }
    }

    @Test func customSignersPlugIn() throws {
        let token = try JWTIssuer(signer: FakeES256Signer(), timeToLive: 60).issue(claims: JSONObject())
        let header = try JSONReader().parseObject(Base64URL.decode(token.split(separator: ".")[0]))
        #expect(header["alg"] == .string("ES256"))
        #expect(header["kid"] == .string("ec-1"))
        #expect(try Base64URL.decode(token.split(separator: ".")[2]) == [UInt8](repeating: 9, count: 64))
        #expect(K.code { () throws(JWTError) in _ = try JWTIssuer(signer: ThrowingSigner(), timeToLive: 60).issue(claims: JSONObject()) } == .signingFailed)
    }
}
