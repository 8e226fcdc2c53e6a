extension Base64URL {
    /// The decoded length of `count` base64url characters, or `nil` for an impossible length.
    static func decodedCount(_ count: Int) -> Int? {
        guard count % 4 != 1 else { return nil }
        return count / 4 * 3 + (count % 4 == 0 ? 0 : count % 4 - 1)
    }

    /// Decodes canonical unpadded base64url into `output`, which must hold at least
    /// ``decodedCount(_:)`` bytes, and returns the number of bytes written.
    ///
    /// The same rules as ``decode(utf8:)``, without allocating: JWT parsing decodes header and
    /// payload into temporary (usually stack) buffers.
    /// - Throws: ``ByteEncodingError`` as ``decode(utf8:)`` does.
    static func decode(utf8 input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(ByteEncodingError) -> Int {
        let n = input.count
        guard let outputCount = decodedCount(n), output.count >= outputCount else {
            throw ByteEncodingError(.invalidLength, "length \(n) is not a valid base64 length")
        }
        let failure: Int = decodeTable.withUnsafeBufferPointer { table in
            var i = 0
            var o = 0
            while i + 4 <= n {
                let a = table[Int(input[i])], b = table[Int(input[i + 1])]
                let c = table[Int(input[i + 2])], d = table[Int(input[i + 3])]
                if (a | b | c | d) & 0xC0 != 0 { return i }
                let v = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                output[o] = UInt8(truncatingIfNeeded: v >> 16)
                output[o + 1] = UInt8(truncatingIfNeeded: v >> 8)
                output[o + 2] = UInt8(truncatingIfNeeded: v)
                i += 4
                o += 3
            }
            let rest = n - i
            if rest == 2 {
                let a = table[Int(input[i])], b = table[Int(input[i + 1])]
                if (a | b) & 0xC0 != 0 { return i }
                if b & 0x0F != 0 { return -2 }
                output[o] = a << 2 | b >> 4
            } else if rest == 3 {
                let a = table[Int(input[i])], b = table[Int(input[i + 1])], c = table[Int(input[i + 2])]
                if (a | b | c) & 0xC0 != 0 { return i }
                if c & 0x03 != 0 { return -2 }
                output[o] = a << 2 | b >> 4
                output[o + 1] = (b & 0x0F) << 4 | c >> 2
            }
            return -1
        }
        if failure == -2 { throw ByteEncodingError(.nonCanonical, "non-zero trailing bits") }
        if failure >= 0 { throw ByteEncodingError(.invalidCharacter, "character outside the alphabet near offset \(failure)") }
        return outputCount
    }
}
