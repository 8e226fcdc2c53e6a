/// Base 36 (digits `0–9` then letters `a–z`), as JavaScript's `Number.prototype.toString(36)`
/// and `parseInt(_, 36)` write and read it.
///
/// Two shapes: unsigned 64-bit integers (timestamps, small random numbers), where decoding
/// reports overflow instead of wrapping; and arbitrary-length conversion between hexadecimal and
/// base-36 digit strings, for identifiers wider than 64 bits. Encoding writes lowercase; decoding
/// accepts either case, as `parseInt` does, and nothing else: no sign, no whitespace, no prefix.
package enum Base36 {
    static let digits: [UInt8] = Array("0123456789abcdefghijklmnopqrstuvwxyz".utf8)

    /// The value of one base-36 digit (either case), or `nil`.
    @inline(__always)
    package static func digitValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): c &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): c &- UInt8(ascii: "A") &+ 10
        default: nil
        }
    }

    /// Lowercase base-36 digits of `value`, most significant first (`"0"` for zero).
    package static func encode(_ value: UInt64) -> String {
        var v = value
        var out = [UInt8]()
        out.reserveCapacity(13)
        repeat {
            out.append(digits[Int(v % 36)])
            v /= 36
        } while v > 0
        out.reverse()
        return String(decoding: out, as: UTF8.self)
    }

    /// Reads base-36 digits, most significant first.
    /// - Throws: ``ByteEncodingError`` for an empty input, a non-digit, or a value above
    ///   `UInt64.max` (`.overflow`; leading zeros never overflow).
    package static func decode(_ text: some StringProtocol) throws(ByteEncodingError) -> UInt64 {
        var text = String(text)
        return try text.withUTF8 { raw in
            Result { () throws(ByteEncodingError) in try decode(utf8: raw[...]) }
        }.get()
    }

    /// Reads base-36 digits from UTF-8 bytes, most significant first. See ``decode(_:)-(StringProtocol)``.
    package static func decode(utf8 bytes: Slice<UnsafeBufferPointer<UInt8>>) throws(ByteEncodingError) -> UInt64 {
        guard !bytes.isEmpty else { throw ByteEncodingError(.invalidLength, "empty base-36 number") }
        var value: UInt64 = 0
        for c in bytes {
            guard let d = digitValue(c) else { throw ByteEncodingError(.invalidCharacter, "not a base-36 digit") }
            let (times, o1) = value.multipliedReportingOverflow(by: 36)
            let (sum, o2) = times.addingReportingOverflow(UInt64(d))
            guard !o1, !o2 else { throw ByteEncodingError(.overflow, "base-36 number exceeds 64 bits") }
            value = sum
        }
        return value
    }

    /// Reads base-36 digits in **reverse** order (least significant first), as the legacy
    /// dynamic-token timestamp is written. Same errors as ``decode(utf8:)``.
    package static func decodeReversed(utf8 bytes: Slice<UnsafeBufferPointer<UInt8>>) throws(ByteEncodingError) -> UInt64 {
        guard !bytes.isEmpty else { throw ByteEncodingError(.invalidLength, "empty base-36 number") }
        var value: UInt64 = 0
        var i = bytes.endIndex
        while i > bytes.startIndex {
            i -= 1
            guard let d = digitValue(bytes[i]) else { throw ByteEncodingError(.invalidCharacter, "not a base-36 digit") }
            let (times, o1) = value.multipliedReportingOverflow(by: 36)
            let (sum, o2) = times.addingReportingOverflow(UInt64(d))
            guard !o1, !o2 else { throw ByteEncodingError(.overflow, "base-36 number exceeds 64 bits") }
            value = sum
        }
        return value
    }

    /// Converts a hexadecimal number of any length to lowercase base 36 (no leading zeros;
    /// `"0"` for zero).
    /// - Throws: ``ByteEncodingError`` for an empty input or a non-hex character.
    package static func fromHexadecimal(_ hex: some StringProtocol) throws(ByteEncodingError) -> String {
        var source = [UInt8]()
        source.reserveCapacity(hex.utf8.count)
        for c in hex.utf8 {
            guard let v = digitValue(c), v < 16 else { throw ByteEncodingError(.invalidCharacter, "not a hex digit") }
            source.append(v)
        }
        guard !source.isEmpty else { throw ByteEncodingError(.invalidLength, "empty hexadecimal number") }
        return String(decoding: convert(source, from: 16, to: 36).map { digits[Int($0)] }, as: UTF8.self)
    }

    /// Converts base-36 digits of any length (either case) to lowercase hexadecimal without
    /// zero padding (`"0"` for zero), as JavaScript's `parseInt(s, 36).toString(16)` would if
    /// numbers had unlimited precision.
    /// - Throws: ``ByteEncodingError`` for an empty input or a non-digit.
    package static func toHexadecimal(_ base36: some StringProtocol) throws(ByteEncodingError) -> String {
        var source = [UInt8]()
        source.reserveCapacity(base36.utf8.count)
        for c in base36.utf8 {
            guard let v = digitValue(c) else { throw ByteEncodingError(.invalidCharacter, "not a base-36 digit") }
            source.append(v)
        }
        guard !source.isEmpty else { throw ByteEncodingError(.invalidLength, "empty base-36 number") }
        return String(decoding: convert(source, from: 36, to: 16).map { digits[Int($0)] }, as: UTF8.self)
    }

    /// Schoolbook radix conversion of a digit array (most significant first) by repeated
    /// division. Quadratic, which is fine for the identifier lengths this serves (callers bound
    /// the input). Returns at least one digit and no leading zeros.
    static func convert(_ input: [UInt8], from: Int, to: Int) -> [UInt8] {
        var number = input.map(Int.init)
        var start = number.firstIndex { $0 != 0 } ?? number.count
        var out = [UInt8]()
        while start < number.count {
            var remainder = 0
            for i in start..<number.count {
                let accumulator = remainder * from + number[i]
                number[i] = accumulator / to
                remainder = accumulator % to
            }
            out.append(UInt8(remainder))
            while start < number.count, number[start] == 0 { start += 1 }
        }
        if out.isEmpty { out.append(0) }
        out.reverse()
        return out
    }
}
