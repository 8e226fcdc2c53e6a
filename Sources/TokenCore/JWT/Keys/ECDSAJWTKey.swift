import Foundation

/// An elliptic-curve public key bound to ES256 (P-256) or ES384 (P-384) (RFC 7518 §3.4).
///
/// The curve decides the algorithm, so a key can never be used with the other one. Signatures
/// are the fixed-length `r ‖ s` of RFC 7518 §3.4; DER signatures and any other length are
/// invalid. The point checks (on the curve, coordinates below p) run when the key is made.
///
/// ```swift
/// let key = try ECDSAJWTKey(.p256(P256.PublicKey(x: x, y: y)), keyID: "ec-1")
/// ```
public struct ECDSAJWTKey: JWTVerificationKey {
    /// The curve and its validated point.
    public enum PublicKey: Sendable {
        /// A P-256 key, for ES256.
        case p256(P256.PublicKey)
        /// A P-384 key, for ES384.
        case p384(P384.PublicKey)
    }

    public let algorithm: JWTAlgorithm
    /// The `kid` this key is known by, if any.
    public let keyID: String?
    /// The public key.
    public let publicKey: PublicKey

    /// Binds `key` to the algorithm of its curve: ES256 for P-256, ES384 for P-384.
    /// - Parameters:
    ///   - key: The validated public key.
    ///   - keyID: The key id tokens name it by.
    public init(_ key: PublicKey, keyID: String? = nil) {
        publicKey = key
        self.keyID = keyID
        switch key {
        case .p256: algorithm = .es256
        case .p384: algorithm = .es384
        }
    }

    /// Makes a key from encoded coordinates, validating the point.
    /// - Throws: ``JWTError/Code/invalidKey`` when the point is not a valid public key.
    public init(curve: AsymmetricPublicKey.Curve, x: [UInt8], y: [UInt8], keyID: String? = nil) throws(JWTError) {
        do {
            switch curve {
            case .p256: self.init(.p256(try P256.PublicKey(x: x, y: y)), keyID: keyID)
            case .p384: self.init(.p384(try P384.PublicKey(x: x, y: y)), keyID: keyID)
            }
        } catch {
            throw JWTError(.invalidKey, "\(curve.rawValue) key: \(error.reason)")
        }
    }

    public func isValidSignature(_ signature: UnsafeRawBufferPointer, for signingInput: UnsafeRawBufferPointer) -> Bool {
        switch publicKey {
        case .p256(let key): key.isValidSignature(signature, for: signingInput)
        case .p384(let key): key.isValidSignature(signature, for: signingInput)
        }
    }
}
