/// An ECDSA verification key on `Curve`, validated at construction, with a precomputed table.
///
/// The curve-specific public types (``P256/PublicKey``, ``P384/PublicKey``) wrap this generic
/// core so that the arithmetic is written once and specialised by the compiler for each curve.
/// Verification follows SEC 1 v2 §4.1.4 / FIPS 186-5 §6.4.2 with the signature given as the
/// fixed-length `r ‖ s` of RFC 7518 §3.4.
struct ECDSAPublicKey<Curve: WeierstrassCurve>: Sendable {
    typealias Field = Curve.Field
    typealias Scalar = Curve.Scalar

    /// wNAF window for Q. The table (2^(w−2) affine points per 64-bit limb of n) is built once per
    /// key and reused by every verification, which is why it can be larger than a per-call table.
    static var publicKeyWindow: Int { 6 }

    let point: AffinePoint<Field>
    let table: LimbSplitTable<Field>

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
        table = LimbSplitTable(point, parts: Scalar.modulusLimbs.count, window: Self.publicKeyWindow)
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
        let sum = Self.linearCombination(u1, Curve.generatorTable, u2, table)
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

    /// a·A + b·B by interleaved wNAF (Straus–Shamir) over the limb-split tables: every 64-bit
    /// limb of a and b is its own wNAF, so one chain of at most 65 doublings serves them all.
    static func linearCombination(
        _ a: [UInt64], _ tableA: LimbSplitTable<Field>,
        _ b: [UInt64], _ tableB: LimbSplitTable<Field>
    ) -> JacobianPoint<Field> {
        let width = 65
        let partsA = min(a.count, tableA.parts), partsB = min(b.count, tableB.parts)
        var digits = [Int8](repeating: 0, count: (partsA + partsB) * width)
        for part in 0..<partsA {
            LimbArithmetic.nonAdjacentForm(a[part], window: tableA.window, into: &digits, at: part * width)
        }
        for part in 0..<partsB {
            LimbArithmetic.nonAdjacentForm(b[part], window: tableB.window, into: &digits, at: (partsA + part) * width)
        }
        var top = width - 1
        topSearch: while top >= 0 {
            for part in 0..<(partsA + partsB) where digits[part * width + top] != 0 { break topSearch }
            top -= 1
        }
        var acc = JacobianPoint<Field>.identity
        var index = top
        while index >= 0 {
            acc = acc.doubled()
            for part in 0..<partsA {
                let digit = digits[part * width + index]
                if digit != 0 { acc = acc.adding(tableA.entry(part: part, digit: digit)) }
            }
            for part in 0..<partsB {
                let digit = digits[(partsA + part) * width + index]
                if digit != 0 { acc = acc.adding(tableB.entry(part: part, digit: digit)) }
            }
            index -= 1
        }
        return acc
    }
}
