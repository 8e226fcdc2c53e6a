/// An odd modulus prepared for Montgomery arithmetic (Montgomery 1985; the CIOS variant of
/// Koç, Acar and Kaliski 1996), with modular exponentiation on top.
///
/// Preparation computes `−n⁻¹ mod 2⁶⁴` and `R² mod n` (R = 2^(64·limbs)) once, when a key is
/// imported. Each multiplication then works in place in a scratch area allocated once per
/// exponentiation on the stack: nothing is allocated per step. Products come from
/// `UInt64.multipliedFullWidth(by:)`.
///
/// Not constant time, by design: RSA *verification* only ever exponentiates public values.
package struct MontgomeryModulus: Sendable, Hashable {
    /// The modulus.
    package let modulus: BigUInt
    /// Number of 64-bit limbs of the modulus.
    package let limbCount: Int
    /// `−n⁻¹ mod 2⁶⁴`.
    let inverse: UInt64
    /// `R² mod n`, `limbCount` limbs (zero-padded).
    let rSquared: [UInt64]
    /// The modulus limbs, zero-padded to `limbCount` (equal to `modulus.limbs`).
    let n: [UInt64]

    /// Prepares `modulus`; `nil` unless it is odd and greater than 1.
    package init?(_ modulus: BigUInt) {
        guard modulus.isOdd, modulus.bitWidth > 1 else { return nil }
        self.modulus = modulus
        n = modulus.limbs
        limbCount = n.count
        // Newton iteration for n0⁻¹ mod 2⁶⁴: x = n0 is right to 3 bits, each step doubles that.
        let n0 = n[0]
        var x = n0
        for _ in 0..<6 { x = x &* (2 &- n0 &* x) }
        inverse = 0 &- x
        rSquared = Self.powerOfTwo(2 * 64 * n.count, modulo: n)
    }

    /// `2^exponent mod n` by repeated doubling (used once, at preparation).
    private static func powerOfTwo(_ exponent: Int, modulo n: [UInt64]) -> [UInt64] {
        let s = n.count
        var x = [UInt64](repeating: 0, count: s)
        x[0] = 1
        for _ in 0..<exponent {
            // x = 2x; if that overflowed s limbs or is ≥ n, subtract n (x < n keeps 2x < 2n).
            var carry: UInt64 = 0
            for i in 0..<s {
                let v = x[i]
                x[i] = (v << 1) | carry
                carry = v >> 63
            }
            if carry != 0 || !lessThan(x, n) {
                var borrow = false
                for i in 0..<s {
                    let (d1, b1) = x[i].subtractingReportingOverflow(n[i])
                    let (d2, b2) = d1.subtractingReportingOverflow(borrow ? 1 : 0)
                    x[i] = d2
                    borrow = b1 || b2
                }
            }
        }
        return x
    }

    private static func lessThan(_ a: [UInt64], _ b: [UInt64]) -> Bool {
        var i = a.count - 1
        while i >= 0 {
            if a[i] != b[i] { return a[i] < b[i] }
            i -= 1
        }
        return false
    }

    /// `base^exponent mod n` by left-to-right square-and-multiply in the Montgomery domain.
    ///
    /// With the usual RSA exponent 65537 this is sixteen squarings and two multiplications
    /// (plus the conversions in and out).
    /// - Returns: `nil` when `base ≥ n` (RFC 8017 §5.2.2 step 1 calls that out of range).
    package func power(_ base: BigUInt, _ exponent: BigUInt) -> BigUInt? {
        guard base < modulus else { return nil }
        let s = limbCount
        if exponent.isZero { return modulus.bitWidth > 1 ? BigUInt(1) : BigUInt() }
        let result = [UInt64](unsafeUninitializedCapacity: s) { out, initialized in
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 3 &* s &+ 2) { scratch in
                // safe: capacity ≥ 3s + 2 > 0, so the allocation has a base address.
                let area = scratch.baseAddress!
                let x = area, acc = area + s, t = area + 2 &* s
                n.withUnsafeBufferPointer { nb in
                    rSquared.withUnsafeBufferPointer { rr in
                        let np = nb.baseAddress!, rrp = rr.baseAddress! // safe: s ≥ 1
                        // x = base · R mod n
                        let baseLimbs = base.limbs
                        for i in 0..<s { acc[i] = i < baseLimbs.count ? baseLimbs[i] : 0 }
                        Self.multiply(acc, rrp, into: x, modulus: np, count: s, inverse: inverse, scratch: t)
                        for i in 0..<s { acc[i] = x[i] }
                        var bit = exponent.bitWidth &- 2
                        while bit >= 0 {
                            Self.multiply(acc, acc, into: acc, modulus: np, count: s, inverse: inverse, scratch: t)
                            if exponent.bit(bit) {
                                Self.multiply(acc, x, into: acc, modulus: np, count: s, inverse: inverse, scratch: t)
                            }
                            bit &-= 1
                        }
                        // Leave the Montgomery domain: multiply by 1.
                        for i in 0..<s { x[i] = 0 }
                        x[0] = 1
                        // safe: out has capacity s ≥ 1.
                        Self.multiply(acc, x, into: out.baseAddress!, modulus: np, count: s, inverse: inverse, scratch: t)
                    }
                }
            }
            initialized = s
        }
        return BigUInt(limbs: result)
    }

    /// `out = a · b · R⁻¹ mod n` (CIOS). `a`, `b` < n, `count` limbs each; `out` may alias either.
    /// `scratch` holds `count + 2` limbs.
    @inline(__always)
    static func multiply(
        _ a: UnsafePointer<UInt64>, _ b: UnsafePointer<UInt64>, into out: UnsafeMutablePointer<UInt64>,
        modulus n: UnsafePointer<UInt64>, count s: Int, inverse: UInt64, scratch t: UnsafeMutablePointer<UInt64>
    ) {
        for i in 0..<(s &+ 2) { t[i] = 0 }
        for i in 0..<s {
            // t += a · b[i]
            let bi = b[i]
            var carry: UInt64 = 0
            for j in 0..<s {
                let (hi, lo) = a[j].multipliedFullWidth(by: bi)
                let (s1, c1) = lo.addingReportingOverflow(t[j])
                let (s2, c2) = s1.addingReportingOverflow(carry)
                t[j] = s2
                carry = hi &+ (c1 ? 1 : 0) &+ (c2 ? 1 : 0)
            }
            let (top, topCarry) = t[s].addingReportingOverflow(carry)
            t[s] = top
            t[s &+ 1] = topCarry ? 1 : 0
            // t = (t + m · n) / 2⁶⁴ with m chosen so the low limb vanishes.
            let m = t[0] &* inverse
            let (hi0, lo0) = m.multipliedFullWidth(by: n[0])
            let (_, c0) = lo0.addingReportingOverflow(t[0])
            carry = hi0 &+ (c0 ? 1 : 0)
            for j in 1..<s {
                let (hi, lo) = m.multipliedFullWidth(by: n[j])
                let (s1, c1) = lo.addingReportingOverflow(t[j])
                let (s2, c2) = s1.addingReportingOverflow(carry)
                t[j &- 1] = s2
                carry = hi &+ (c1 ? 1 : 0) &+ (c2 ? 1 : 0)
            }
            let (u, uc) = t[s].addingReportingOverflow(carry)
            t[s &- 1] = u
            t[s] = t[s &+ 1] &+ (uc ? 1 : 0)
        }
        // t < 2n: subtract n once if t ≥ n.
        var subtract = t[s] != 0
        if !subtract {
            subtract = true // equal counts as ≥
            var i = s &- 1
            while i >= 0 {
                if t[i] != n[i] { subtract = t[i] > n[i]; break }
                i &-= 1
            }
        }
        if subtract {
            var borrow: UInt64 = 0
            for i in 0..<s {
                let (d1, b1) = t[i].subtractingReportingOverflow(n[i])
                let (d2, b2) = d1.subtractingReportingOverflow(borrow)
                out[i] = d2
                borrow = (b1 ? 1 : 0) | (b2 ? 1 : 0)
            }
        } else {
            for i in 0..<s { out[i] = t[i] }
        }
    }
}
