extension Base64URL {
    /// The decoded length of `count` base64url characters, or `nil` for an impossible length.
    static func decodedCount(_ count: Int) -> Int? {
        guard count % 4 != 1 else { return nil }
        return count / 4 * 3 + (count % 4 == 0 ? 0 : count % 4 - 1)
    }

    /// Decodes canonical unpadded base64url into `output`, which must hold at least
    /// ``decodedCount(_:)`` bytes, and returns the number of bytes written.
    ///
    /// The same rules and the same branch-free character mapping as ``decode(utf8:)``, without
    /// allocating: JWT parsing decodes header and payload into temporary (usually stack) buffers.
    /// - Throws: ``ByteEncodingError`` as ``decode(utf8:)`` does.
    static func decode(utf8 input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(ByteEncodingError) -> Int {
        let n = input.count
        guard let outputCount = decodedCount(n), output.count >= outputCount else {
            throw ByteEncodingError(.invalidLength, "length \(n) is not a valid base64 length")
        }
        let alphabet = Base64URL.alphabet
        var invalid: Int32 = 0
        var trailing: Int32 = 0
        var i = 0
        var o = 0
        while i &+ 4 <= n {
            let a = alphabet.value(Int32(input[i])), b = alphabet.value(Int32(input[i &+ 1]))
            let c = alphabet.value(Int32(input[i &+ 2])), d = alphabet.value(Int32(input[i &+ 3]))
            invalid |= a | b | c | d
            let v = (a & 63) << 18 | (b & 63) << 12 | (c & 63) << 6 | (d & 63)
            output[o] = UInt8(truncatingIfNeeded: v >> 16)
            output[o &+ 1] = UInt8(truncatingIfNeeded: v >> 8)
            output[o &+ 2] = UInt8(truncatingIfNeeded: v)
            i &+= 4
            o &+= 3
        }
        let rest = n &- i
        if rest == 2 {
            let a = alphabet.value(Int32(input[i])), b = alphabet.value(Int32(input[i &+ 1]))
            invalid |= a | b
            trailing = b & 0x0F
            output[o] = UInt8(truncatingIfNeeded: (a & 63) << 2 | (b & 63) >> 4)
        } else if rest == 3 {
            let a = alphabet.value(Int32(input[i])), b = alphabet.value(Int32(input[i &+ 1]))
            let c = alphabet.value(Int32(input[i &+ 2]))
            invalid |= a | b | c
            trailing = c & 0x03
            output[o] = UInt8(truncatingIfNeeded: (a & 63) << 2 | (b & 63) >> 4)
            output[o &+ 1] = UInt8(truncatingIfNeeded: (b & 0x0F) << 4 | (c & 63) >> 2)
        }
        if invalid < 0 { throw ByteEncodingError(.invalidCharacter, "character outside the base64 alphabet") }
        if trailing != 0 { throw ByteEncodingError(.nonCanonical, "non-zero trailing bits") }
        return outputCount
    }
}
