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
                let area = scratch.baseAddress! // safe: capacity 3s + 2 > 0 always has a base address

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
                            Self.square(acc, into: acc, modulus: np, count: s, inverse: inverse, scratch: t)
                            if exponent.bit(bit) {
                                Self.multiply(acc, x, into: acc, modulus: np, count: s, inverse: inverse, scratch: t)
                            }
                            bit &-= 1
                        }
                        // Leave the Montgomery domain: multiply by 1.
                        for i in 0..<s { x[i] = 0 }
                        x[0] = 1
                        let result = out.baseAddress! // safe: capacity s ≥ 1 always has a base address
                        Self.multiply(acc, x, into: result, modulus: np, count: s, inverse: inverse, scratch: t)
                    }
                }
            }
            initialized = s
        }
        return BigUInt(limbs: result)
    }

    /// `out = a · b · R⁻¹ mod n`. `a`, `b` < n, `count` limbs each; `out` may alias either.
    /// `scratch` holds `count + 2` limbs.
    ///
    /// Finely integrated product scanning (FIPS, Koç et al. 1996): the result is produced one
    /// column at a time in a three-limb accumulator; the first `count` columns also choose the
    /// reduction multipliers `m[i]` that clear the low limbs. Every product costs one
    /// `multipliedFullWidth` and three additions, with no stores in the inner loop. A column of
    /// the output is written only after the last read of that index of `a` and `b`, so `out`
    /// may alias them.
    @inline(__always)
    static func multiply(
        _ a: UnsafePointer<UInt64>, _ b: UnsafePointer<UInt64>, into out: UnsafeMutablePointer<UInt64>,
        modulus n: UnsafePointer<UInt64>, count s: Int, inverse: UInt64, scratch m: UnsafeMutablePointer<UInt64>
    ) {
        // Two accumulators, one for a·b products and one for m·n products, so the two carry
        // chains run in parallel; they are merged once per column.
        var c0: UInt64 = 0, c1: UInt64 = 0, c2: UInt64 = 0
        var d0: UInt64 = 0, d1: UInt64 = 0, d2: UInt64 = 0
        var i = 0
        while i < s {
            var j = 0
            while j < i {
                mac(a[j], b[i &- j], &c0, &c1, &c2)
                mac(m[j], n[i &- j], &d0, &d1, &d2)
                j &+= 1
            }
            mac(a[i], b[0], &c0, &c1, &c2)
            merge(&c0, &c1, &c2, &d0, &d1, &d2)
            let mi = c0 &* inverse
            m[i] = mi
            mac(mi, n[0], &c0, &c1, &c2) // clears c0
            c0 = c1; c1 = c2; c2 = 0
            i &+= 1
        }
        while i < 2 &* s {
            var j = i &- s &+ 1
            while j < s {
                mac(a[j], b[i &- j], &c0, &c1, &c2)
                mac(m[j], n[i &- j], &d0, &d1, &d2)
                j &+= 1
            }
            merge(&c0, &c1, &c2, &d0, &d1, &d2)
            out[i &- s] = c0
            c0 = c1; c1 = c2; c2 = 0
            i &+= 1
        }
        // The result (c0 is its top limb beyond `count`) is below 2n: subtract n once if ≥ n.
        finish(out, carry: c0, modulus: n, count: s)
    }

    /// `out = a² · R⁻¹ mod n`, like ``multiply(_:_:into:modulus:count:inverse:scratch:)`` but
    /// computing each cross product `a[j]·a[k]` (j < k) once and doubling the column sum, which
    /// saves a quarter of the multiplications. `out` may alias `a`.
    @inline(__always)
    static func square(
        _ a: UnsafePointer<UInt64>, into out: UnsafeMutablePointer<UInt64>,
        modulus n: UnsafePointer<UInt64>, count s: Int, inverse: UInt64, scratch m: UnsafeMutablePointer<UInt64>
    ) {
        var c0: UInt64 = 0, c1: UInt64 = 0, c2: UInt64 = 0
        var i = 0
        while i < 2 &* s {
            // Four accumulators: cross products in p and q, reduction products in d and e, so
            // consecutive products never wait on each other's carries. The loops are unrolled
            // by four: the loop branch and counter cost as much as a product otherwise.
            var p0: UInt64 = 0, p1: UInt64 = 0, p2: UInt64 = 0
            var q0: UInt64 = 0, q1: UInt64 = 0, q2: UInt64 = 0
            var d0: UInt64 = 0, d1: UInt64 = 0, d2: UInt64 = 0
            var e0: UInt64 = 0, e1: UInt64 = 0, e2: UInt64 = 0
            let low = i < s ? 0 : i &- s &+ 1
            // Cross products a[j]·a[i−j] with j < i − j, and m[j]·n[i−j].
            var j = low
            let pairEnd = (i &+ 1) >> 1
            while j &+ 4 <= pairEnd {
                mac(a[j], a[i &- j], &p0, &p1, &p2)
                mac(a[j &+ 1], a[i &- j &- 1], &q0, &q1, &q2)
                mac(a[j &+ 2], a[i &- j &- 2], &p0, &p1, &p2)
                mac(a[j &+ 3], a[i &- j &- 3], &q0, &q1, &q2)
                j &+= 4
            }
            while j < pairEnd {
                mac(a[j], a[i &- j], &p0, &p1, &p2)
                j &+= 1
            }
            merge(&p0, &p1, &p2, &q0, &q1, &q2)
            p2 = p2 << 1 | p1 >> 63
            p1 = p1 << 1 | p0 >> 63
            p0 = p0 << 1
            if i & 1 == 0 { mac(a[i >> 1], a[i >> 1], &p0, &p1, &p2) }
            j = low
            let reductionEnd = i < s ? i : s
            while j &+ 4 <= reductionEnd {
                mac(m[j], n[i &- j], &d0, &d1, &d2)
                mac(m[j &+ 1], n[i &- j &- 1], &e0, &e1, &e2)
                mac(m[j &+ 2], n[i &- j &- 2], &d0, &d1, &d2)
                mac(m[j &+ 3], n[i &- j &- 3], &e0, &e1, &e2)
                j &+= 4
            }
            while j < reductionEnd {
                mac(m[j], n[i &- j], &d0, &d1, &d2)
                j &+= 1
            }
            merge(&d0, &d1, &d2, &e0, &e1, &e2)
            merge(&c0, &c1, &c2, &p0, &p1, &p2)
            merge(&c0, &c1, &c2, &d0, &d1, &d2)
            if i < s {
                let mi = c0 &* inverse
                m[i] = mi
                mac(mi, n[0], &c0, &c1, &c2) // clears c0
            } else {
                out[i &- s] = c0
            }
            c0 = c1; c1 = c2; c2 = 0
            i &+= 1
        }
        finish(out, carry: c0, modulus: n, count: s)
    }

    /// Subtracts n once from the `count`-limb value at `out` (plus `carry` above it) when it is
    /// at least n; the value is below 2n.
    @inline(__always)
    static func finish(_ out: UnsafeMutablePointer<UInt64>, carry: UInt64, modulus n: UnsafePointer<UInt64>, count s: Int) {
        var subtract = carry != 0
        if !subtract {
            subtract = true // equal counts as ≥
            var k = s &- 1
            while k >= 0 {
                if out[k] != n[k] { subtract = out[k] > n[k]; break }
                k &-= 1
            }
        }
        if subtract {
            var borrow: UInt64 = 0
            for k in 0..<s {
                let (d1, b1) = out[k].subtractingReportingOverflow(n[k])
                let (d2, b2) = d1.subtractingReportingOverflow(borrow)
                out[k] = d2
                borrow = b1.word | b2.word
            }
        }
    }

    /// `(c2, c1, c0) += (d2, d1, d0)`, then `d = 0`.
    @inline(__always)
    static func merge(
        _ c0: inout UInt64, _ c1: inout UInt64, _ c2: inout UInt64,
        _ d0: inout UInt64, _ d1: inout UInt64, _ d2: inout UInt64
    ) {
        let (s0, o0) = c0.addingReportingOverflow(d0)
        let (s1, o1) = c1.addingReportingOverflow(d1)
        let (s1b, o1b) = s1.addingReportingOverflow(o0.word)
        c0 = s0
        c1 = s1b
        c2 = c2 &+ d2 &+ o1.word &+ o1b.word
        d0 = 0; d1 = 0; d2 = 0
    }

    /// `(c2, c1, c0) += x · y`.
    @inline(__always)
    static func mac(_ x: UInt64, _ y: UInt64, _ c0: inout UInt64, _ c1: inout UInt64, _ c2: inout UInt64) {
        let (high, low) = x.multipliedFullWidth(by: y)
        let (s0, o0) = c0.addingReportingOverflow(low)
        c0 = s0
        // high ≤ 2⁶⁴ − 2, so high + o0 cannot wrap.
        let (s1, o1) = c1.addingReportingOverflow(high &+ o0.word)
        c1 = s1
        c2 &+= o1.word
    }
}

extension Bool {
    /// 1 or 0, without a branch (a `Bool` is stored as one byte holding 0 or 1).
    @inline(__always)
    var word: UInt64 { UInt64(unsafeBitCast(self, to: UInt8.self)) }
}
