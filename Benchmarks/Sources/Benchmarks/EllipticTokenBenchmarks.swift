import Crypto
import Foundation
import JWTKit
import TokenCore

/// ES256, ES384 and EdDSA verification of a whole token (signature + claims + typed payload),
/// beside vapor/jwt-kit verifying the same token in the same run: the elliptic counterpart of
/// `AsymmetricBenchmarks.runRSA`. Fresh keys from swift-crypto; jwt-kit signs, both verify.
enum EllipticTokenBenchmarks {
    typealias Claims = AsymmetricBenchmarks.Claims
    typealias KitClaims = AsymmetricBenchmarks.KitClaims

    static func run(_ bench: Bench) {
        let groups = ["es256", "es384", "eddsa", "jwt-kit es256", "jwt-kit es384", "jwt-kit eddsa"]
        guard groups.contains(where: bench.isGroupSelected) else { return }
        let p256 = Crypto.P256.Signing.PrivateKey()
        let p384 = Crypto.P384.Signing.PrivateKey()
        let ed = Curve25519.Signing.PrivateKey()
        let claims = KitClaims(
            sub: "user-12345", iss: "https://auth.example.com", aud: "api.example.com",
            exp: ExpirationClaim(value: Date(timeIntervalSince1970: Double(AsymmetricBenchmarks.expiresAt))),
            iat: IssuedAtClaim(value: Date(timeIntervalSince1970: Double(AsymmetricBenchmarks.issuedAt))),
            name: "Jane Doe", scope: "read:items write:items"
        )
        let tokens: (es256: String, es384: String, eddsa: String)? = AsymmetricBenchmarks.blocking {
            let signer = JWTKeyCollection()
            await signer.add(ecdsa: try ES256PrivateKey(backing: p256), kid: "ec-256")
            await signer.add(ecdsa: try ES384PrivateKey(backing: p384), kid: "ec-384")
            await signer.add(eddsa: EdDSA.PrivateKey(backing: ed), kid: "ed-1")
            return (try await signer.sign(claims, kid: "ec-256"), try await signer.sign(claims, kid: "ec-384"),
                    try await signer.sign(claims, kid: "ed-1"))
        }
        guard let tokens else { return }

        var options = JWTValidationOptions()
        options.acceptedIssuers = ["https://auth.example.com"]
        options.acceptedAudiences = ["api.example.com"]
        let verifier: JWTVerifier
        do {
            let raw256 = Array(p256.publicKey.rawRepresentation)
            let raw384 = Array(p384.publicKey.rawRepresentation)
            var keys = JWTKeySet()
            try keys.add(try ECDSAJWTKey(curve: .p256, x: Array(raw256[..<32]), y: Array(raw256[32...])), keyID: "ec-256")
            try keys.add(try ECDSAJWTKey(curve: .p384, x: Array(raw384[..<48]), y: Array(raw384[48...])), keyID: "ec-384")
            try keys.add(EdDSAJWTKey(try TokenCore.Ed25519.PublicKey(rawRepresentation: Array(ed.publicKey.rawRepresentation))),
                         keyID: "ed-1")
            verifier = JWTVerifier(keys: keys, options: options)
            for token in [tokens.es256, tokens.es384, tokens.eddsa] { _ = try verifier.verify(token, as: Claims.self) }
        } catch {
            print("  elliptic token benchmarks: setup failed: \(error)")
            return
        }
        print("  es256 token: \(tokens.es256.utf8.count) bytes, es384: \(tokens.es384.utf8.count), eddsa: \(tokens.eddsa.utf8.count)")

        let cases = [("es256", tokens.es256), ("es384", tokens.es384), ("eddsa", tokens.eddsa)]
        for (name, token) in cases {
            bench.measure("\(name) verify + claims + typed payload") { consume(try? verifier.verify(token, as: Claims.self)) }
        }

        let minimum = bench.minimumSeconds
        for (name, token) in cases where bench.isSelected("jwt-kit \(name) verify + claims + payload") {
            let timing: JWTBenchmarks.Timing? = AsymmetricBenchmarks.blocking {
                let keys = JWTKeyCollection()
                switch name {
                case "es256": await keys.add(ecdsa: try ES256PublicKey(backing: p256.publicKey), kid: "ec-256")
                case "es384": await keys.add(ecdsa: try ES384PublicKey(backing: p384.publicKey), kid: "ec-384")
                default: await keys.add(eddsa: EdDSA.PublicKey(backing: ed.publicKey), kid: "ed-1")
                }
                _ = try await keys.verify(token, as: KitClaims.self)
                return try await AsymmetricBenchmarks.timeAsync(minimum) { _ = try await keys.verify(token, as: KitClaims.self) }
            }
            guard let timing else { continue }
            bench.report("jwt-kit \(name) verify + claims + payload", nanosecondsPerOperation: timing.wall, cpu: timing.cpu)
            bench.ratio("\(name) verify + claims + typed payload", "jwt-kit \(name) verify + claims + payload", label: "\(name) vs jwt-kit")
        }
    }
}
