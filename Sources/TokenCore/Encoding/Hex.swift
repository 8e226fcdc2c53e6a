/// Lowercase hexadecimal encoding and strict decoding (RFC 4648 §8 alphabet, either case in).
///
/// Like ``Base64Codec``, both directions use arithmetic instead of tables or data-dependent
/// branches, so hex-encoded secrets do not leak through timing.
///
/// ```swift
/// Hex.encode([0xde, 0xad])    // "dead"
/// try Hex.decode("DEAD")      // [0xde, 0xad]
/// ```
public enum Hex {
    /// Encodes `bytes` as lowercase hex.
    ///
    /// - Parameter bytes: The bytes to encode.
    /// - Returns: Two lowercase hex digits per byte.
    public static func encode<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        let count = bytes.count
        guard count > 0 else { return "" }
        return String(unsafeUninitializedCapacity: count * 2) { out in
            var o = 0
            for b in bytes {
                out[o] = digit(Int32(b >> 4))
                out[o &+ 1] = digit(Int32(b & 0x0F))
                o &+= 2
            }
            return o
        }
    }

    /// Decodes hex in either case.
    ///
    /// - Parameter text: An even number of hex digits, nothing else (no `0x`, no whitespace).
    /// - Returns: The decoded bytes.
    /// - Throws: ``ByteEncodingError`` with ``ByteEncodingError/Code/invalidLength`` for an odd
    ///   number of digits, ``ByteEncodingError/Code/invalidCharacter`` for any non-hex character.
    public static func decode(_ text: some StringProtocol) throws(ByteEncodingError) -> [UInt8] {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { throw ByteEncodingError(.invalidLength, "odd number of hex digits") }
        var invalid: Int32 = 0
        let out = [UInt8](unsafeUninitializedCapacity: utf8.count / 2) { out, initialized in
            var i = 0
            while i < utf8.count {
                let hi = value(Int32(utf8[i])), lo = value(Int32(utf8[i &+ 1]))
                invalid |= hi | lo
                out[i >> 1] = UInt8(truncatingIfNeeded: (hi & 0x0F) << 4 | (lo & 0x0F))
                i &+= 2
            }
            initialized = utf8.count / 2
        }
        guard invalid >= 0 else { throw ByteEncodingError(.invalidCharacter, "non-hex character") }
        return out
    }

    /// The lowercase digit for `x` in `0..<16`: `'0' + x`, plus `'a' − '0' − 10` when `x > 9`.
    @inline(__always)
    static func digit(_ x: Int32) -> UInt8 {
        UInt8(truncatingIfNeeded: x &+ 48 &+ (((9 &- x) >> 8) & 39))
    }

    /// The value of hex digit `c`, or −1.
    @inline(__always)
    static func value(_ c: Int32) -> Int32 {
        var v: Int32 = -1
        v &+= (((0x2F &- c) & (c &- 0x3A)) >> 8) & (c &- 47)    // '0'…'9' → c − 48
        v &+= (((0x60 &- c) & (c &- 0x67)) >> 8) & (c &- 86)    // 'a'…'f' → c − 87
        v &+= (((0x40 &- c) & (c &- 0x47)) >> 8) & (c &- 54)    // 'A'…'F' → c − 55
        return v
    }
}
