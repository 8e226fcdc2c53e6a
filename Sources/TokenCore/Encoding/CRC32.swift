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

    /// One table entry per byte value: the register update for that byte (the classic
    /// byte-at-a-time table, computed once).
    static let table: [UInt32] = (0..<256).map { (n: UInt32) -> UInt32 in
        var c = n
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// Absorbs bytes.
    public mutating func update(bufferPointer: UnsafeRawBufferPointer) {
        var r = register
        Self.table.withUnsafeBufferPointer { table in
            for byte in bufferPointer {
                r = table[Int((r ^ UInt32(byte)) & 0xFF)] ^ (r >> 8)
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
