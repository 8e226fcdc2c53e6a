#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte searches over borrowed memory, for parsers that look for one delimiter in public text
/// (the dots of a compact JWS). The C library's `memchr` reads a machine word or a vector at a
/// time; a Swift loop over a buffer compares one byte per iteration.
enum ByteScan {
    /// The offset of the first `byte` in `bytes` at or after `start`, or `nil`.
    static func offset(of byte: UInt8, in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard start >= 0, start < bytes.count, let base = bytes.baseAddress else { return nil }
        guard let hit = memchr(base + start, Int32(byte), bytes.count - start) else { return nil }
        return UnsafeRawPointer(hit) - base
    }

    /// Calls `found` with the offset of every `byte` in `bytes`, in increasing order, until it
    /// returns `false`. Eight bytes a step (SWAR): a byte equal to `byte` becomes zero after an
    /// XOR, and the exact zero-byte test `~(((v & 0x7F…) + 0x7F…) | v | 0x7F…)` marks exactly those
    /// bytes (no false positive after a match, unlike the shorter borrow-based test).
    @inline(__always)
    static func forEachOffset(of byte: UInt8, in bytes: UnsafeRawBufferPointer, _ found: (Int) -> Bool) {
        let count = bytes.count
        guard let base = bytes.baseAddress else { return }
        let pattern = UInt64(byte) &* 0x0101_0101_0101_0101
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        var index = 0
        while index &+ 8 <= count {
            let v = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self)) ^ pattern
            var matches = ~(((v & low7) &+ low7) | v | low7)
            while matches != 0 {
                guard found(index &+ matches.trailingZeroBitCount &>> 3) else { return }
                matches &= matches &- 1
            }
            index &+= 8
        }
        while index < count {
            if base.load(fromByteOffset: index, as: UInt8.self) == byte, !found(index) { return }
            index &+= 1
        }
    }
}
