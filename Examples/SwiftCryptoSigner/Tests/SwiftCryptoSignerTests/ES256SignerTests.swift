import Crypto
import Foundation
import SwiftCryptoSigner
import Testing
import TokenCore

/// Tokens from the swift-crypto signer verify with the project's pure-Swift ES256 verifier
/// (its own P-256 arithmetic), through the point, the JWK and the PEM; tampering and a foreign
/// key fail.
@Suite struct ES256SignerTests {
    let clock = ManualClock(unixSeconds: 1_767_225_600)
    let signer = ES256Signer(key: Crypto.P256.Signing.PrivateKey(), keyID: "2026-01")

    func issue(_ signer: ES256Signer) throws -> String {
        try JWTIssuer(signer: signer, timeToLive: 600, issuer: "https://auth.example", clock: clock).issue(["sub": "alice"])
    }

    func verifier(_ key: any JWTVerificationKey) throws -> JWTVerifier {
        var keys = JWTKeySet()
        try keys.add(key, keyID: "2026-01")
        return JWTVerifier(keys: keys, clock: clock)
    }

    @Test func tokenVerifiesWithTheProjectsVerifier() throws {
        let token = try issue(signer)
        let verified = try verifier(try signer.verificationKey()).verify(token)
        #expect(verified.payload.subject == "alice")
        #expect(verified.header.algorithm == .es256)
        #expect(verified.header.keyID == "2026-01")
        // JWS ECDSA signatures are r || s, 64 bytes for P-256 (RFC 7518 §3.4), not DER.
        let signature = try Base64URL.decode(try #require(token.split(separator: ".").last))
        #expect(signature.count == 64)
    }

    @Test func publishedJWKAndPEMVerifyToo() throws {
        let token = try issue(signer)
        let jwks = try JWKSet(json: Array(#"{"keys":[\#(signer.publicJWK)]}"#.utf8))
        #expect(try JWTVerifier(keys: try jwks.keySet(), clock: clock).verify(token).payload.subject == "alice")
        let point = try AsymmetricPublicKey(pem: signer.key.publicKey.pemRepresentation)
        guard case .ec(let curve, let x, let y) = point else { Issue.record("not an EC key"); return }
        #expect(try verifier(try ECDSAJWTKey(curve: curve, x: x, y: y, keyID: "2026-01")).verify(token).payload.subject == "alice")
    }

    @Test func tamperedOrForeignTokensFail() throws {
        let token = try issue(signer)
        let parts = token.split(separator: ".").map(String.init)
        let otherPayload = Base64URL.encode(Array(#"{"sub":"mallory","exp":1767226200}"#.utf8))
        let tampered = [parts[0], otherPayload, parts[2]].joined(separator: ".")
        #expect(throws: JWTError.self) { try verifier(try signer.verificationKey()).verify(tampered) }
        let foreign = try issue(ES256Signer(key: Crypto.P256.Signing.PrivateKey(), keyID: "2026-01"))
        #expect(throws: JWTError.self) { try verifier(try signer.verificationKey()).verify(foreign) }
    }

    /// swift-crypto's own verifier accepts the signature the issuer embedded (same signing input).
    @Test func swiftCryptoAgreesOnTheSignature() throws {
        let token = try issue(signer)
        let parts = token.split(separator: ".")
        let signature = try Crypto.P256.Signing.ECDSASignature(rawRepresentation: try Base64URL.decode(parts[2]))
        let input = Array("\(parts[0]).\(parts[1])".utf8)
        #expect(signer.key.publicKey.isValidSignature(signature, for: input))
    }
}
