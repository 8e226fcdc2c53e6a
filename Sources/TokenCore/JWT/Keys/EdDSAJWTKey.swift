import Foundation

/// An Ed25519 public key bound to EdDSA (RFC 8037 §3.1).
///
/// ```swift
/// let key = try EdDSAJWTKey(Ed25519.PublicKey(rawRepresentation: x), keyID: "ed-1")
/// ```
public struct EdDSAJWTKey: JWTVerificationKey {
    public let algorithm = JWTAlgorithm.eddsa
    /// The `kid` this key is known by, if any.
    public let keyID: String?
    /// The public key.
    public let publicKey: Ed25519.PublicKey

    /// Binds `key` to EdDSA.
    public init(_ key: Ed25519.PublicKey, keyID: String? = nil) {
        publicKey = key
        self.keyID = keyID
    }

    public func isValidSignature(_ signature: UnsafeRawBufferPointer, for signingInput: UnsafeRawBufferPointer) -> Bool {
        publicKey.isValidSignature(signature, for: signingInput)
    }
}
