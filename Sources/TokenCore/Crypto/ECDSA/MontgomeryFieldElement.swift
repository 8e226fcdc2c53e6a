/// An element of a prime field 𝔽ₘ held in Montgomery form over fixed-width 64-bit limbs.
///
/// The concrete fields (the P-256 and P-384 base fields and group orders) are generated, fully
/// unrolled structs in `MontgomeryFields.swift`; everything written once for all of them lives in
/// the extension below. Values are always fully reduced (`0 ≤ value < m`), so `==` is exact.
protocol MontgomeryFieldElement: Sendable, Equatable {
    /// Bytes in the big-endian encoding of an element (32 for P-256, 48 for P-384).
    static var byteCount: Int { get }
    /// The modulus m, least significant limb first.
    static var modulusLimbs: [UInt64] { get }
    static var zero: Self { get }
    /// 1 in Montgomery form (R mod m).
    static var one: Self { get }
    /// R² mod m, which converts a plain value to Montgomery form with one multiplication.
    static var rSquared: Self { get }

    init(rawLimbs: [UInt64])
    var rawLimbs: [UInt64] { get }
    var isZero: Bool { get }

    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    /// Montgomery product a·b·R⁻¹ mod m. Correct for any `a < 2^(64·limbs)` when `b < m`.
    static func * (a: Self, b: Self) -> Self
}

extension MontgomeryFieldElement {
    @inline(__always) func squared() -> Self { self * self }
    @inline(__always) func doubled() -> Self { self + self }
    @inline(__always) static prefix func - (a: Self) -> Self { zero - a }

    /// Parses a big-endian integer of exactly ``byteCount`` bytes; `nil` when it is not below m.
    init?(bigEndian bytes: UnsafeRawBufferPointer) {
        guard bytes.count == Self.byteCount else { return nil }
        let limbs = Self.limbs(bigEndian: bytes)
        guard LimbArithmetic.compare(limbs, Self.modulusLimbs) < 0 else { return nil }
        self = Self(rawLimbs: limbs) * Self.rSquared
    }

    /// Reduces a big-endian integer of exactly ``byteCount`` bytes modulo m.
    ///
    /// Montgomery multiplication accepts a left operand up to 2^(64·limbs), so one product by R²
    /// both reduces and converts.
    init?(reducingBigEndian bytes: UnsafeRawBufferPointer) {
        guard bytes.count == Self.byteCount else { return nil }
        self = Self(rawLimbs: Self.limbs(bigEndian: bytes)) * Self.rSquared
    }

    /// Converts canonical limbs (value < m) to Montgomery form.
    init(canonicalLimbs limbs: [UInt64]) {
        self = Self(rawLimbs: limbs) * Self.rSquared
    }

    /// The plain value, least significant limb first.
    var canonicalLimbs: [UInt64] { (self * Self(rawLimbs: [1])).rawLimbs }

    /// The plain value as ``byteCount`` big-endian bytes.
    var bigEndianBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(Self.byteCount)
        for limb in canonicalLimbs.reversed() {
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: limb >> UInt64(shift))) }
        }
        return out
    }

    /// The multiplicative inverse by Fermat's little theorem (a^(m−2)); zero maps to zero.
    func inverse() -> Self {
        // m − 2: every modulus here is odd and its low limb is at least 3, so no borrow leaves limb 0.
        var exponent = Self.modulusLimbs
        exponent[0] &-= 2
        var result = Self.one
        for limb in exponent.reversed() {
            for bit in stride(from: 63, through: 0, by: -1) {
                result = result.squared()
                if (limb >> UInt64(bit)) & 1 == 1 { result = result * self }
            }
        }
        return result
    }

    static func limbs(bigEndian bytes: UnsafeRawBufferPointer) -> [UInt64] {
        let count = bytes.count / 8
        var limbs = [UInt64](repeating: 0, count: count)
        for index in 0..<count {
            var limb: UInt64 = 0
            let start = bytes.count - 8 * (index + 1)
            for offset in 0..<8 { limb = limb << 8 | UInt64(bytes[start + offset]) }
            limbs[index] = limb
        }
        return limbs
    }
}

/// Plain multi-limb integer helpers (least significant limb first, equal lengths).
enum LimbArithmetic {
    /// −1, 0 or 1 as `a` is below, equal to or above `b`.
    static func compare(_ a: [UInt64], _ b: [UInt64]) -> Int {
        for index in stride(from: max(a.count, b.count) - 1, through: 0, by: -1) {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            if x != y { return x < y ? -1 : 1 }
        }
        return 0
    }

    /// `a + b` and whether it carried out of the top limb.
    static func add(_ a: [UInt64], _ b: [UInt64]) -> (sum: [UInt64], carry: Bool) {
        var sum = a
        var carry = false
        for index in 0..<a.count {
            let (s1, c1) = a[index].addingReportingOverflow(index < b.count ? b[index] : 0)
            let (s2, c2) = s1.addingReportingOverflow(carry ? 1 : 0)
            sum[index] = s2
            carry = c1 || c2
        }
        return (sum, carry)
    }

    /// The width-`window` non-adjacent form of a little-endian multi-limb integer: odd digits in
    /// (−2^(w−1), 2^(w−1)), least significant first, any two nonzero digits at least w apart.
    static func nonAdjacentForm(_ limbs: [UInt64], window: Int) -> [Int8] {
        var k = limbs + [0]
        var digits = [Int8](repeating: 0, count: 64 * limbs.count + 1)
        let mask = UInt64(1 << window) - 1
        let half = Int64(1 << (window - 1))
        var position = 0
        while position < digits.count, k.contains(where: { $0 != 0 }) {
            if k[0] & 1 == 1 {
                var d = Int64(k[0] & mask)
                if d >= half { d -= 2 * half }
                digits[position] = Int8(truncatingIfNeeded: d)
                if d > 0 {
                    var borrow = UInt64(d)
                    for i in k.indices where borrow != 0 {
                        let (value, overflow) = k[i].subtractingReportingOverflow(borrow)
                        k[i] = value
                        borrow = overflow ? 1 : 0
                    }
                } else {
                    var carry = UInt64(-d)
                    for i in k.indices where carry != 0 {
                        let (value, overflow) = k[i].addingReportingOverflow(carry)
                        k[i] = value
                        carry = overflow ? 1 : 0
                    }
                }
            }
            for i in k.indices {
                let next = i + 1 < k.count ? k[i + 1] : 0
                k[i] = k[i] >> 1 | next << 63
            }
            position += 1
        }
        return digits
    }
}
