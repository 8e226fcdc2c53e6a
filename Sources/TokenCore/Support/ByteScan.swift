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
}
