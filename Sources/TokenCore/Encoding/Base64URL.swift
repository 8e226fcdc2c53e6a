/// Strict base64url without padding (RFC 4648 §5, as JWS requires in RFC 7515 §2).
///
/// Decoding accepts exactly one encoding per byte string: no padding, no whitespace, no
/// characters outside `A–Z a–z 0–9 - _`, no length ≡ 1 (mod 4), and the unused low bits of the
/// last character must be zero. Encoding and decoding run without secret-dependent branches or
/// table lookups (see ``Base64Codec``), since the bytes are often keys.
///
/// ```swift
/// Base64URL.encode([0xfb, 0xff])      // "-_8"
/// try Base64URL.decode("-_8")         // [0xfb, 0xff]
/// ```
public enum Base64URL {
    static let alphabet = Base64Codec.Alphabet.url

    /// Encodes `bytes` as unpadded base64url.
    ///
    /// - Parameter bytes: The bytes to encode.
    /// - Returns: The base64url text, `⌈4n/3⌉` characters.
    public static func encode<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        Base64Codec.encode(bytes, alphabet: alphabet, pad: false)
    }

    /// Decodes unpadded, canonical base64url.
    ///
    /// - Parameter text: The base64url text.
    /// - Returns: The decoded bytes.
    /// - Throws: ``ByteEncodingError`` for any character outside the alphabet (including `=`,
    ///   `+`, `/` and whitespace), an impossible length, or non-zero trailing bits.
    public static func decode(_ text: some StringProtocol) throws(ByteEncodingError) -> [UInt8] {
        var utf8 = String(text)
        return try utf8.withUTF8 { raw in
            Result { () throws(ByteEncodingError) in try decode(utf8: UnsafeRawBufferPointer(raw)) }
        }.get()
    }

    /// Decodes unpadded, canonical base64url from UTF-8 bytes.
    ///
    /// - Parameter input: The UTF-8 bytes of the base64url text.
    /// - Returns: The decoded bytes.
    /// - Throws: ``ByteEncodingError`` as ``decode(_:)`` does.
    public static func decode(utf8 input: UnsafeRawBufferPointer) throws(ByteEncodingError) -> [UInt8] {
        try Base64Codec.decodeUnpadded(input, alphabet: alphabet)
    }
}
