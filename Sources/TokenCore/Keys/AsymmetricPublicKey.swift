/// A public key read from PEM, DER or a JWK, before it is bound to a signature algorithm.
///
/// RSA keys are fully validated at import (``RSAPublicKey``). Elliptic-curve and Ed25519 keys
/// carry their encoded coordinates; their curve checks (on the curve, not the identity,
/// decodable) run when they are turned into verification keys for ES256, ES384 or EdDSA.
public enum AsymmetricPublicKey: Sendable, Hashable {
    /// A named elliptic curve with short-Weierstrass keys.
    public enum Curve: String, Sendable, Hashable, CaseIterable {
        /// NIST P-256 (secp256r1), JWK `crv` `"P-256"`.
        case p256 = "P-256"
        /// NIST P-384 (secp384r1), JWK `crv` `"P-384"`.
        case p384 = "P-384"

        /// Length of one coordinate in bytes.
        public var coordinateByteCount: Int { self == .p256 ? 32 : 48 }
    }

    /// An RSA key (modulus at least 2048 bits).
    case rsa(RSAPublicKey)
    /// An uncompressed elliptic-curve point: big-endian `x` and `y`, each exactly
    /// `curve.coordinateByteCount` bytes.
    case ec(curve: Curve, x: [UInt8], y: [UInt8])
    /// An Ed25519 public key: the 32-byte encoding of RFC 8032 §5.1.5.
    case ed25519([UInt8])
}
