/// Base62 with the alphabet `0–9 A–Z a–z`: the encoding of API keys (GitHub's token design).
///
/// Base62 has no punctuation, so a key is one "word" to a double click, a shell and a secret
/// scanner. Two shapes are offered:
/// - **byte strings** as one big-endian number, always written with the same width for the same
///   byte count (``encodedLength(byteCount:)``), so the encoding is a bijection between
///   `n`-byte strings and the canonical `w`-character texts;
/// - **integers** (``encode(_:width:)``), left-padded with `0`, used for the CRC-32 checksum.
///
/// Decoding is strict: exact width, alphabet only, and no value that does not fit.
public enum Base62 {
    /// The 62 digits in value order.
    public static let alphabet: [UInt8] = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// Digit values by ASCII code; `0xFF` marks a byte outside the alphabet.
    static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    /// The largest byte count ``encode(_:)`` and ``decode(_:byteCount:)`` accept. The conversion
    /// is quadratic; keys use 24 bytes.
    public static let maximumByteCount = 1024

    /// Whether `byte` (an ASCII code) is a base62 digit.
    @inline(__always)
    public static func isDigit(_ byte: UInt8) -> Bool { decodeTable[Int(byte)] != 0xFF }

    /// The number of characters every encoding of `byteCount` bytes has: the smallest `w` with
    /// `62^w ≥ 256^byteCount` (33 for 24 bytes).
    public static func encodedLength(byteCount: Int) -> Int {
        guard byteCount > 0 else { return 0 }
        // log2(62) is irrational, so the quotient is never an integer and rounding up is exact
        // for every byte count up to the maximum.
        return Int((Double(byteCount) * 8 / 5.954_196_310_386_876).rounded(.up))
    }

    /// Encodes `bytes` as a fixed-width base62 number (big-endian, left-padded with `0`).
    ///
    /// - Parameter bytes: At most ``maximumByteCount`` bytes; longer input is encoded too, just slowly.
    /// - Returns: ``encodedLength(byteCount:)`` characters.
    public static func encode<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        var number = Array(bytes)
        let width = encodedLength(byteCount: number.count)
        var digits = [UInt8](repeating: alphabet[0], count: width)
        var position = width
        var start = 0
        // Schoolbook division of the base-256 number by 62, one output digit per pass.
        while position > 0 {
            while start < number.count, number[start] == 0 { start += 1 }
            guard start < number.count else { break }
            var remainder: UInt32 = 0
            for i in start..<number.count {
                let value = remainder << 8 | UInt32(number[i])
                number[i] = UInt8(truncatingIfNeeded: value / 62)
                remainder = value % 62
            }
            position -= 1
            digits[position] = alphabet[Int(remainder)]
        }
        return String(decoding: digits, as: UTF8.self)
    }

    /// Decodes a fixed-width base62 number into exactly `byteCount` bytes.
    ///
    /// - Parameters:
    ///   - text: Exactly ``encodedLength(byteCount:)`` base62 digits.
    ///   - byteCount: The number of bytes the text encodes, at most ``maximumByteCount``.
    /// - Returns: The big-endian bytes.
    /// - Throws: ``ByteEncodingError`` for a wrong length, a character outside the alphabet, or
    ///   a number of `256^byteCount` or more (`overflow`).
    public static func decode(_ text: some StringProtocol, byteCount: Int) throws(ByteEncodingError) -> [UInt8] {
        guard byteCount >= 0, byteCount <= maximumByteCount else {
            throw ByteEncodingError(.invalidLength, "byte count \(byteCount) is outside 0...\(maximumByteCount)")
        }
        let utf8 = Array(text.utf8)
        guard utf8.count == encodedLength(byteCount: byteCount) else {
            throw ByteEncodingError(.invalidLength, "expected \(encodedLength(byteCount: byteCount)) base62 digits, got \(utf8.count)")
        }
        var number = [UInt8](repeating: 0, count: byteCount)
        for (offset, c) in utf8.enumerated() {
            let digit = decodeTable[Int(c)]
            guard digit != 0xFF else { throw ByteEncodingError(.invalidCharacter, "non-base62 character at offset \(offset)") }
            // number = number * 62 + digit, least significant byte last.
            var carry = UInt32(digit)
            var i = byteCount - 1
            while i >= 0 {
                let value = UInt32(number[i]) * 62 + carry
                number[i] = UInt8(truncatingIfNeeded: value)
                carry = value >> 8
                i -= 1
            }
            guard carry == 0 else { throw ByteEncodingError(.overflow, "value does not fit in \(byteCount) bytes") }
        }
        return number
    }

    /// Encodes `value` with exactly `width` digits, left-padded with `0`.
    ///
    /// - Returns: The digits, or `nil` when `value` needs more than `width` digits.
    public static func encode(_ value: UInt64, width: Int) -> String? {
        guard width >= 0, width <= 11 else { return nil } // 62^11 > 2^64
        var digits = [UInt8](repeating: alphabet[0], count: width)
        var rest = value
        var position = width
        while rest > 0 {
            guard position > 0 else { return nil }
            position -= 1
            digits[position] = alphabet[Int(rest % 62)]
            rest /= 62
        }
        return String(decoding: digits, as: UTF8.self)
    }

    /// Decodes base62 digits (any width from 1 to 11) into an integer.
    ///
    /// - Throws: ``ByteEncodingError`` for an empty or over-long text, a character outside the
    ///   alphabet, or a value above `UInt64.max`.
    public static func decodeInteger(_ text: some StringProtocol) throws(ByteEncodingError) -> UInt64 {
        let utf8 = text.utf8
        guard !utf8.isEmpty, utf8.count <= 11 else {
            throw ByteEncodingError(.invalidLength, "expected 1 to 11 base62 digits, got \(utf8.count)")
        }
        var value: UInt64 = 0
        for (offset, c) in utf8.enumerated() {
            let digit = decodeTable[Int(c)]
            guard digit != 0xFF else { throw ByteEncodingError(.invalidCharacter, "non-base62 character at offset \(offset)") }
            let (times, o1) = value.multipliedReportingOverflow(by: 62)
            let (sum, o2) = times.addingReportingOverflow(UInt64(digit))
            guard !o1, !o2 else { throw ByteEncodingError(.overflow, "value exceeds 64 bits") }
            value = sum
        }
        return value
    }
}
