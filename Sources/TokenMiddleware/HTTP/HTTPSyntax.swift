/// Character classes of RFC 9110 §5.6 and RFC 6750 §2.1, as bit sets over ASCII.
///
/// Each class is two 64-bit masks: bit `b` of `low` is set when byte `b` (0–63) is in the class,
/// bit `b − 64` of `high` when byte `b` (64–127) is. A membership test is a shift and an AND,
/// where a `switch` over ranges is a chain of comparisons per byte. (The masks are computed
/// properties, so each use is a pair of constants, not a lazily initialised global.) The Bearer
/// check, which runs over every byte of every token, uses a byte table derived from its set.
/// `HTTPSyntaxTests` checks each class against the grammar, byte by byte.
enum HTTPSyntax {
    /// `tchar` (RFC 9110 §5.6.2): `"!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
    /// "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA`.
    static var tokenCharacters: ASCIISet { ASCIISet(low: 0x03FF_6CFA_0000_0000, high: 0x57FF_FFFF_C7FF_FFFE) }

    /// The body characters of `b64token` (RFC 6750 §2.1): `ALPHA / DIGIT / "-" / "." / "_" /
    /// "~" / "+" / "/"`.
    static var b64TokenCharacters: ASCIISet { ASCIISet(low: 0x03FF_E800_0000_0000, high: 0x47FF_FFFE_87FF_FFFE) }

    /// `tchar` (RFC 9110 §5.6.2).
    @inline(__always)
    static func isTokenCharacter(_ byte: UInt8) -> Bool {
        tokenCharacters.contains(byte)
    }

    /// Whether `bytes` are one `b64token`: `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" /
    /// "/" ) *"="` (RFC 6750 §2.1).
    static func isB64Token(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var end = bytes.count
        while end > 0, bytes[end - 1] == UInt8(ascii: "=") { end -= 1 }
        guard end > 0 else { return false }
        // A table lookup per byte, OR-ed together with no early exit: a few instructions per
        // byte and no branch that base64 text could mispredict. A bad token costs the same
        // full scan, which the header-size limit bounds.
        return b64TokenRejects.withUnsafeBufferPointer { rejects in
            var rejected: UInt8 = 0
            for i in 0..<end { rejected |= rejects[Int(bytes[i])] }
            return rejected == 0
        }
    }

    /// For each byte value, 1 when it is not a `b64token` body character, else 0 (built once
    /// from ``b64TokenCharacters``).
    private static let b64TokenRejects: [UInt8] = (0...255).map { b64TokenCharacters.contains(UInt8($0)) ? 0 : 1 }

    /// Whether `bytes` hold a control character other than HTAB (`%x00-08 / %x0A-1F / %x7F`),
    /// which has no place in a field value (RFC 9110 §5.5).
    static func containsControlCharacter(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // Branch-free and without early exit, so the compiler can vectorize the scan.
        var found: UInt8 = 0
        for i in 0..<bytes.count {
            let byte = bytes[i]
            let below: UInt8 = byte < 0x20 ? 1 : 0
            let tab: UInt8 = byte == 0x09 ? 1 : 0
            let delete: UInt8 = byte == 0x7F ? 1 : 0
            found |= (below & ~tab) | delete
        }
        return found != 0
    }

    /// A set of ASCII bytes as two bit masks.
    struct ASCIISet: Sendable {
        let low: UInt64
        let high: UInt64

        @inline(__always)
        func contains(_ byte: UInt8) -> Bool {
            let mask = byte < 64 ? low : high
            return byte < 128 && (mask >> UInt64(byte & 63)) & 1 == 1
        }
    }
}
