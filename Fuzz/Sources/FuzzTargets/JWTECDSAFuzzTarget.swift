import Foundation
import TokenCore

/// ES256 verification with a fixed P-256 public key (`JWTVerifier` over `ECDSAJWTKey`).
///
/// The key and the valid token come from the project's asymmetric vectors
/// (`scripts/vectors/gen_asymmetric_vectors.py`, Tests/TokenCoreTests/Fixtures/asymmetric). The
/// first input byte picks a mode:
/// - **token** (even): the rest is a token to verify.
/// - **mutate** (odd): up to eight (position, XOR) pairs applied to the valid token.
///
/// Invariant: whatever verifies has exactly the valid token's signing input — nobody without
/// the private key can make the verifier accept another header or payload. (The signature may
/// differ only by ECDSA's own malleability, `s` ↦ `n − s`, which needs the curve order.)
enum JWTECDSAFuzzTarget {
    static let target = FuzzTarget(
        name: "jwt-es256",
        summary: "JWT parse + ES256 verify: nothing but the signed header and payload is accepted",
        run: run,
        seeds: seeds
    )

    static let pem = """
        -----BEGIN PUBLIC KEY-----
        MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqMo9bolYeduw++B14OwW18+hNMUj
        JF6paTRTXhT9nWpx971pwn8MI6WbPlu4f07JO/PJqMRS9k80WYdjO4kf+A==
        -----END PUBLIC KEY-----
        """
    static let token = "eyJhbGciOiJFUzI1NiIsImtpZCI6ImVzMjU2LXAyNTYiLCJ0eXAiOiJKV1QifQ"
        + ".eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlIiwic3ViIjoidXNlci00MiIsImF1ZCI6ImFwaS5leGFtcGxlIiwiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjE3MDAwMDM2MDAsIm5hbWUiOiJBZGEgTG92ZWxhY2UiLCJzY29wZSI6InJlYWQgd3JpdGUifQ"
        + ".A35gv59tnQuS3U_ipiU9VKNJ3Rey4gJ5jR48Hnd3jZFb6QoIdTQZcLME6mvkN5m-WY1Y-2GiExPNSZJIOUNUIQ"
    static let verifyAt = 1_700_000_100.0

    static let verifier: JWTVerifier? = {
        guard let key = try? AsymmetricPublicKey(pem: pem),
              let jwk = try? JWK(material: .publicKey(key), keyID: "es256-p256", algorithm: .es256),
              let verificationKey = try? jwk.verificationKey() else { return nil }
        var keys = JWTKeySet()
        guard (try? keys.add(verificationKey, keyID: "es256-p256")) != nil else { return nil }
        var options = JWTValidationOptions()
        options.acceptedIssuers = ["https://issuer.example"]
        options.acceptedAudiences = ["api.example"]
        let verifier = JWTVerifier(keys: keys, options: options, clock: ManualClock(unixSeconds: verifyAt))
        // The mode that mutates the valid token is only meaningful while it verifies.
        return (try? verifier.verify(token)) != nil ? verifier : nil
    }()

    static let signingInput: Substring = token[..<(token.lastIndex(of: ".") ?? token.endIndex)]

    static func run(_ raw: UnsafeRawBufferPointer) {
        guard let verifier else { invariant(false, "the fixed ES256 key was refused or the valid token does not verify"); return }
        var input = FuzzInput(raw)
        let candidate: String
        if input.byte() % 2 == 0 {
            candidate = String(decoding: input.rest(), as: UTF8.self)
        } else {
            var bytes = Array(token.utf8)
            for _ in 0..<8 where !input.isAtEnd {
                let position = Int(input.uint16()) % bytes.count
                bytes[position] ^= input.byte()
            }
            candidate = String(decoding: bytes, as: UTF8.self)
        }
        guard (try? verifier.verify(candidate)) != nil else { return }
        let candidateInput = candidate[..<(candidate.lastIndex(of: ".") ?? candidate.endIndex)]
        invariant(candidateInput == signingInput, "an ES256 token with another header or payload verified")
    }

    static func seeds() -> [[UInt8]] {
        [
            [0] + Array(token.utf8),
            [1, 0, 10, 1],
            [1, 0, 70, 0x20, 0, 200, 0x04],
            [0] + Array(signingInput.utf8) + Array(".AAAA".utf8),
        ]
    }
}
