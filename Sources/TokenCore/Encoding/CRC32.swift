public import Foundation

/// CRC-32 as used by zlib, gzip and PNG (ISO-HDLC: reflected polynomial `0xEDB88320`, initial
/// value and final XOR `0xFFFFFFFF`).
///
/// A checksum, not a MAC: it detects typos and truncation (every burst error up to 32 bits), and
/// lets a scanner recognise a well-formed API key, but anyone can compute it. It is pinned by the
/// standard check value `0xCBF43926` for `"123456789"` and cross-checked against Python's
/// `zlib.crc32`.
///
/// ```swift
/// CRC32.checksum(Array("123456789".utf8))   // 0xCBF43926
/// ```
public struct CRC32: Sendable {
    /// The running register, kept inverted as the algorithm specifies.
    private var register: UInt32 = 0xFFFF_FFFF

    /// Starts a new checksum.
    public init() {}

    /// Eight 256-entry tables for slicing-by-8: `table[k * 256 + b]` is the register update for
    /// byte `b` followed by `k` zero bytes. Row 0 is the classic byte-at-a-time table. Computed
    /// once (8 KiB).
    static let table: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for n in 0..<256 {
            var c = UInt32(n)
            for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            t[n] = c
        }
        for k in 1..<8 {
            for n in 0..<256 {
                let previous = t[(k - 1) * 256 + n]
                t[k * 256 + n] = t[Int(previous & 0xFF)] ^ (previous >> 8)
            }
        }
        return t
    }()

    /// Absorbs bytes: eight at a time (slicing-by-8, about 1.5 cycles a byte instead of the
    /// byte-at-a-time loop's serial chain of table loads), then the tail a byte at a time.
    public mutating func update(bufferPointer: UnsafeRawBufferPointer) {
        guard let base = bufferPointer.baseAddress else { return }
        let count = bufferPointer.count
        var r = register
        Self.table.withUnsafeBufferPointer { table in
            guard let t = table.baseAddress else { return } // safe: the table always has 2048 entries
            var i = 0
            while count &- i >= 8 {
                let low = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt32.self)) ^ r
                let high = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: i &+ 4, as: UInt32.self))
                r = t[7 &* 256 &+ Int(low & 0xFF)] ^ t[6 &* 256 &+ Int((low &>> 8) & 0xFF)]
                    ^ t[5 &* 256 &+ Int((low &>> 16) & 0xFF)] ^ t[4 &* 256 &+ Int(low &>> 24)]
                    ^ t[3 &* 256 &+ Int(high & 0xFF)] ^ t[2 &* 256 &+ Int((high &>> 8) & 0xFF)]
                    ^ t[256 &+ Int((high &>> 16) & 0xFF)] ^ t[Int(high &>> 24)]
                i &+= 8
            }
            while i < count {
                r = t[Int((r ^ UInt32(base.load(fromByteOffset: i, as: UInt8.self))) & 0xFF)] ^ (r &>> 8)
                i &+= 1
            }
        }
        register = r
    }

    /// Absorbs the bytes of any contiguous byte container.
    public mutating func update(_ bytes: some ContiguousBytes) {
        bytes.withUnsafeBytes { update(bufferPointer: $0) }
    }

    /// The checksum of everything absorbed so far. The receiver is not modified.
    public func finalize() -> UInt32 { register ^ 0xFFFF_FFFF }

    /// The CRC-32 of `bytes` in one call.
    public static func checksum(_ bytes: some ContiguousBytes) -> UInt32 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.finalize()
    }

    /// The CRC-32 of the UTF-8 bytes of `string` in one call.
    public static func checksum(_ string: String) -> UInt32 {
        var crc = CRC32()
        var string = string
        string.withUTF8 { crc.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        return crc.finalize()
    }
}
