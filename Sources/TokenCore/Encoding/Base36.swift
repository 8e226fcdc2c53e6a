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

    /// The lowercase hexadecimal of two base-36 numbers (either case, at most 40 digits each,
    /// so each is below 2^207), written one after the other, each without leading zeros (`"0"`
    /// for zero): `toHexadecimal(high) + toHexadecimal(low)` in one allocation. `nil` when a
    /// half is empty, too long or holds a non-digit.
    static func hexadecimalConcatenation(
        _ high: Slice<UnsafeBufferPointer<UInt8>>, _ low: Slice<UnsafeBufferPointer<UInt8>>
    ) -> String? {
        guard let h = Limbs256(base36: high), let l = Limbs256(base36: low) else { return nil }
        let count = h.hexDigitCount &+ l.hexDigitCount
        return String(unsafeUninitializedCapacity: count) { out in
            let written = h.writeHex(into: out, at: 0)
            return l.writeHex(into: out, at: written)
        }
    }

    /// A 256-bit unsigned integer in four little-endian limbs, for base-36 identifiers of up to
    /// 40 digits (36^40 < 2^207): no heap, no quadratic digit-array division.
    struct Limbs256 {
        var l0: UInt64 = 0, l1: UInt64 = 0, l2: UInt64 = 0, l3: UInt64 = 0

        /// Reads 1…40 base-36 digits, most significant first; `nil` otherwise.
        init?(base36 digits: Slice<UnsafeBufferPointer<UInt8>>) {
            guard !digits.isEmpty, digits.count <= 40 else { return nil }
            for c in digits {
                guard let d = digitValue(c) else { return nil }
                var carry = UInt64(d)
                (l0, carry) = Self.multiplyAdd(l0, carry)
                (l1, carry) = Self.multiplyAdd(l1, carry)
                (l2, carry) = Self.multiplyAdd(l2, carry)
                (l3, _) = Self.multiplyAdd(l3, carry) // 40 digits never reach 2^256
            }
        }

        /// `limb × 36 + carry` as (low limb, new carry).
        @inline(__always)
        static func multiplyAdd(_ limb: UInt64, _ carry: UInt64) -> (UInt64, UInt64) {
            let (high, low) = limb.multipliedFullWidth(by: 36)
            let (sum, overflow) = low.addingReportingOverflow(carry)
            return (sum, high &+ (overflow ? 1 : 0))
        }

        func limb(_ i: Int) -> UInt64 {
            switch i {
            case 0: l0
            case 1: l1
            case 2: l2
            default: l3
            }
        }

        /// Hex digits without leading zeros, at least 1.
        var hexDigitCount: Int {
            for i in stride(from: 3, through: 0, by: -1) where limb(i) != 0 {
                return i &* 16 &+ (64 &- limb(i).leadingZeroBitCount &+ 3) / 4
            }
            return 1
        }

        /// Writes ``hexDigitCount`` lowercase digits at `offset`; returns the offset after them.
        func writeHex(into out: UnsafeMutableBufferPointer<UInt8>, at offset: Int) -> Int {
            let count = hexDigitCount
            for k in 0..<count {
                let nibble = k &* 4
                let value = (limb(nibble &>> 6) &>> UInt64(nibble & 63)) & 0xF
                out[offset &+ count &- 1 &- k] = value < 10 ? UInt8(truncatingIfNeeded: value) &+ 0x30 : UInt8(truncatingIfNeeded: value) &+ 0x57
            }
            return offset &+ count
        }
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
