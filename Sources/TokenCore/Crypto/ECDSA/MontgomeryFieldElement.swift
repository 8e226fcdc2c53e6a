/// An element of a prime field 𝔽ₘ held in Montgomery form over fixed-width 64-bit limbs.
///
/// The concrete fields (the P-256 and P-384 base fields and group orders) are generated, fully
/// unrolled structs `P256FieldElement`, `P256Scalar`, `P384FieldElement` and `P384Scalar`; everything written once for all of them lives in
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
    /// self·self·R⁻¹ mod m, with the cross products computed once.
    func squared() -> Self
}

extension MontgomeryFieldElement {
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
    ///
    /// Fixed 4-bit windows: 4 squarings and at most one multiplication per nibble of m − 2.
    func inverse() -> Self {
        // m − 2: every modulus here is odd and its low limb is at least 3, so no borrow leaves limb 0.
        var exponent = Self.modulusLimbs
        exponent[0] &-= 2
        var powers = [Self](repeating: Self.one, count: 16)
        powers[1] = self
        for index in 2..<16 { powers[index] = powers[index - 1] * self }
        var result = Self.one
        var started = false
        for limb in exponent.reversed() {
            for shift in stride(from: 60, through: 0, by: -4) {
                if started { result = result.squared().squared().squared().squared() }
                let nibble = Int((limb >> UInt64(shift)) & 15)
                if nibble != 0 {
                    result = started ? result * powers[nibble] : powers[nibble]
                    started = true
                }
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

    /// Writes the width-`window` NAF of a 64-bit value (at most 65 digits) into
    /// `digits[offset ..< offset + 65]`, least significant first.
    static func nonAdjacentForm(_ value: UInt64, window: Int, into digits: inout [Int8], at offset: Int) {
        var low = value
        var high: UInt64 = 0 // the value is high·2⁶⁴ + low; high ≤ 1
        let mask = UInt64(1 << window) - 1
        let half = Int64(1 << (window - 1))
        var position = 0
        while position < 65, low | high != 0, offset + position < digits.count {
            if low & 1 == 1 {
                var d = Int64(low & mask)
                if d >= half { d -= 2 * half }
                digits[offset + position] = Int8(truncatingIfNeeded: d)
                if d > 0 {
                    low &-= UInt64(d) // the low window bits equal d, so no borrow
                } else {
                    let (sum, overflow) = low.addingReportingOverflow(UInt64(-d))
                    low = sum
                    if overflow { high &+= 1 }
                }
            }
            low = low >> 1 | high << 63
            high >>= 1
            position += 1
        }
    }
}
