import Foundation
import Testing
import TokenCore

/// Shared material for the JWT test suites.
enum JWTTestKeys {
    /// RFC 7515 Appendix A.1 HMAC key (the JWK `k`).
    static let rfc7515Secret: [UInt8] = (try? Base64URL.decode(
        "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"
    )) ?? []
    /// RFC 7515 Appendix A.1 token (also RFC 7519 §3.1's example).
    static let rfc7515Token =
        "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9" + "." +
        "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ" + "." +
        "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    static let secret32 = [UInt8](repeating: 0x42, count: 32)
}

@Suite struct JWTVerifierTests {
    @Test func rfc7515AppendixA1Verifies() throws {
        let key = try HMACJWTKey(.hs256, secret: JWTTestKeys.rfc7515Secret)
        let verifier = JWTVerifier(
            keys: try JWTKeySet([key]),
            clock: ManualClock(unixSeconds: 1_300_819_380 - 10)
        )
        let jwt = try verifier.verify(JWTTestKeys.rfc7515Token)
        #expect(jwt.claims.issuer == "joe")
        #expect(jwt.claims.expiration == NumericDate(secondsSince1970: 1_300_819_380))
        #expect(jwt.payloadJSON["http://example.com/is_root"] == .bool(true))
        #expect(jwt.header.type == "JWT")
    }

    @Test func issuedTokenRoundTrips() throws {
        struct Claims: Codable, Sendable, Equatable { var sub: String; var name: String }
        let key = try HMACJWTKey(.hs256, secret: JWTTestKeys.secret32, keyID: "k1")
        let clock = ManualClock(unixSeconds: 1_700_000_000)
        let issuer = JWTIssuer(signer: key, timeToLive: 600, clock: clock)
        let token = try issuer.issue(Claims(sub: "user-1", name: "Jane"))
        let verifier = JWTVerifier(keys: try JWTKeySet([key]), clock: clock)
        let jwt = try verifier.verify(token, as: Claims.self)
        #expect(jwt.payload == Claims(sub: "user-1", name: "Jane"))
        #expect(jwt.header.keyID == "k1")
        #expect(jwt.claims.expiration?.secondsSince1970 == 1_700_000_600)
    }
}
