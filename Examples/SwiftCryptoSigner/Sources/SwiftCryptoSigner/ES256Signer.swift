public import Crypto
public import Foundation
public import TokenCore

/// Signs JWTs with ES256 (ECDSA P-256 with SHA-256, RFC 7518 §3.4) using a swift-crypto private
/// key, for services that issue tokens with an asymmetric key and publish the public half.
///
/// The root package only *verifies* asymmetric signatures (it has no private-key code, by
/// design); plug a signer like this one into ``TokenCore/JWTIssuer`` to issue them:
///
/// ```swift
/// let signer = ES256Signer(key: P256.Signing.PrivateKey(), keyID: "2026-01")
/// let issuer = JWTIssuer(signer: signer, timeToLive: 900, issuer: "https://auth.example")
/// let token = try issuer.issue(["sub": "alice"])
/// // Verifiers get `try signer.verificationKey()` (or its JWK) in their JWTKeySet.
/// ```
public struct ES256Signer: JWTSigner {
    /// The private key (in production, load it from your secret store or an HSM-backed key).
    public let key: Crypto.P256.Signing.PrivateKey
    public let keyID: String?
    public var algorithm: JWTAlgorithm { .es256 }

    /// Creates a signer.
    /// - Parameters:
    ///   - key: The P-256 private key.
    ///   - keyID: Written into each token's `kid` header so verifiers can pick the key.
    public init(key: Crypto.P256.Signing.PrivateKey, keyID: String? = nil) {
        self.key = key
        self.keyID = keyID
    }

    /// Signs the JWS signing input (RFC 7515 §5.1). swift-crypto hashes with SHA-256 and
    /// returns the fixed 64-byte `r || s` (`rawRepresentation`) that JWS requires, not DER.
    /// - Throws: swift-crypto's error if signing fails.
    public func sign(_ signingInput: UnsafeRawBufferPointer) throws -> [UInt8] {
        Array(try key.signature(for: signingInput).rawRepresentation)
    }

    /// The matching verification key for the project's verifier, through its public point.
    /// - Throws: ``TokenCore/JWTError`` if the point is rejected (it never is for a key
    ///   swift-crypto generated).
    public func verificationKey() throws(JWTError) -> ECDSAJWTKey {
        let point = Array(key.publicKey.rawRepresentation) // x || y, 32 bytes each
        return try ECDSAJWTKey(curve: .p256, x: Array(point.prefix(32)), y: Array(point.suffix(32)), keyID: keyID)
    }

    /// The public key as a JWK (RFC 7517 §4, RFC 7518 §6.2.1) for a JWKS endpoint.
    public var publicJWK: String {
        let point = Array(key.publicKey.rawRepresentation)
        var members = [
            #""kty":"EC""#, #""crv":"P-256""#, #""alg":"ES256""#, #""use":"sig""#,
            #""x":"\#(Base64URL.encode(point.prefix(32)))""#, #""y":"\#(Base64URL.encode(point.suffix(32)))""#,
        ]
        if let keyID { members.append(#""kid":"\#(keyID.replacingOccurrences(of: "\"", with: ""))""#) }
        return "{" + members.joined(separator: ",") + "}"
    }
}
