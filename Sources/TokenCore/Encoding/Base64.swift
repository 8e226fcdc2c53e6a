/// Standard base64 with `=` padding (RFC 4648 §4), strict: exact padding, no whitespace,
/// canonical trailing bits. The legacy dynamic-token format uses it.
///
/// ```swift
/// Base64.encode(Array("fo".utf8))     // "Zm8="
/// try Base64.decode("Zm8=")           // [0x66, 0x6f]
/// ```
public enum Base64 {
    static let alphabet = Base64Codec.Alphabet.standard

    /// Encodes `bytes` as padded standard base64.
    ///
    /// - Parameter bytes: The bytes to encode.
    /// - Returns: The base64 text, a multiple of four characters.
    public static func encode<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        Base64Codec.encode(bytes, alphabet: alphabet, pad: true)
    }

    /// Decodes padded, canonical standard base64.
    ///
    /// - Parameter text: The base64 text, its length a multiple of four.
    /// - Returns: The decoded bytes.
    /// - Throws: ``ByteEncodingError`` for a length that is not a multiple of four, missing,
    ///   extra or misplaced padding, a character outside the alphabet (including whitespace and
    ///   the URL-safe `-` and `_`), or non-zero trailing bits.
    public static func decode(_ text: some StringProtocol) throws(ByteEncodingError) -> [UInt8] {
        var utf8 = String(text)
        return try utf8.withUTF8 { raw in
            Result { () throws(ByteEncodingError) in try decodePadded(UnsafeRawBufferPointer(raw)) }
        }.get()
    }

    static func decodePadded(_ input: UnsafeRawBufferPointer) throws(ByteEncodingError) -> [UInt8] {
        try Base64Codec.decodeUnpadded(paddedBody(input), alphabet: alphabet)
    }

    /// ``decodePadded(_:)`` into `output`, which must hold `input.count / 4 * 3` bytes, without
    /// allocating; returns the number of bytes written.
    static func decodePadded(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableBufferPointer<UInt8>) throws(ByteEncodingError) -> Int {
        try Base64Codec.decodeUnpadded(paddedBody(input), alphabet: alphabet, into: output)
    }

    /// The characters before the padding, after checking the padding is exact.
    private static func paddedBody(_ input: UnsafeRawBufferPointer) throws(ByteEncodingError) -> UnsafeRawBufferPointer {
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
        return body
    }

    /// Standard alphabet without padding: the PHC string format's salt and hash fields.
    static func encodeUnpadded(_ bytes: [UInt8]) -> String {
        Base64Codec.encode(bytes, alphabet: alphabet, pad: false)
    }

    /// Decodes standard-alphabet base64 without padding, canonically.
    static func decodeUnpadded(_ utf8: [UInt8]) throws(ByteEncodingError) -> [UInt8] {
        try utf8.withUnsafeBytes { raw in
            Result { () throws(ByteEncodingError) in try Base64Codec.decodeUnpadded(raw, alphabet: alphabet) }
        }.get()
    }
}
