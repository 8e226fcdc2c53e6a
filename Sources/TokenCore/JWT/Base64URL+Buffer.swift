extension Base64URL {
    /// The decoded length of `count` base64url characters, or `nil` for an impossible length.
    static func decodedCount(_ count: Int) -> Int? {
        guard count % 4 != 1 else { return nil }
        return count / 4 * 3 + (count % 4 == 0 ? 0 : count % 4 - 1)
    }

    /// Character values for ``decode(utf8:into:)``: the 6-bit value, or `0x80` outside the
    /// base64url alphabet.
    static let publicDecodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0x80, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8.enumerated() {
            table[Int(c)] = UInt8(i)
        }
        return table
    }()

    /// Decodes canonical unpadded base64url into `output`, which must hold at least
    /// ``decodedCount(_:)`` bytes, and returns the number of bytes written.
    ///
    /// The same rules as ``decode(utf8:)``, without allocating: JWT parsing decodes header and
    /// payload into temporary (usually stack) buffers. For **public** text only (JWS header,
    /// payload and signature): characters are mapped through a lookup table, about five times
    /// faster than the branch-free mapping ``decode(utf8:)`` uses for secrets, but its timing
    /// depends on the text.
    /// - Throws: ``ByteEncodingError`` as ``decode(utf8:)`` does.
    static func decode(utf8 input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(ByteEncodingError) -> Int {
        let n = input.count
        guard let outputCount = decodedCount(n), output.count >= outputCount else {
            throw ByteEncodingError(.invalidLength, "length \(n) is not a valid base64 length")
        }
        guard n > 0, let source = input.baseAddress, let target = output.baseAddress else { return 0 }
        let (invalid, trailing) = publicDecodeTable.withUnsafeBufferPointer { table -> (UInt8, UInt8) in
            @inline(__always) func value(_ i: Int) -> UInt8 { table[Int(source.load(fromByteOffset: i, as: UInt8.self))] }
            var invalid: UInt8 = 0
            var trailing: UInt8 = 0
            var i = 0
            var o = 0
            while n &- i >= 4 {
                let a = value(i), b = value(i &+ 1), c = value(i &+ 2), d = value(i &+ 3)
                invalid |= a | b | c | d
                let v = UInt32(a) &<< 18 | UInt32(b) &<< 12 | UInt32(c) &<< 6 | UInt32(d)
                target.storeBytes(of: UInt8(truncatingIfNeeded: v &>> 16), toByteOffset: o, as: UInt8.self)
                target.storeBytes(of: UInt8(truncatingIfNeeded: v &>> 8), toByteOffset: o &+ 1, as: UInt8.self)
                target.storeBytes(of: UInt8(truncatingIfNeeded: v), toByteOffset: o &+ 2, as: UInt8.self)
                i &+= 4
                o &+= 3
            }
            let rest = n &- i
            if rest == 2 {
                let a = value(i), b = value(i &+ 1)
                invalid |= a | b
                trailing = b & 0x0F
                target.storeBytes(of: (a &<< 2) | ((b & 63) &>> 4), toByteOffset: o, as: UInt8.self)
            } else if rest == 3 {
                let a = value(i), b = value(i &+ 1), c = value(i &+ 2)
                invalid |= a | b | c
                trailing = c & 0x03
                target.storeBytes(of: (a &<< 2) | ((b & 63) &>> 4), toByteOffset: o, as: UInt8.self)
                target.storeBytes(of: ((b & 0x0F) &<< 4) | ((c & 63) &>> 2), toByteOffset: o &+ 1, as: UInt8.self)
            }
            return (invalid, trailing)
        }
        if invalid & 0x80 != 0 { throw ByteEncodingError(.invalidCharacter, "character outside the base64 alphabet") }
        if trailing != 0 { throw ByteEncodingError(.nonCanonical, "non-zero trailing bits") }
        return outputCount
    }

    /// Decodes a public base64url segment (a JWS signature) into a new array; see
    /// ``decode(utf8:into:)``.
    static func decodePublic(utf8 input: UnsafeRawBufferPointer) throws(ByteEncodingError) -> [UInt8] {
        guard let count = decodedCount(input.count) else {
            throw ByteEncodingError(.invalidLength, "length \(input.count) is not a valid base64 length")
        }
        var failure: ByteEncodingError?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            do throws(ByteEncodingError) {
                initialized = try decode(utf8: input, into: UnsafeMutableRawBufferPointer(buffer))
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return bytes
    }
}
