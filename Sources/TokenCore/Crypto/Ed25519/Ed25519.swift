public import Foundation

/// Ed25519 signature verification (RFC 8032 §5.1.7): JWS `EdDSA` with `crv: Ed25519` (RFC 8037).
///
/// Verification only, in pure Swift, strict and cofactorless:
/// - the signature is exactly 64 bytes `R ‖ S` and S must be below the group order L;
/// - the public key A must be a canonical encoding (y < p; no "negative zero" x) of a point on
///   the curve that is not of small order;
/// - the check is [S]B = R + [k]A with k = SHA-512(R ‖ A ‖ M) mod L, done as
///   encode([S]B − [k]A) == R byte for byte, so a non-canonical or undecodable R never verifies.
///
/// Docs/EllipticCurves.md explains the policy and how it matches Wycheproof.
///
/// ```swift
/// let key = try Ed25519.PublicKey(rawRepresentation: jwkX)
/// let ok = key.isValidSignature(signature, for: signingInput)
/// ```
public enum Ed25519 {
    /// An Ed25519 public key A, validated at construction, with a small table of its multiples.
    public struct PublicKey: Sendable {
        /// wNAF window for A's table (2^(w−2) points per 64-bit limb, built once per key).
        static let window = 6

        /// The 32-byte encoding as given (canonical, since non-canonical ones are refused).
        public let rawRepresentation: [UInt8]
        /// Odd multiples of 2^(64·j)·(−A), so that [S]B − [k]A adds for positive NAF digits of k.
        let negatedTable: [Ed25519Point.Cached]

        /// Imports a public key from its 32-byte encoding (the JWK `x` member, RFC 8037 §2).
        ///
        /// - Parameter rawRepresentation: The 32-byte point encoding of RFC 8032 §5.1.2.
        /// - Throws: `CryptoError.invalidKey` when the length is not 32, the encoding is not
        ///   canonical (y ≥ p, or x = 0 with the sign bit set), it decodes to no curve point,
        ///   or the point has small order (a multiple of it by the cofactor 8 is the identity).
        public init(rawRepresentation: some ContiguousBytes) throws(CryptoError) {
            let bytes = rawRepresentation.withUnsafeBytes { [UInt8]($0) }
            guard bytes.count == 32 else {
                throw CryptoError(.invalidKey, "Ed25519 public key must be 32 bytes (RFC 8032 §5.1.5)")
            }
            guard let point = bytes.withUnsafeBytes({ Ed25519Point(encoded: $0) }) else {
                throw CryptoError(.invalidKey, "Ed25519 public key is not a canonical encoding of a curve point (RFC 8032 §5.1.3)")
            }
            guard !point.doubled().doubled().doubled().isIdentity else {
                throw CryptoError(.invalidKey, "Ed25519 public key is a point of small order")
            }
            self.rawRepresentation = bytes
            negatedTable = Ed25519Point.splitOddMultiples(of: point.negated, window: Self.window).map { Ed25519Point.Cached($0) }
        }

        /// Verifies an Ed25519 signature (RFC 8032 §5.1.7, cofactorless, strict encodings).
        ///
        /// - Parameters:
        ///   - signature: The 64-byte `R ‖ S`. Any other length is invalid.
        ///   - message: The signed bytes (for JWS, the ASCII signing input `header.payload`).
        /// - Returns: `true` only when S < L and encode([S]B − [k]A) equals R.
        public func isValidSignature(_ signature: some ContiguousBytes, for message: some ContiguousBytes) -> Bool {
            signature.withUnsafeBytes { signature in
                message.withUnsafeBytes { message in verify(signature, message) }
            }
        }

        func verify(_ signature: UnsafeRawBufferPointer, _ message: UnsafeRawBufferPointer) -> Bool {
            guard signature.count == 64 else { return false }
            let r = UnsafeRawBufferPointer(rebasing: signature[0..<32])
            let s = Self.littleEndianLimbs(UnsafeRawBufferPointer(rebasing: signature[32..<64]))
            guard LimbArithmetic.compare(s, Ed25519Scalar.modulusLimbs) < 0 else { return false } // S < L (§5.1.7 step 1)

            var hasher = SHA512()
            hasher.update(bufferPointer: r)
            rawRepresentation.withUnsafeBytes { hasher.update(bufferPointer: $0) }
            hasher.update(bufferPointer: message)
            let k = hasher.finalize().withUnsafeBytes { Self.reduce(wide: $0) }

            let check = Self.combination(s: s, k: k.canonicalLimbs, negatedTable: negatedTable)
            let computed = check.encodedBytes
            return computed.withUnsafeBytes { ConstantTime.isEqual($0, r) }
        }

        /// [s]B + [k](−A) by interleaved wNAF over B's shared table and −A's per-key table, each
        /// scalar split into four 64-bit limbs so that at most 65 doublings are needed.
        static func combination(s: [UInt64], k: [UInt64], negatedTable: [Ed25519Point.Cached]) -> Ed25519Point {
            let base = Ed25519Point.baseTable
            let width = 65
            let baseStride = 1 << (Ed25519Point.baseWindow - 2), keyStride = 1 << (window - 2)
            var digits = [Int8](repeating: 0, count: 8 * width)
            for part in 0..<4 {
                LimbArithmetic.nonAdjacentForm(part < s.count ? s[part] : 0, window: Ed25519Point.baseWindow, into: &digits, at: part * width)
                LimbArithmetic.nonAdjacentForm(part < k.count ? k[part] : 0, window: window, into: &digits, at: (4 + part) * width)
            }
            var top = width - 1
            topSearch: while top >= 0 {
                for part in 0..<8 where digits[part * width + top] != 0 { break topSearch }
                top -= 1
            }
            var acc = Ed25519Point.identity.projective
            var index = top
            while index >= 0 {
                var sum = acc.doubled()
                for part in 0..<4 {
                    let digit = digits[part * width + index]
                    guard digit != 0 else { continue }
                    let slot = part * baseStride + Int(digit.magnitude >> 1)
                    let entry = base[slot < base.count ? slot : 0] // digits never exceed the window
                    sum = digit > 0 ? sum.extended.adding(entry) : sum.extended.subtracting(entry)
                }
                for part in 0..<4 {
                    let digit = digits[(4 + part) * width + index]
                    guard digit != 0 else { continue }
                    let slot = part * keyStride + Int(digit.magnitude >> 1)
                    let entry = negatedTable[slot < negatedTable.count ? slot : 0] // digits never exceed the window
                    sum = digit > 0 ? sum.extended.adding(entry) : sum.extended.subtracting(entry)
                }
                if index == 0 { return sum.extended }
                acc = sum.projective
                index -= 1
            }
            return Ed25519Point.identity
        }

        /// A 512-bit little-endian integer reduced modulo L: lo + hi·2²⁵⁶, each half reduced by one
        /// Montgomery product (which accepts operands up to 2²⁵⁶).
        static func reduce(wide bytes: UnsafeRawBufferPointer) -> Ed25519Scalar {
            let low = littleEndianLimbs(UnsafeRawBufferPointer(rebasing: bytes[0..<32]))
            let high = littleEndianLimbs(UnsafeRawBufferPointer(rebasing: bytes[32..<64]))
            let r2 = Ed25519Scalar.rSquared
            return Ed25519Scalar(rawLimbs: low) * r2 + Ed25519Scalar(rawLimbs: high) * r2 * r2
        }

        static func littleEndianLimbs(_ bytes: UnsafeRawBufferPointer) -> [UInt64] {
            (0..<(bytes.count / 8)).map { index in
                var limb: UInt64 = 0
                for offset in stride(from: 7, through: 0, by: -1) { limb = limb << 8 | UInt64(bytes[8 * index + offset]) }
                return limb
            }
        }
    }
}
