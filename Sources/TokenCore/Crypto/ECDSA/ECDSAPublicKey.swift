/// An ECDSA verification key on `Curve`, validated at construction, with a precomputed table.
///
/// The curve-specific public types (``P256/PublicKey``, ``P384/PublicKey``) wrap this generic
/// core so that the arithmetic is written once and specialised by the compiler for each curve.
/// Verification follows SEC 1 v2 §4.1.4 / FIPS 186-5 §6.4.2 with the signature given as the
/// fixed-length `r ‖ s` of RFC 7518 §3.4.
struct ECDSAPublicKey<Curve: WeierstrassCurve>: Sendable {
    typealias Field = Curve.Field
    typealias Scalar = Curve.Scalar

    /// wNAF window for Q. The table (2^(w−2) affine points) is built once per key and reused by
    /// every verification, which is why it can be larger than a per-call table would be.
    static var publicKeyWindow: Int { 6 }

    let point: AffinePoint<Field>
    let table: [AffinePoint<Field>]

    /// Imports the affine point (x, y), each exactly ``MontgomeryFieldElement/byteCount`` big-endian bytes.
    ///
    /// Rejects coordinates not below p and points not on the curve (SEC 1 §3.2.2.1). The identity
    /// has no affine encoding, so it cannot be given; the curves have cofactor 1, so every point
    /// that passes is of prime order n.
    init(x: UnsafeRawBufferPointer, y: UnsafeRawBufferPointer) throws(CryptoError) {
        let size = Field.byteCount
        guard x.count == size, y.count == size else {
            throw CryptoError(.invalidKey, "EC public key coordinates must be exactly \(size) bytes each (RFC 7518 §6.2.1.2)")
        }
        guard let fx = Field(bigEndian: x), let fy = Field(bigEndian: y) else {
            throw CryptoError(.invalidKey, "EC public key coordinate is not below the field prime")
        }
        guard Curve.isOnCurve(x: fx, y: fy) else {
            throw CryptoError(.invalidKey, "EC public key point is not on the curve")
        }
        point = AffinePoint(x: fx, y: fy)
        table = AffinePoint.oddMultiples(of: point, window: Self.publicKeyWindow)
    }

    var xBytes: [UInt8] { point.x.bigEndianBytes }
    var yBytes: [UInt8] { point.y.bigEndianBytes }

    /// Verifies a raw `r ‖ s` signature over a message digest.
    ///
    /// The digest is truncated to the leftmost bytes of the group order's length, or left-padded
    /// when shorter (FIPS 186-5 §6.4.2 step 3; both orders here are whole bytes).
    func isValidSignature(_ signature: UnsafeRawBufferPointer, digest: UnsafeRawBufferPointer) -> Bool {
        let size = Scalar.byteCount
        guard signature.count == 2 * size else { return false }
        guard let r = Scalar(bigEndian: UnsafeRawBufferPointer(rebasing: signature[0..<size])),
              let s = Scalar(bigEndian: UnsafeRawBufferPointer(rebasing: signature[size...])),
              !r.isZero, !s.isZero
        else { return false } // r, s ∈ [1, n−1] (CVE-2022-21449)

        var e = Scalar.zero
        if digest.count >= size {
            guard let value = Scalar(reducingBigEndian: UnsafeRawBufferPointer(rebasing: digest[0..<size])) else { return false }
            e = value
        } else {
            var padded = [UInt8](repeating: 0, count: size)
            padded.replaceSubrange((size - digest.count)..., with: digest)
            guard let value = padded.withUnsafeBytes({ Scalar(reducingBigEndian: $0) }) else { return false }
            e = value
        }

        let w = s.inverse()
        let u1 = (e * w).canonicalLimbs
        let u2 = (r * w).canonicalLimbs
        let sum = Self.linearCombination(u1, Curve.generatorTable, Curve.generatorWindow, u2, table, Self.publicKeyWindow)
        guard !sum.isIdentity else { return false }

        // x(R) mod n == r, checked projectively: X == r'·Z² for r' ∈ {r, r + n} with r' < p.
        // (Since n < p < 2n, x(R) mod n == r exactly when x(R) is r or r + n.)
        let zz = sum.z.squared()
        let rLimbs = r.canonicalLimbs
        if sum.x == Field(canonicalLimbs: rLimbs) * zz { return true }
        let (rPlusN, carry) = LimbArithmetic.add(rLimbs, Scalar.modulusLimbs)
        guard !carry, LimbArithmetic.compare(rPlusN, Field.modulusLimbs) < 0 else { return false }
        return sum.x == Field(canonicalLimbs: rPlusN) * zz
    }

    /// a·A + b·B by interleaved wNAF (Straus–Shamir): one doubling chain, additions from each
    /// table of odd affine multiples.
    static func linearCombination(
        _ a: [UInt64], _ tableA: [AffinePoint<Field>], _ windowA: Int,
        _ b: [UInt64], _ tableB: [AffinePoint<Field>], _ windowB: Int
    ) -> JacobianPoint<Field> {
        let digitsA = LimbArithmetic.nonAdjacentForm(a, window: windowA)
        let digitsB = LimbArithmetic.nonAdjacentForm(b, window: windowB)
        var top = max(digitsA.count, digitsB.count) - 1
        while top >= 0, digit(digitsA, top) == 0, digit(digitsB, top) == 0 { top -= 1 }
        var acc = JacobianPoint<Field>.identity
        var index = top
        while index >= 0 {
            acc = acc.doubled()
            let da = digit(digitsA, index)
            if da != 0 { acc = acc.adding(lookup(tableA, da)) }
            let db = digit(digitsB, index)
            if db != 0 { acc = acc.adding(lookup(tableB, db)) }
            index -= 1
        }
        return acc
    }

    @inline(__always) private static func digit(_ digits: [Int8], _ index: Int) -> Int8 {
        index < digits.count ? digits[index] : 0
    }

    /// The table entry for an odd NAF digit d: |d|·P, negated when d < 0.
    @inline(__always) private static func lookup(_ table: [AffinePoint<Field>], _ digit: Int8) -> AffinePoint<Field> {
        let magnitude = Int(digit.magnitude) >> 1
        let entry = magnitude < table.count ? table[magnitude] : table[0] // digits never exceed the window
        return digit < 0 ? entry.negated : entry
    }
}
