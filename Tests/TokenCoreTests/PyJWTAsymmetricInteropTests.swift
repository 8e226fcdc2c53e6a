import Foundation
import Testing
import TestSupport
import TokenCore

/// Tokens signed by PyJWT (OpenSSL through `cryptography`) for every asymmetric algorithm verify
/// here through ``JWTVerifier``, with keys given as a JWKS (PyJWT's own JWK export) and as PEM.
@Suite struct PyJWTAsymmetricInteropTests {
    static let available = TestEnvironment.hasPython("jwt", "cryptography")

    struct Output: Decodable {
        struct Case: Decodable {
            var alg: String
            var kid: String
            var token: String
            var pem: String
        }
        var now: Double
        var cases: [Case]
    }

    @Test func pyJWTIsPresentUnderCI() {
        #expect(TestEnvironment.missingUnderCI(["python3 with PyJWT and cryptography": Self.available]).isEmpty)
    }

    @Test(.enabled(if: available, "needs python3 with PyJWT and cryptography (pip install pyjwt cryptography)"))
    func pyJWTTokensVerify() throws {
        let script = TestEnvironment.repositoryRoot.appendingPathComponent("scripts/interop/pyjwt_asymmetric.py").path
        let result = try TestEnvironment.run("python3 '\(script)'")
        #expect(result.status == 0, "\(result.stderr)")
        let stdout = Data(result.stdout.utf8)
        let output = try JSONDecoder().decode(Output.self, from: stdout)
        #expect(output.cases.map(\.alg) == ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"])

        // Keys as a JWKS, read with the project's strict JSON reader.
        let root = try JSONReader().parseObject(stdout)
        let jwksText = String(decoding: try #require(root["jwks"]).serialized(), as: UTF8.self)
        let jwks = try JWKSet(json: jwksText)
        #expect(jwks.skipped.isEmpty, "\(jwks.skipped)")
        var options = JWTValidationOptions()
        options.acceptedIssuers = ["https://pyjwt.example"]
        options.acceptedAudiences = ["api.example"]
        let clock = ManualClock(unixSeconds: output.now + 1)
        let fromJWKS = JWTVerifier(keys: try jwks.keySet(), options: options, clock: clock)

        for c in output.cases {
            let verified = try fromJWKS.verify(c.token)
            #expect(verified.header.algorithm.rawValue == c.alg)
            #expect(verified.claims.subject == "interop")

            // Keys as PEM, bound to the algorithm by configuration.
            let pemKey = try JWK(material: .publicKey(try AsymmetricPublicKey(pem: c.pem)), keyID: c.kid,
                                 algorithm: JWTAlgorithm(rawValue: c.alg)).verificationKey()
            var keys = JWTKeySet()
            try keys.add(pemKey, keyID: c.kid)
            _ = try JWTVerifier(keys: keys, options: options, clock: clock).verify(c.token)

            // And a flipped signature byte fails.
            var bytes = Array(c.token.utf8)
            let index = bytes.count - 3
            bytes[index] = bytes[index] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            #expect(throws: JWTError.self, "\(c.alg) tampered token accepted") {
                try fromJWKS.verify(String(decoding: bytes, as: UTF8.self))
            }
        }
        print("PyJWT interop: \(output.cases.count) algorithms verified via JWKS and PEM")
    }
}
