import Foundation
import Testing
import TestSupport
import TokenCore

/// Interop with PyJWT in both directions. The committed fixtures (made by
/// scripts/interop/gen_pyjwt_fixtures.py) run everywhere; the live cases need python3 with PyJWT.
@Suite struct JWTInteropTests {
    static let hasPyJWT = TestEnvironment.hasPython("jwt")

    struct Profile: Codable, Sendable, Equatable {
        var age: Int
        var ratio: Double
        var verified: Bool
        var nickname: String?
    }

    struct Claims: Codable, Sendable, Equatable {
        var sub: String
        var name: String
        var scope: String
        var roles: [String]
        var profile: Profile
        var escaped: String
    }

    static let expected = Claims(
        sub: "user-12345", name: "Zoë Ünïcødé 🚀", scope: "read:items write:items", roles: ["admin", "user"],
        profile: Profile(age: 42, ratio: 0.125, verified: true, nickname: nil),
        escaped: "quote \" backslash \\ slash / newline \n tab \t"
    )

    struct Fixture: Decodable {
        struct Case: Decodable { var alg: String; var secret_hex: String; var kid: String; var token: String }
        var cases: [Case]
    }

    func options() -> JWTValidationOptions {
        var options = JWTValidationOptions()
        options.acceptedIssuers = ["https://auth.example.com"]
        options.acceptedAudiences = ["api.example.com"]
        options.requiredClaims = ["exp", "iat", "sub", "jti"]
        return options
    }

    @Test func pyjwtIsPresentUnderCI() {
        #expect(TestEnvironment.missingUnderCI(["PyJWT": Self.hasPyJWT]).isEmpty)
    }

    @Test func committedPyJWTTokensVerify() throws {
        let data = try TestEnvironment.fixture("TokenCoreTests", "jwt/pyjwt_tokens.json")
        let fixture = try JSONDecoder().decode(Fixture.self, from: data)
        #expect(fixture.cases.map(\.alg) == ["HS256", "HS384", "HS512"])
        for c in fixture.cases {
            let key = try HMACJWTKey(JWTAlgorithm(rawValue: c.alg), secret: Hex.decode(c.secret_hex), keyID: c.kid)
            let verifier = JWTVerifier(keys: try JWTKeySet([key]), options: options(), clock: ManualClock(unixSeconds: 1_700_000_100))
            let jwt = try verifier.verify(c.token, as: Claims.self)
            #expect(jwt.payload == Self.expected)
            #expect(jwt.header.keyID == c.kid)
            #expect(jwt.claims.audience == ["api.example.com", "other"])
            // One flipped signature bit and it fails.
            var parts = c.token.split(separator: ".").map(String.init)
            var sig = try Base64URL.decode(parts[2])
            sig[0] ^= 0x80
            parts[2] = Base64URL.encode(sig)
            #expect(K.code { () throws(JWTError) in _ = try verifier.verify(parts.joined(separator: ".")) } == .badSignature)
        }
    }

    typealias K = JWTTestKeys

    /// Runs operations through scripts/interop/pyjwt_interop.py.
    func pyjwt(_ ops: [[String: Any]]) throws -> [[String: Any]] {
        let script = TestEnvironment.repositoryRoot.appendingPathComponent("scripts/interop/pyjwt_interop.py").path
        let input = try JSONSerialization.data(withJSONObject: ops)
        let result = try TestEnvironment.run("python3 '\(script)'", input: input)
        try #require(result.status == 0, "pyjwt_interop.py failed: \(result.stderr)")
        let output = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        return try #require(output as? [[String: Any]])
    }

    static let secrets: [(JWTAlgorithm, [UInt8])] = [
        (.hs256, (0..<32).map { UInt8($0 * 3 & 0xFF) }),
        (.hs384, (0..<48).map { UInt8($0 * 5 & 0xFF) }),
        (.hs512, (0..<64).map { UInt8($0 * 7 & 0xFF) }),
    ]

    @Test(.enabled(if: hasPyJWT, "needs python3 with PyJWT (pip install pyjwt)"))
    func tokensSignedByPyJWTVerifyHere() throws {
        let now = Int(Date().timeIntervalSince1970)
        var claims: [String: Any] = [
            "sub": Self.expected.sub, "name": Self.expected.name, "scope": Self.expected.scope, "roles": Self.expected.roles,
            "profile": ["age": 42, "ratio": 0.125, "verified": true, "nickname": NSNull()], "escaped": Self.expected.escaped,
            "iss": "https://auth.example.com", "aud": "api.example.com", "iat": now, "exp": now + 600, "jti": "live-1",
        ]
        claims["nbf"] = now - 5
        let ops: [[String: Any]] = Self.secrets.map { alg, secret in
            ["op": "sign", "alg": alg.rawValue, "secret_hex": Hex.encode(secret), "claims": claims, "headers": ["kid": "py-\(alg)"]]
        }
        let results = try pyjwt(ops)
        try #require(results.count == 3)
        for ((alg, secret), result) in zip(Self.secrets, results) {
            let token = try #require(result["token"] as? String)
            let key = try HMACJWTKey(alg, secret: secret, keyID: "py-\(alg)")
            let jwt = try JWTVerifier(keys: JWTKeySet([key]), options: options()).verify(token, as: Claims.self)
            #expect(jwt.payload == Self.expected)
            #expect(jwt.header.algorithm == alg)
            // Verified with another algorithm's key: refused.
            let other = try HMACJWTKey(alg == .hs256 ? .hs512 : .hs256, secret: [UInt8](repeating: 1, count: 64), keyID: "py-\(alg)")
            #expect(K.code { () throws(JWTError) in _ = try JWTVerifier(keys: JWTKeySet([other])).verify(token) } == .unsupportedAlgorithm)
        }
    }

    @Test(.enabled(if: hasPyJWT, "needs python3 with PyJWT (pip install pyjwt)"))
    func tokensSignedHereVerifyInPyJWT() throws {
        var ops: [[String: Any]] = []
        for (alg, secret) in Self.secrets {
            let key = try HMACJWTKey(alg, secret: secret, keyID: "swift-\(alg)")
            let issuer = JWTIssuer(signer: key, timeToLive: 600, issuer: "https://auth.example.com", audience: ["api.example.com"])
            let token = try issuer.issue(Self.expected)
            ops.append([
                "op": "verify", "alg": alg.rawValue, "secret_hex": Hex.encode(secret), "token": token,
                "audience": "api.example.com", "issuer": "https://auth.example.com", "require": ["exp", "iat", "jti", "sub"],
            ])
            // The same token must fail in PyJWT under a different secret.
            ops.append([
                "op": "verify", "alg": alg.rawValue, "secret_hex": Hex.encode([UInt8](repeating: 0x5A, count: 64)), "token": token,
                "audience": "api.example.com", "issuer": "https://auth.example.com",
            ])
        }
        let results = try pyjwt(ops)
        try #require(results.count == 6)
        for (index, (alg, _)) in Self.secrets.enumerated() {
            let good = results[index * 2]
            let claims = try #require(good["claims"] as? [String: Any], "PyJWT rejected our \(alg) token: \(good["error"] ?? "")")
            #expect(claims["sub"] as? String == Self.expected.sub)
            #expect(claims["name"] as? String == Self.expected.name)
            #expect(claims["escaped"] as? String == Self.expected.escaped)
            #expect((claims["profile"] as? [String: Any])?["ratio"] as? Double == 0.125)
            let exp = try #require(claims["exp"] as? Int)
            let iat = try #require(claims["iat"] as? Int)
            #expect(exp - iat == 600)
            let header = try #require(good["header"] as? [String: Any])
            #expect(header["kid"] as? String == "swift-\(alg)")
            #expect(header["alg"] as? String == alg.rawValue)
            let bad = results[index * 2 + 1]
            #expect((bad["error"] as? String)?.contains("InvalidSignatureError") == true)
        }
    }
}
