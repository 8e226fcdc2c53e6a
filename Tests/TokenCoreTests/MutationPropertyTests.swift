import Foundation
import Testing
import TokenCore

/// Adversarial properties of the token formats, over deterministic inputs (issue 12):
/// every single-byte mutation, truncation and extension of a valid token is rejected.
///
/// Tokens are made by the project's own issuers (HS256 JWT, signed dynamic token) or taken from
/// the asymmetric vectors (`scripts/vectors/gen_asymmetric_vectors.py`). The libFuzzer targets
/// in `Fuzz/` explore the same properties with arbitrary bytes; these run on every `swift test`.
@Suite struct MutationPropertyTests {
    /// Replacements tried at every position: bit flips, a case flip, and characters that are
    /// structurally meaningful in these formats (separator, padding, base64url letters).
    static let replacements: [@Sendable (UInt8) -> UInt8] = [
        { $0 ^ 0x01 }, { $0 ^ 0x20 }, { _ in UInt8(ascii: ".") }, { _ in UInt8(ascii: "A") },
        { _ in UInt8(ascii: "_") }, { _ in UInt8(ascii: "=") }, { _ in 0x00 }, { _ in 0xC3 },
    ]
    /// Suffixes appended to a valid token.
    static let extensions = ["A", "AA", "AAAA", ".", "=", " ", "\n", "\0", ".e30", "é"]

    /// Every variant of `token`: one byte replaced (each position, each replacement),
    /// truncated to each shorter length, extended by each suffix. Variants equal to `token`
    /// are left out.
    static func variants(of token: String, replacements: [@Sendable (UInt8) -> UInt8] = replacements) -> [String] {
        let bytes = Array(token.utf8)
        var out: [String] = []
        for i in bytes.indices {
            for replace in replacements {
                var mutated = bytes
                mutated[i] = replace(bytes[i])
                if mutated != bytes { out.append(String(decoding: mutated, as: UTF8.self)) }
            }
        }
        for length in 0..<bytes.count { out.append(String(decoding: bytes[0..<length], as: UTF8.self)) }
        for suffix in extensions { out.append(token + suffix) }
        return out.filter { $0 != token }
    }

    // MARK: - HS256 JWT

    static let now = 1_700_000_000.0

    static func hs256() throws -> (token: String, verifier: JWTVerifier) {
        let key = try HMACJWTKey(.hs256, secret: Array("mutation-property-secret-0123456789abcdef".utf8))
        let issuer = JWTIssuer(signer: key, timeToLive: 600, issuer: "https://issuer.example", clock: ManualClock(unixSeconds: now),
                               random: SeededRandom(seed: 12))
        let token = try issuer.issue(claims: try JSONObject([("sub", .string("user-42")), ("scope", .string("read write"))]))
        var keys = JWTKeySet()
        try keys.add(key)
        return (token, JWTVerifier(keys: keys, clock: ManualClock(unixSeconds: now)))
    }

    @Test func everyMutationOfAnHS256TokenIsRejected() throws {
        let (token, verifier) = try Self.hs256()
        _ = try verifier.verify(token)
        let variants = Self.variants(of: token)
        #expect(variants.count > 8 * token.utf8.count)
        let accepted = variants.filter { (try? verifier.verify($0)) != nil }
        #expect(accepted.isEmpty, "accepted mutations: \(accepted.prefix(3))")
    }

    // MARK: - Asymmetric JWT

    /// RS256: verification is cheap (e = 65537), so every variant fits in a debug test run.
    @Test func everyMutationOfAnRS256TokenIsRejected() throws {
        let c = try AsymmetricJWTTests.vectorCase("RS256")
        let jwk = try JWK(material: .publicKey(try AsymmetricPublicKey(pem: c.pem)), keyID: c.kid, algorithm: .rs256)
        var keys = JWTKeySet()
        try keys.add(try jwk.verificationKey(), keyID: c.kid)
        let verifier = try AsymmetricJWTTests.verifier(keys)
        _ = try verifier.verify(c.token)
        // Two replacements per position keep the count of RSA verifications reasonable in debug.
        let variants = Self.variants(of: c.token, replacements: [{ $0 ^ 0x01 }, { _ in UInt8(ascii: ".") }])
        let accepted = variants.filter { (try? verifier.verify($0)) != nil }
        #expect(accepted.isEmpty, "accepted mutations: \(accepted.prefix(3))")
    }

    // MARK: - Signed dynamic token

    @Test func everyMutationOfASignedDynamicTokenIsRejected() throws {
        let key = try DynamicTokenKey(id: "k1", secret: Array("mutation-property-dynamic-key-0123456789".utf8))
        let signer = try DynamicTokenSigner(key: key)
        let nowMilliseconds: Int64 = 1_700_000_000_000
        let body = Array(#"{"name":"widget"}"#.utf8)
        let token = try signer.token(method: "POST", target: "/api/items?page=2", body: body, subject: "user-42",
                                     timestampMilliseconds: nowMilliseconds - 1000, nonce: SeededRandom(seed: 3).bytes(16))
        let verifier = try DynamicTokenVerifier(keys: try DynamicTokenKeyRing([key]), replayCache: InMemoryReplayCache())
        func check(_ candidate: String) -> Bool {
            (try? verifier.check(candidate, method: "POST", target: "/api/items?page=2", body: body, nowMilliseconds: nowMilliseconds)) != nil
        }
        #expect(check(token))
        let accepted = Self.variants(of: token).filter(check)
        #expect(accepted.isEmpty, "accepted mutations: \(accepted.prefix(3))")
    }
}
