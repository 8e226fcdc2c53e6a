/// A fixed-size inline byte buffer for a partial hash block. Value type, no heap allocation.
@usableFromInline
struct BlockBuffer64: Sendable {
    @usableFromInline var storage: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
        (0, 0, 0, 0, 0, 0, 0, 0)

    @usableFromInline init() {}

    @inline(__always) @usableFromInline
    mutating func copy(from source: UnsafeRawPointer, count: Int, at offset: Int) {
        withUnsafeMutableBytes(of: &storage) { ($0.baseAddress! + offset).copyMemory(from: source, byteCount: count) } // safe: offset + count <= 64 by the callers' arithmetic
    }

    @inline(__always) @usableFromInline
    mutating func setByte(_ byte: UInt8, at offset: Int) {
        withUnsafeMutableBytes(of: &storage) { $0[offset] = byte }
    }

    @inline(__always) @usableFromInline
    mutating func withBytes<R>(_ body: (UnsafeRawPointer) -> R) -> R {
        withUnsafeBytes(of: &storage) { body($0.baseAddress!) } // safe: a 64-byte tuple always has an address
    }
}

/// A fixed-size inline byte buffer of 128 bytes, for SHA-384/512 blocks.
@usableFromInline
struct BlockBuffer128: Sendable {
    @usableFromInline var low = BlockBuffer64()
    @usableFromInline var high = BlockBuffer64()
    @usableFromInline init() {}

    @inline(__always) @usableFromInline
    mutating func copy(from source: UnsafeRawPointer, count: Int, at offset: Int) {
        withUnsafeMutableBytes(of: &self) { ($0.baseAddress! + offset).copyMemory(from: source, byteCount: count) } // safe: offset + count <= 128 by the callers' arithmetic
    }

    @inline(__always) @usableFromInline
    mutating func setByte(_ byte: UInt8, at offset: Int) {
        withUnsafeMutableBytes(of: &self) { $0[offset] = byte }
    }

    @inline(__always) @usableFromInline
    mutating func withBytes<R>(_ body: (UnsafeRawPointer) -> R) -> R {
        withUnsafeBytes(of: &self) { body($0.baseAddress!) } // safe: a 128-byte struct always has an address
    }
}
