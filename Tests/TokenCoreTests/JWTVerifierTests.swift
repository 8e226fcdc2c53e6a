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
    static let otherSecret = [UInt8](repeating: 0x24, count: 32)
    /// 2023-11-14T22:13:20Z, the tests' "now".
    static let now: Double = 1_700_000_000

    static func b64(_ text: String) -> String { Base64URL.encode(Array(text.utf8)) }

    /// A compact token over raw header and payload JSON text, HMAC-signed with `secret` using the
    /// hash `alg` names (HS256 when it names none), so tests can craft any header.
    static func token(header: String, payload: String, secret: [UInt8] = secret32, hash: JWTAlgorithm = .hs256) -> String {
        let input = b64(header) + "." + b64(payload)
        return input + "." + Base64URL.encode(mac(input, secret: secret, hash: hash))
    }

    static func mac(_ input: String, secret: [UInt8], hash: JWTAlgorithm) -> [UInt8] {
        switch hash {
        case .hs384: HMAC<SHA384>.authenticationCode(for: Array(input.utf8), using: secret)
        case .hs512: HMAC<SHA512>.authenticationCode(for: Array(input.utf8), using: secret)
        default: HMAC<SHA256>.authenticationCode(for: Array(input.utf8), using: secret)
        }
    }

    static let validPayload = #"{"sub":"user-1","iss":"https://issuer.example","aud":"api","exp":1700000600,"iat":1699999990}"#

    /// A verifier trusting `secret32` as HS256 under kid "k1", at ``now``.
    static func verifier(options: JWTValidationOptions = JWTValidationOptions(), keyID: String? = "k1") throws(JWTError) -> JWTVerifier {
        JWTVerifier(
            keys: try JWTKeySet([HMACJWTKey(.hs256, secret: secret32, keyID: keyID)]),
            options: options,
            clock: ManualClock(unixSeconds: now)
        )
    }

    /// The error code `body` throws, or `nil` when it succeeds.
    static func code(_ body: () throws(JWTError) -> Void) -> JWTError.Code? {
        do {
            try body()
            return nil
        } catch {
            return error.code
        }
    }
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
