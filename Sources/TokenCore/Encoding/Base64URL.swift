/// Strict base64url without padding (RFC 4648 §5, as JWS requires in RFC 7515 §2).
///
/// Decoding accepts exactly one encoding per byte string: no padding, no whitespace, no
/// characters outside `A–Z a–z 0–9 - _`, no length ≡ 1 (mod 4), and the unused low bits of the
/// last character must be zero.
public enum Base64URL {
    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// 0xFF marks a byte outside the alphabet.
    static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    /// Encodes `bytes` as unpadded base64url.
    public static func encode<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        Base64Codec.encode(bytes, alphabet: alphabet, pad: false)
    }

    /// Decodes unpadded, canonical base64url.
    /// - Throws: ``ByteEncodingError`` for any character outside the alphabet, an impossible
    ///   length, or non-zero trailing bits.
    public static func decode(_ text: some StringProtocol) throws(ByteEncodingError) -> [UInt8] {
        var utf8 = String(text)
        return try utf8.withUTF8 { raw in
            Result { () throws(ByteEncodingError) in try decode(utf8: UnsafeRawBufferPointer(raw)) }
        }.get()
    }

    /// Decodes unpadded, canonical base64url from UTF-8 bytes.
    public static func decode(utf8 input: UnsafeRawBufferPointer) throws(ByteEncodingError) -> [UInt8] {
        try Base64Codec.decodeUnpadded(input, table: decodeTable)
    }
}

/// Standard base64 with `=` padding (RFC 4648 §4), strict: exact padding, no whitespace,
/// canonical trailing bits. The legacy dynamic-token format uses it.
public enum Base64 {
    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    /// Encodes `bytes` as padded standard base64.
    public static func encode<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        Base64Codec.encode(bytes, alphabet: alphabet, pad: true)
    }

    /// Decodes padded, canonical standard base64.
    public static func decode(_ text: some StringProtocol) throws(ByteEncodingError) -> [UInt8] {
        var utf8 = String(text)
        return try utf8.withUTF8 { raw in
            Result { () throws(ByteEncodingError) in try decodePadded(UnsafeRawBufferPointer(raw)) }
        }.get()
    }

    static func decodePadded(_ input: UnsafeRawBufferPointer) throws(ByteEncodingError) -> [UInt8] {
            guard input.count % 4 == 0 else {
                throw ByteEncodingError(.invalidLength, "padded base64 length must be a multiple of 4")
            }
            var end = input.count
            var padding = 0
            while end > 0, padding < 2, input[end - 1] == UInt8(ascii: "=") {
                end -= 1
                padding += 1
            }
            if end > 0, input[end - 1] == UInt8(ascii: "=") {
                throw ByteEncodingError(.invalidCharacter, "too much padding")
            }
            let body = UnsafeRawBufferPointer(rebasing: input[0..<end])
            // With exact padding the unpadded remainder is 0, 2 or 3, matching the pad count.
            guard (body.count % 4 == 0 && padding == 0) || (4 - body.count % 4 == padding) else {
                throw ByteEncodingError(.nonCanonical, "padding does not match the length")
            }
            return try Base64Codec.decodeUnpadded(body, table: decodeTable)
        }
}

/// The shared base64 engine, parameterised by alphabet.
enum Base64Codec {
    static func encode<Bytes: Collection<UInt8>>(_ bytes: Bytes, alphabet: [UInt8], pad: Bool) -> String {
        let input = Array(bytes)
        let fullGroups = input.count / 3
        let rest = input.count % 3
        let outputCount = pad ? (input.count + 2) / 3 * 4 : fullGroups * 4 + (rest == 0 ? 0 : rest + 1)
        return String(unsafeUninitializedCapacity: outputCount) { out in
            var o = 0
            var i = 0
            for _ in 0..<fullGroups {
                let v = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
                out[o] = alphabet[Int(v >> 18)]
                out[o + 1] = alphabet[Int(v >> 12 & 63)]
                out[o + 2] = alphabet[Int(v >> 6 & 63)]
                out[o + 3] = alphabet[Int(v & 63)]
                i += 3
                o += 4
            }
            if rest == 1 {
                let v = UInt32(input[i]) << 16
                out[o] = alphabet[Int(v >> 18)]
                out[o + 1] = alphabet[Int(v >> 12 & 63)]
                o += 2
                if pad { out[o] = UInt8(ascii: "="); out[o + 1] = UInt8(ascii: "="); o += 2 }
            } else if rest == 2 {
                let v = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8
                out[o] = alphabet[Int(v >> 18)]
                out[o + 1] = alphabet[Int(v >> 12 & 63)]
                out[o + 2] = alphabet[Int(v >> 6 & 63)]
                o += 3
                if pad { out[o] = UInt8(ascii: "="); o += 1 }
            }
            return o
        }
    }

    static func decodeUnpadded(_ input: UnsafeRawBufferPointer, table: [UInt8]) throws(ByteEncodingError) -> [UInt8] {
        let n = input.count
        guard n % 4 != 1 else { throw ByteEncodingError(.invalidLength, "length \(n) is not a valid base64 length") }
        let outputCount = n / 4 * 3 + (n % 4 == 0 ? 0 : n % 4 - 1)
        var output = [UInt8](repeating: 0, count: outputCount)
        var bad = false
        var badIndex = 0
        table.withUnsafeBufferPointer { table in
            output.withUnsafeMutableBufferPointer { out in
                var i = 0
                var o = 0
                while i + 4 <= n {
                    let a = table[Int(input[i])], b = table[Int(input[i + 1])]
                    let c = table[Int(input[i + 2])], d = table[Int(input[i + 3])]
                    if (a | b | c | d) & 0xC0 != 0 { bad = true; badIndex = i; return }
                    let v = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                    out[o] = UInt8(truncatingIfNeeded: v >> 16)
                    out[o + 1] = UInt8(truncatingIfNeeded: v >> 8)
                    out[o + 2] = UInt8(truncatingIfNeeded: v)
                    i += 4
                    o += 3
                }
                let rest = n - i
                if rest == 2 {
                    let a = table[Int(input[i])], b = table[Int(input[i + 1])]
                    if (a | b) & 0xC0 != 0 { bad = true; badIndex = i; return }
                    if b & 0x0F != 0 { bad = true; badIndex = -1; return }
                    out[o] = a << 2 | b >> 4
                } else if rest == 3 {
                    let a = table[Int(input[i])], b = table[Int(input[i + 1])], c = table[Int(input[i + 2])]
                    if (a | b | c) & 0xC0 != 0 { bad = true; badIndex = i; return }
                    if c & 0x03 != 0 { bad = true; badIndex = -1; return }
                    out[o] = a << 2 | b >> 4
                    out[o + 1] = (b & 0x0F) << 4 | c >> 2
                }
            }
        }
        if bad {
            if badIndex < 0 { throw ByteEncodingError(.nonCanonical, "non-zero trailing bits") }
            throw ByteEncodingError(.invalidCharacter, "character outside the alphabet near offset \(badIndex)")
        }
        return output
    }
}
