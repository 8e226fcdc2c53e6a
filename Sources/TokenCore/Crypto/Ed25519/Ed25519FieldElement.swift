/// An element of 𝔽ₚ, p = 2²⁵⁵ − 19 (RFC 8032 §5.1), as five 51-bit limbs (radix 2⁵¹).
///
/// Limbs are kept loosely reduced: every operation returns limbs below 2⁵² (so sums of two stay
/// below 2⁵³), and products accumulate in 128 bits through `multipliedFullWidth`. Only
/// ``encoded`` reduces fully. Nothing here allocates.
struct Ed25519FieldElement: Sendable {
    var l0, l1, l2, l3, l4: UInt64

    static let mask: UInt64 = (1 << 51) - 1
    static let zero = Ed25519FieldElement(0, 0, 0, 0, 0)
    static let one = Ed25519FieldElement(1, 0, 0, 0, 0)
    /// d = −121665/121666 (RFC 8032 §5.1).
    static let d = Ed25519FieldElement(0x34dca135978a3, 0x1a8283b156ebd, 0x5e7a26001c029, 0x739c663a03cbb, 0x52036cee2b6ff)
    static let d2 = Ed25519FieldElement(0x69b9426b2f159, 0x35050762add7a, 0x3cf44c0038052, 0x6738cc7407977, 0x2406d9dc56dff)
    /// √−1 = 2^((p−1)/4), used by decompression (RFC 8032 §5.1.3 step 3).
    static let sqrtMinusOne = Ed25519FieldElement(0x61b274a0ea0b0, 0xd5a5fc8f189d, 0x7ef5e9cbd0c60, 0x78595a6804c9e, 0x2b8324804fc1d)

    @inline(__always) init(_ l0: UInt64, _ l1: UInt64, _ l2: UInt64, _ l3: UInt64, _ l4: UInt64) {
        self.l0 = l0
        self.l1 = l1
        self.l2 = l2
        self.l3 = l3
        self.l4 = l4
    }

    /// Loads 255 bits little-endian (the top bit of byte 31 is ignored). Not reduced: values in
    /// [p, 2²⁵⁵) load as they are, and the caller decides whether that is acceptable.
    init(littleEndian bytes: UnsafeRawBufferPointer) {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes.prefix(32))) }
        let w0 = UInt64(littleEndian: words.0), w1 = UInt64(littleEndian: words.1)
        let w2 = UInt64(littleEndian: words.2), w3 = UInt64(littleEndian: words.3)
        let m = Self.mask
        self.init(w0 & m, (w0 >> 51 | w1 << 13) & m, (w1 >> 38 | w2 << 26) & m, (w2 >> 25 | w3 << 39) & m, (w3 >> 12) & m)
    }

    /// The canonical 32-byte little-endian encoding of the fully reduced value (bit 255 clear).
    var encoded: (UInt64, UInt64, UInt64, UInt64) {
        var t = self.carried()
        // t < 2p now; subtract p when t + 19 overflows 2²⁵⁵.
        var q = (t.l0 &+ 19) >> 51
        q = (t.l1 &+ q) >> 51
        q = (t.l2 &+ q) >> 51
        q = (t.l3 &+ q) >> 51
        q = (t.l4 &+ q) >> 51
        t.l0 &+= 19 &* q
        let m = Self.mask
        t.l1 &+= t.l0 >> 51; t.l0 &= m
        t.l2 &+= t.l1 >> 51; t.l1 &= m
        t.l3 &+= t.l2 >> 51; t.l2 &= m
        t.l4 &+= t.l3 >> 51; t.l3 &= m
        t.l4 &= m
        return (t.l0 | t.l1 << 51, t.l1 >> 13 | t.l2 << 38, t.l2 >> 26 | t.l3 << 25, t.l3 >> 39 | t.l4 << 12)
    }

    var encodedBytes: [UInt8] {
        var words = encoded
        words = (words.0.littleEndian, words.1.littleEndian, words.2.littleEndian, words.3.littleEndian)
        return withUnsafeBytes(of: &words) { [UInt8]($0) }
    }

    var isZero: Bool { let e = encoded; return (e.0 | e.1 | e.2 | e.3) == 0 }
    /// The low bit of the canonical value ("negative" in RFC 8032 §5.1.2).
    var isNegative: Bool { encoded.0 & 1 == 1 }

    static func == (a: Self, b: Self) -> Bool { (a - b).isZero }

    /// Propagates carries so that every limb is below 2⁵¹ + 2¹⁸.
    @inline(__always) func carried() -> Self {
        let m = Self.mask
        var r = self
        r.l1 &+= r.l0 >> 51; r.l0 &= m
        r.l2 &+= r.l1 >> 51; r.l1 &= m
        r.l3 &+= r.l2 >> 51; r.l2 &= m
        r.l4 &+= r.l3 >> 51; r.l3 &= m
        r.l0 &+= 19 &* (r.l4 >> 51); r.l4 &= m
        return r
    }

    @inline(__always) static func + (a: Self, b: Self) -> Self {
        Self(a.l0 &+ b.l0, a.l1 &+ b.l1, a.l2 &+ b.l2, a.l3 &+ b.l3, a.l4 &+ b.l4).carried()
    }

    /// a − b computed as a + 4p − b, which stays non-negative for limbs below 2⁵³.
    @inline(__always) static func - (a: Self, b: Self) -> Self {
        Self(
            (a.l0 &+ 0x1f_ffff_ffff_ffb4) &- b.l0,
            (a.l1 &+ 0x1f_ffff_ffff_fffc) &- b.l1,
            (a.l2 &+ 0x1f_ffff_ffff_fffc) &- b.l2,
            (a.l3 &+ 0x1f_ffff_ffff_fffc) &- b.l3,
            (a.l4 &+ 0x1f_ffff_ffff_fffc) &- b.l4
        ).carried()
    }

    @inline(__always) static prefix func - (a: Self) -> Self { zero - a }

    @inline(__always) static func * (a: Self, b: Self) -> Self {
        let b1 = b.l1 &* 19, b2 = b.l2 &* 19, b3 = b.l3 &* 19, b4 = b.l4 &* 19
        var r0 = Wide(a.l0, b.l0), r1 = Wide(a.l0, b.l1), r2 = Wide(a.l0, b.l2), r3 = Wide(a.l0, b.l3), r4 = Wide(a.l0, b.l4)
        r0.add(a.l1, b4); r1.add(a.l1, b.l0); r2.add(a.l1, b.l1); r3.add(a.l1, b.l2); r4.add(a.l1, b.l3)
        r0.add(a.l2, b3); r1.add(a.l2, b4); r2.add(a.l2, b.l0); r3.add(a.l2, b.l1); r4.add(a.l2, b.l2)
        r0.add(a.l3, b2); r1.add(a.l3, b3); r2.add(a.l3, b4); r3.add(a.l3, b.l0); r4.add(a.l3, b.l1)
        r0.add(a.l4, b1); r1.add(a.l4, b2); r2.add(a.l4, b3); r3.add(a.l4, b4); r4.add(a.l4, b.l0)
        return reduce(r0, r1, r2, r3, r4)
    }

    @inline(__always) func squared() -> Self {
        let d0 = l0 &* 2, d1 = l1 &* 2, d2 = l2 &* 2
        let l3x19 = l3 &* 19, l4x19 = l4 &* 19
        var r0 = Wide(l0, l0), r1 = Wide(d0, l1), r2 = Wide(d0, l2), r3 = Wide(d0, l3), r4 = Wide(d0, l4)
        r0.add(d1, l4x19); r0.add(d2, l3x19)
        r1.add(d2, l4x19); r1.add(l3, l3x19)
        r2.add(l1, l1); r2.add(l3 &* 2, l4x19)
        r3.add(d1, l2); r3.add(l4, l4x19)
        r4.add(d1, l3); r4.add(l2, l2)
        return Self.reduce(r0, r1, r2, r3, r4)
    }

    /// Squares `count` times.
    @inline(__always) func squared(times count: Int) -> Self {
        var r = self
        for _ in 0..<count { r = r.squared() }
        return r
    }

    @inline(__always) private static func reduce(_ r0: Wide, _ r1: Wide, _ r2: Wide, _ r3: Wide, _ r4: Wide) -> Self {
        var r1 = r1, r2 = r2, r3 = r3, r4 = r4
        let m = mask
        r1.add(r0.shifted51)
        let o0 = r0.low & m
        r2.add(r1.shifted51)
        let o1 = r1.low & m
        r3.add(r2.shifted51)
        let o2 = r2.low & m
        r4.add(r3.shifted51)
        let o3 = r3.low & m
        let carry = r4.shifted51 // below 2⁶⁰, so 19·carry fits in 64 bits
        let o4 = r4.low & m
        var t0 = o0 &+ carry &* 19
        let t1 = o1 &+ (t0 >> 51)
        t0 &= m
        return Self(t0, t1, o2, o3, o4)
    }

    /// z^(2^250 − 1) and z^11, the shared prefix of the inversion and square-root chains.
    private func powChain() -> (z250: Self, z11: Self) {
        let z2 = squared()
        let z9 = self * z2.squared(times: 2)
        let z11 = z2 * z9
        let z5 = z9 * z11.squared()                 // 2^5 − 1
        let z10 = z5.squared(times: 5) * z5         // 2^10 − 1
        let z20 = z10.squared(times: 10) * z10      // 2^20 − 1
        let z40 = z20.squared(times: 20) * z20      // 2^40 − 1
        let z50 = z40.squared(times: 10) * z10      // 2^50 − 1
        let z100 = z50.squared(times: 50) * z50     // 2^100 − 1
        let z200 = z100.squared(times: 100) * z100  // 2^200 − 1
        let z250 = z200.squared(times: 50) * z50    // 2^250 − 1
        return (z250, z11)
    }

    /// z⁻¹ = z^(p − 2) = z^(2²⁵⁵ − 21).
    func inverse() -> Self {
        let (z250, z11) = powChain()
        return z250.squared(times: 5) * z11
    }

    /// z^((p − 5)/8) = z^(2²⁵² − 3), the exponent of RFC 8032 §5.1.3 step 3.
    func powPMinus5Over8() -> Self {
        let (z250, _) = powChain()
        return z250.squared(times: 2) * self
    }
}

/// A 128-bit accumulator for limb products.
struct Wide {
    var high: UInt64
    var low: UInt64

    @inline(__always) init(_ a: UInt64, _ b: UInt64) {
        (high, low) = a.multipliedFullWidth(by: b)
    }

    @inline(__always) mutating func add(_ a: UInt64, _ b: UInt64) {
        let (h, l) = a.multipliedFullWidth(by: b)
        let (sum, carry) = low.addingReportingOverflow(l)
        low = sum
        high &+= h &+ UInt64(unsafeBitCast(carry, to: UInt8.self))
    }

    @inline(__always) mutating func add(_ value: UInt64) {
        let (sum, carry) = low.addingReportingOverflow(value)
        low = sum
        high &+= UInt64(unsafeBitCast(carry, to: UInt8.self))
    }

    /// The value shifted right by 51 bits, truncated to 64 bits (callers keep it below 2⁶⁴).
    @inline(__always) var shifted51: UInt64 { high << 13 | low >> 51 }
}
