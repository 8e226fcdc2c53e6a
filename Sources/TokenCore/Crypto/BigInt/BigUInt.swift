/// An arbitrary-size unsigned integer, sized for RSA moduli (2048–4096 bits and a little beyond).
///
/// Limbs are 64-bit words, least significant first, with no leading zero limbs (zero has no
/// limbs). The type does only what RSA verification needs: conversion to and from big-endian
/// bytes, comparison, and (through ``MontgomeryModulus``) modular multiplication and
/// exponentiation. It is not constant time: every value it handles during verification (modulus,
/// exponent, signature) is public.
package struct BigUInt: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Little-endian 64-bit limbs, normalised (the last limb is non-zero).
    package private(set) var limbs: [UInt64]

    /// Zero.
    package init() { limbs = [] }

    /// The value of a machine word.
    package init(_ value: UInt64) { limbs = value == 0 ? [] : [value] }

    /// Wraps limbs (least significant first), dropping leading zero limbs.
    package init(limbs: [UInt64]) {
        self.limbs = limbs
        normalize()
    }

    /// The unsigned big-endian integer in `bytes` (leading zero bytes allowed).
    package init(bigEndian bytes: some Collection<UInt8>) {
        let array = Array(bytes)
        var limbs = [UInt64](repeating: 0, count: (array.count + 7) / 8)
        var limb = 0, shift: UInt64 = 0
        for byte in array.reversed() {
            limbs[limb] |= UInt64(byte) << shift
            shift += 8
            if shift == 64 { shift = 0; limb += 1 }
        }
        self.init(limbs: limbs)
    }

    private mutating func normalize() {
        while let last = limbs.last, last == 0 { limbs.removeLast() }
    }

    /// Whether the value is zero.
    package var isZero: Bool { limbs.isEmpty }

    /// Whether the value is odd.
    package var isOdd: Bool { (limbs.first ?? 0) & 1 == 1 }

    /// The number of significant bits (0 for zero).
    package var bitWidth: Int {
        guard let last = limbs.last else { return 0 }
        return limbs.count * 64 - last.leadingZeroBitCount
    }

    /// The number of bytes of the minimal big-endian encoding (0 for zero).
    package var byteCount: Int { (bitWidth + 7) / 8 }

    /// Bit `index` (0 is the least significant).
    package func bit(_ index: Int) -> Bool {
        let limb = index / 64
        guard index >= 0, limb < limbs.count else { return false }
        return (limbs[limb] >> UInt64(index % 64)) & 1 == 1
    }

    /// The value as exactly `count` big-endian bytes, or `nil` when it does not fit.
    package func bigEndianBytes(count: Int) -> [UInt8]? {
        guard count >= byteCount else { return nil }
        var out = [UInt8](repeating: 0, count: count)
        for i in 0..<byteCount {
            out[count - 1 - i] = UInt8(truncatingIfNeeded: limbs[i / 8] >> UInt64((i % 8) * 8))
        }
        return out
    }

    /// The minimal big-endian encoding (empty for zero).
    package var bigEndianBytes: [UInt8] { bigEndianBytes(count: byteCount) ?? [] } // safe: byteCount always fits

    /// The value as a machine word, or `nil` when it is wider than 64 bits.
    package var uint64Value: UInt64? {
        switch limbs.count {
        case 0: return 0
        case 1: return limbs[0]
        default: return nil
        }
    }

    package static func < (lhs: BigUInt, rhs: BigUInt) -> Bool {
        if lhs.limbs.count != rhs.limbs.count { return lhs.limbs.count < rhs.limbs.count }
        var i = lhs.limbs.count - 1
        while i >= 0 {
            if lhs.limbs[i] != rhs.limbs[i] { return lhs.limbs[i] < rhs.limbs[i] }
            i -= 1
        }
        return false
    }

    /// Lowercase hexadecimal without leading zeros ("0" for zero).
    package var description: String {
        guard !limbs.isEmpty else { return "0" }
        return bigEndianBytes.map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined().drop { $0 == "0" }.description
    }
}
