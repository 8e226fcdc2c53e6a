public import Foundation

/// ECDSA verification over NIST P-256 (secp256r1, SEC 2 §2.4.2) with SHA256: JWS `ES256` (RFC 7518 §3.4).
///
/// Verification only, in pure Swift. Every input of a verification is public, so the arithmetic
/// is not constant time; it is exact on every input and never traps.
///
/// ```swift
/// let key = try P256.PublicKey(x: xBytes, y: yBytes)
/// let ok = key.isValidSignature(signature, for: signingInput)
/// ```
public enum P256 {
    /// A P-256 public key: a validated affine point.
    ///
    /// Construction rejects coordinates of the wrong length, coordinates not below p, and points
    /// not on the curve; the point at infinity has no affine encoding and so cannot be imported.
    /// The key keeps a small table of multiples of itself, so build it once and reuse it.
    public struct PublicKey: Sendable {
        let core: ECDSAPublicKey<P256Curve>

        /// Imports a key from its affine coordinates (the JWK `x` and `y` members, RFC 7518 §6.2.1).
        ///
        /// - Parameters:
        ///   - x: The x coordinate, exactly 32 big-endian bytes.
        ///   - y: The y coordinate, exactly 32 big-endian bytes.
        /// - Throws: `CryptoError.invalidKey` when a coordinate has the wrong length or is not
        ///   below p, or when the point is not on the curve (SEC 1 v2 §3.2.2.1).
        public init(x: some ContiguousBytes, y: some ContiguousBytes) throws(CryptoError) {
            let result: Result<ECDSAPublicKey<P256Curve>, CryptoError> = x.withUnsafeBytes { xBuffer in
                y.withUnsafeBytes { yBuffer in
                    Result { () throws(CryptoError) in try ECDSAPublicKey(x: xBuffer, y: yBuffer) }
                }
            }
            core = try result.get()
        }

        /// Imports a key from the uncompressed SEC 1 encoding `04 ‖ x ‖ y` (SEC 1 v2 §2.3.3),
        /// as found in a SubjectPublicKeyInfo. Compressed points are not accepted.
        ///
        /// - Parameter uncompressedRepresentation: 65 bytes starting with `0x04`.
        /// - Throws: `CryptoError.invalidKey` for any other length or prefix, or an invalid point.
        public init(uncompressedRepresentation bytes: some ContiguousBytes) throws(CryptoError) {
            let raw = bytes.withUnsafeBytes { [UInt8]($0) }
            guard raw.count == 65, raw[0] == 0x04 else {
                throw CryptoError(.invalidKey, "P-256 public key must be the 65-byte uncompressed form 04 ‖ x ‖ y")
            }
            try self.init(x: raw[1...32], y: raw[33...])
        }

        /// The x coordinate, 32 big-endian bytes.
        public var x: [UInt8] { core.xBytes }
        /// The y coordinate, 32 big-endian bytes.
        public var y: [UInt8] { core.yBytes }

        /// Verifies a JWS `ES256` signature: hashes `message` with SHA256, then checks `r ‖ s`.
        ///
        /// - Parameters:
        ///   - rawSignature: The 64-byte `r ‖ s` of RFC 7518 §3.4. Any other length,
        ///     including a DER-encoded signature, is invalid.
        ///   - message: The signed bytes (for JWS, the ASCII signing input `header.payload`).
        /// - Returns: `true` only when `1 ≤ r, s < n` and the signature verifies. High-S
        ///   signatures are valid (JWS does not normalise S).
        public func isValidSignature(_ rawSignature: some ContiguousBytes, for message: some ContiguousBytes) -> Bool {
            isValidSignature(rawSignature, forDigest: SHA256.hash(message))
        }

        /// Verifies a raw `r ‖ s` signature over a precomputed message digest.
        ///
        /// - Parameters:
        ///   - rawSignature: The 64-byte `r ‖ s` (RFC 7518 §3.4).
        ///   - digest: The message digest; longer digests are truncated to their leftmost 32
        ///     bytes and shorter ones left-padded (FIPS 186-5 §6.4.2).
        /// - Returns: Whether the signature is valid for this key and digest.
        public func isValidSignature(_ rawSignature: some ContiguousBytes, forDigest digest: some ContiguousBytes) -> Bool {
            rawSignature.withUnsafeBytes { signature in
                digest.withUnsafeBytes { digest in core.isValidSignature(signature, digest: digest) }
            }
        }
    }
}
