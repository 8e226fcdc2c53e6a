/// A fixed-size inline byte buffer for a partial SHA-256 block: a value type, never on the heap.
///
/// Callers keep every offset and count within the 64 bytes; the hash types' arithmetic
/// guarantees it (`bufferedCount < blockByteCount` between calls).
struct BlockBuffer64: Sendable {
    var storage: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)

    init() {}

    @inline(__always)
    mutating func copy(from source: UnsafeRawPointer, count: Int, at offset: Int) {
        withUnsafeMutableBytes(of: &storage) { ($0.baseAddress! + offset).copyMemory(from: source, byteCount: count) } // safe: a 64-byte tuple always has an address; offset + count <= 64 by the callers' arithmetic
    }

    /// Writes `0x80` at `offset` and zeros after it: the start of SHA-2 padding (FIPS 180-4 §5.1).
    @inline(__always)
    mutating func pad(at offset: Int) {
        withUnsafeMutableBytes(of: &storage) { raw in
            raw[offset] = 0x80
            let rest = UnsafeMutableRawBufferPointer(rebasing: raw[(offset &+ 1)...])
            rest.initializeMemory(as: UInt8.self, repeating: 0)
        }
    }

    /// Zeros the whole buffer (the second padding block, or wiping a copy of secret bytes).
    @inline(__always)
    mutating func clear() { storage = (0, 0, 0, 0, 0, 0, 0, 0) }

    /// Stores `value` big-endian at byte `offset` (the message length in the last block).
    @inline(__always)
    mutating func storeBigEndian(_ value: UInt64, at offset: Int) {
        withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: value.bigEndian, toByteOffset: offset, as: UInt64.self) }
    }

    @inline(__always)
    mutating func withBytes<R>(_ body: (UnsafeRawPointer) -> R) -> R {
        withUnsafeBytes(of: &storage) { body($0.baseAddress!) } // safe: a 64-byte tuple always has an address
    }

    @inline(__always)
    mutating func withMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) -> R) -> R {
        withUnsafeMutableBytes(of: &storage) { body($0) }
    }
}

/// A fixed-size inline byte buffer of 128 bytes, for SHA-384/512 blocks.
struct BlockBuffer128: Sendable {
    var low = BlockBuffer64()
    var high = BlockBuffer64()

    init() {}

    @inline(__always)
    mutating func copy(from source: UnsafeRawPointer, count: Int, at offset: Int) {
        withUnsafeMutableBytes(of: &self) { ($0.baseAddress! + offset).copyMemory(from: source, byteCount: count) } // safe: a 128-byte struct always has an address; offset + count <= 128 by the callers' arithmetic
    }

    /// Writes `0x80` at `offset` and zeros after it: the start of SHA-2 padding (FIPS 180-4 §5.1).
    @inline(__always)
    mutating func pad(at offset: Int) {
        withUnsafeMutableBytes(of: &self) { raw in
            raw[offset] = 0x80
            let rest = UnsafeMutableRawBufferPointer(rebasing: raw[(offset &+ 1)...])
            rest.initializeMemory(as: UInt8.self, repeating: 0)
        }
    }

    @inline(__always)
    mutating func clear() {
        low.clear()
        high.clear()
    }

    @inline(__always)
    mutating func storeBigEndian(_ value: UInt64, at offset: Int) {
        withUnsafeMutableBytes(of: &self) { $0.storeBytes(of: value.bigEndian, toByteOffset: offset, as: UInt64.self) }
    }

    @inline(__always)
    mutating func withBytes<R>(_ body: (UnsafeRawPointer) -> R) -> R {
        withUnsafeBytes(of: &self) { body($0.baseAddress!) } // safe: a 128-byte struct always has an address
    }

    @inline(__always)
    mutating func withMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) -> R) -> R {
        withUnsafeMutableBytes(of: &self) { body($0) }
    }
}
