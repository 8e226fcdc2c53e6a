public import Foundation

/// An RSA public key that verifies PKCS #1 v1.5 and PSS signatures (RFC 8017 §8).
///
/// Import checks what verification relies on: the modulus is odd and between 2048 and 8192
/// bits (moduli under 2048 bits are refused, NIST SP 800-131A), and the public exponent is odd,
/// at least 3, smaller than the modulus and at most 256 bits (so a hostile key cannot make a
/// verification arbitrarily slow). Import prepares the modulus for Montgomery arithmetic once,
/// so each verification is one modular exponentiation plus hashing.
///
/// ```swift
/// let key = try RSAPublicKey(modulus: nBytes, exponent: [0x01, 0x00, 0x01])
/// let ok = key.isValidSignature(signature, for: message, scheme: .pkcs1v15SHA256)
/// ```
///
/// Keys from PEM, DER or JWK: see `RSAPublicKey(pem:)`, `RSAPublicKey(derEncoded:)` and
/// ``JWK``.
public struct RSAPublicKey: Sendable, Hashable {
    /// The smallest modulus accepted, in bits.
    public static let minimumModulusBits = 2048
    /// The largest modulus accepted, in bits.
    public static let maximumModulusBits = 8192
    /// The widest public exponent accepted, in bits.
    public static let maximumExponentBits = 256

    let prepared: MontgomeryModulus
    let exponent: BigUInt

    /// The modulus size in bits.
    public var modulusBitCount: Int { prepared.modulus.bitWidth }
    /// The modulus size in bytes: the length every signature must have.
    public var modulusByteCount: Int { prepared.modulus.byteCount }
    /// The modulus `n`, big-endian, minimal length.
    public var modulus: [UInt8] { prepared.modulus.bigEndianBytes }
    /// The public exponent `e`, big-endian, minimal length.
    public var publicExponent: [UInt8] { exponent.bigEndianBytes }

    /// Creates a key from its big-endian modulus and exponent.
    ///
    /// Leading zero bytes are ignored here; the JWK and DER readers enforce their own
    /// minimal-encoding rules before calling this.
    /// - Parameters:
    ///   - modulus: `n`, unsigned big-endian.
    ///   - exponent: `e`, unsigned big-endian.
    /// - Throws: ``CryptoError/Code/invalidKey`` when the modulus is even, shorter than
    ///   ``minimumModulusBits`` or longer than ``maximumModulusBits``, or the exponent is even,
    ///   below 3, not below the modulus or wider than ``maximumExponentBits``.
    public init(modulus: some Collection<UInt8>, exponent: some Collection<UInt8>) throws(CryptoError) {
        let n = BigUInt(bigEndian: modulus)
        let e = BigUInt(bigEndian: exponent)
        guard n.bitWidth >= Self.minimumModulusBits else {
            throw CryptoError(.invalidKey, "RSA modulus of \(n.bitWidth) bits is below the \(Self.minimumModulusBits)-bit minimum")
        }
        guard n.bitWidth <= Self.maximumModulusBits else {
            throw CryptoError(.invalidKey, "RSA modulus of \(n.bitWidth) bits exceeds the \(Self.maximumModulusBits)-bit maximum")
        }
        guard let prepared = MontgomeryModulus(n) else {
            throw CryptoError(.invalidKey, "RSA modulus is even")
        }
        guard e.isOdd, e.bitWidth >= 2, e.bitWidth <= Self.maximumExponentBits, e < n else {
            throw CryptoError(.invalidKey, "RSA public exponent must be odd, at least 3, below the modulus and at most \(Self.maximumExponentBits) bits")
        }
        self.prepared = prepared
        self.exponent = e
    }

    /// Whether `signature` is a valid signature of `message` under `scheme`.
    ///
    /// Never throws: a signature of the wrong length, one not below the modulus, or one whose
    /// encoded message does not match is simply invalid.
    /// - Parameters:
    ///   - signature: The signature bytes; exactly ``modulusByteCount`` long (RFC 8017 §8.2.2 step 1).
    ///   - message: The signed bytes (for JWS, the ASCII signing input `header.payload`).
    ///   - scheme: The padding and digest the key is bound to.
    /// - Returns: `true` only for a valid signature.
    public func isValidSignature(
        _ signature: some ContiguousBytes, for message: some ContiguousBytes, scheme: RSASignatureScheme
    ) -> Bool {
        let digest = message.withUnsafeBytes { scheme.digest.hash($0) }
        return signature.withUnsafeBytes { sig in
            isValidSignature(sig, digest: digest, scheme: scheme)
        }
    }

    /// Verification given the message digest already computed with `scheme.digest`.
    func isValidSignature(_ signature: UnsafeRawBufferPointer, digest: [UInt8], scheme: RSASignatureScheme) -> Bool {
        guard digest.count == scheme.digest.byteCount, let m = recoverRepresentative(signature) else { return false }
        switch scheme.padding {
        case .pkcs1v15: return isValidPKCS1v15(representative: m, digest: digest, hash: scheme.digest)
        case .pss: return isValidPSS(representative: m, digest: digest, hash: scheme.digest)
        }
    }

    /// RSAVP1 (RFC 8017 §5.2.2) after the length check of §8.2.2 step 1: `s^e mod n`, or `nil`
    /// when the signature has the wrong length or is not below the modulus.
    func recoverRepresentative(_ signature: UnsafeRawBufferPointer) -> BigUInt? {
        guard signature.count == modulusByteCount else { return nil }
        return prepared.power(BigUInt(bigEndian: signature), exponent)
    }
}
