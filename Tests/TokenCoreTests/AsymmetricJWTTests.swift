import Foundation
import Testing
import TestSupport
import TokenCore

/// RS*, PS*, ES*, EdDSA tokens through ``JWTVerifier`` with keys from JWK, JWKS and PEM, using
/// the vectors `scripts/vectors/gen_asymmetric_vectors.py` generated with Python `cryptography`.
@Suite struct AsymmetricJWTTests {
    struct Vectors: Decodable {
        struct Case: Decodable {
            struct Mutation: Decodable {
                var why: String
                var token: String
            }
            var alg: String
            var kid: String
            var pem: String
            var pkcs1Pem: String?
            var token: String
            var mutated: [Mutation]
        }
        struct Rejected: Decodable {
            var why: String
            var pem: String
        }
        var verifyAt: Double
        var cases: [Case]
        var rejectedKeys: [Rejected]
    }

    static let vectorsData: Data = (try? TestEnvironment.fixture("TokenCoreTests", "asymmetric/vectors.json")) ?? Data()
    static let vectors: Vectors? = try? JSONDecoder().decode(Vectors.self, from: vectorsData)
    static let algorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"]

    /// The JSON text of the fixture's members, re-read with the project's strict reader.
    static func fixtureObject() throws -> JSONObject {
        try JSONReader().parseObject(vectorsData)
    }

    static func jwkText(_ kid: String) throws -> String {
        let object = try fixtureObject()
        let cases = try #require(object["cases"]?.arrayValue)
        let match = try #require(cases.first { $0["kid"]?.stringValue == kid })
        return String(decoding: try #require(match["jwk"]).serialized(), as: UTF8.self)
    }

    static func jwksText() throws -> String {
        String(decoding: try #require(try fixtureObject()["jwks"]).serialized(), as: UTF8.self)
    }

    static func options() -> JWTValidationOptions {
        var options = JWTValidationOptions()
        options.acceptedIssuers = ["https://issuer.example"]
        options.acceptedAudiences = ["api.example"]
        return options
    }

    static func verifier(_ keys: JWTKeySet) throws -> JWTVerifier {
        JWTVerifier(keys: keys, options: options(), clock: ManualClock(unixSeconds: try #require(vectors).verifyAt))
    }

    static func vectorCase(_ alg: String) throws -> Vectors.Case {
        try #require(vectors?.cases.first { $0.alg == alg })
    }

    @Test func vectorsCoverEveryAlgorithm() throws {
        #expect(try #require(Self.vectors).cases.map(\.alg) == Self.algorithms)
    }

    @Test(arguments: algorithms)
    func tokenVerifiesWithKeyFromJWKS(_ alg: String) throws {
        let c = try Self.vectorCase(alg)
        let jwks = try JWKSet(json: try Self.jwksText())
        #expect(jwks.skipped.isEmpty)
        let verified = try Self.verifier(try jwks.keySet()).verify(c.token)
        #expect(verified.claims.subject == "user-42")
        #expect(verified.header.keyID == c.kid)
    }

    @Test(arguments: algorithms)
    func tokenVerifiesWithKeyFromJWKAndPEM(_ alg: String) throws {
        let c = try Self.vectorCase(alg)
        let jwk = try JWK(json: try Self.jwkText(c.kid))
        #expect(jwk.algorithm?.rawValue == alg && jwk.keyID == c.kid)
        var fromJWK = JWTKeySet()
        try fromJWK.add(try jwk.verificationKey(), keyID: c.kid)
        _ = try Self.verifier(fromJWK).verify(c.token)

        let pemJWK = try JWK(material: .publicKey(try AsymmetricPublicKey(pem: c.pem)), keyID: c.kid, algorithm: JWTAlgorithm(rawValue: alg))
        var fromPEM = JWTKeySet()
        try fromPEM.add(try pemJWK.verificationKey(), keyID: c.kid)
        _ = try Self.verifier(fromPEM).verify(c.token)

        if let pkcs1 = c.pkcs1Pem {
            let key = try RSAPublicKey(pem: pkcs1)
            #expect(key == (try RSAPublicKey(pem: c.pem)))
        }
    }

    @Test(arguments: algorithms)
    func mutatedSignaturesFail(_ alg: String) throws {
        let c = try Self.vectorCase(alg)
        let verifier = try Self.verifier(try JWKSet(json: try Self.jwksText()).keySet())
        #expect(c.mutated.count >= 10)
        for m in c.mutated {
            #expect(throws: JWTError.self, "\(alg): \(m.why) was accepted") { try verifier.verify(m.token) }
            do {
                _ = try verifier.verify(m.token)
            } catch {
                #expect(error.code == .badSignature || error.code == .malformed, "\(alg): \(m.why) → \(error.code)")
            }
        }
    }

    @Test func keyBoundToOtherAlgorithmRefusesToken() throws {
        // The RS256 key registered under its kid but bound to PS256: the token's alg cannot rebind it.
        let c = try Self.vectorCase("RS256")
        let key = try RSAPublicKey(pem: c.pem)
        var keys = JWTKeySet()
        try keys.add(try RSAJWTKey(.ps256, key: key), keyID: c.kid)
        #expect(throws: JWTError.self) { try Self.verifier(keys).verify(c.token) }
        // And an RSA public key can never become an HMAC secret.
        #expect(throws: JWTError.self) { try RSAJWTKey(.hs256, key: key) }
    }

    @Test func undersizedRSAKeysAreRefused() throws {
        let vectors = try #require(Self.vectors)
        #expect(vectors.rejectedKeys.count == 2)
        for rejected in vectors.rejectedKeys {
            #expect(throws: CryptoError.self, "\(rejected.why)") { try AsymmetricPublicKey(pem: rejected.pem) }
        }
        let object = try Self.fixtureObject()
        for entry in try #require(object["rejectedKeys"]?.arrayValue) {
            let jwk = String(decoding: try #require(entry["jwk"]).serialized(), as: UTF8.self)
            #expect(throws: JWTError.self) { try JWK(json: jwk) }
            // In a set, such a key is skipped (RFC 7517 §5), not fatal, and the reason says why.
            let set = try JWKSet(json: #"{"keys":[\#(jwk)]}"#)
            #expect(set.keys.isEmpty && set.skipped.count == 1)
            #expect(set.skipped.first?.reason.contains("2048") == true)
        }
    }

    // MARK: - RFC 7515 appendix A.2

    static let rfc7515A2Modulus =
        "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMs"
        + "D1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdV"
        + "MTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ"
    static let rfc7515A2Token =
        "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ."
        + "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZ"
        + "cAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-e"
        + "OkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw"

    @Test func rfc7515AppendixA2() throws {
        let jwk = try JWK(json: #"{"kty":"RSA","n":"\#(Self.rfc7515A2Modulus)","e":"AQAB"}"#)
        let key = try jwk.verificationKey() // no alg: RSA defaults to RS256
        #expect(key.algorithm == .rs256)
        let verifier = JWTVerifier(keys: try JWTKeySet.with(key), clock: ManualClock(unixSeconds: 1_300_819_000))
        let verified = try verifier.verify(Self.rfc7515A2Token)
        #expect(verified.claims.issuer == "joe")
        // The same signature under PS256 (other padding) must fail.
        let pss = JWTVerifier(keys: try JWTKeySet.with(try jwk.verificationKey(requested: .ps256)), clock: ManualClock(unixSeconds: 1_300_819_000))
        #expect(throws: JWTError.self) { try pss.verify(Self.rfc7515A2Token) }
    }
}

extension JWTKeySet {
    static func with(_ key: any JWTVerificationKey, keyID: String? = nil) throws -> JWTKeySet {
        var set = JWTKeySet()
        try set.add(key, keyID: keyID)
        return set
    }
}
