/// The decoded signature of a compact JWS.
///
/// Signatures of up to 64 bytes (HS256/384/512, ES256, Ed25519) are held inline, so parsing
/// most tokens allocates nothing for them; longer ones (RSA, ES384) go to an array.
struct JWSSignature: Sendable {
    private typealias Inline = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)
    private static let inlineCapacity = MemoryLayout<Inline>.size

    private var inline: Inline = (0, 0, 0, 0, 0, 0, 0, 0)
    private var inlineCount = 0
    private var heap: [UInt8]?

    /// Decodes canonical unpadded base64url signature text (public input).
    /// - Throws: ``ByteEncodingError`` as ``Base64URL/decode(utf8:into:)`` does.
    init(decoding text: UnsafeRawBufferPointer) throws(ByteEncodingError) {
        guard let count = Base64URL.decodedCount(text.count), count <= Self.inlineCapacity else {
            heap = try Base64URL.decodePublic(utf8: text)
            return
        }
        let written: Result<Int, ByteEncodingError> = withUnsafeMutableBytes(of: &inline) { buffer in
            Result { () throws(ByteEncodingError) in try Base64URL.decode(utf8: text, into: buffer) }
        }
        inlineCount = try written.get()
    }

    /// Calls `body` with the signature bytes.
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws(JWTError) -> R) throws(JWTError) -> R {
        if let heap {
            let result: Result<R, JWTError> = heap.withUnsafeBytes { bytes in Result { () throws(JWTError) in try body(bytes) } }
            return try result.get()
        }
        var copy = inline
        let count = inlineCount
        let result: Result<R, JWTError> = Swift.withUnsafeBytes(of: &copy) { bytes in
            Result { () throws(JWTError) in try body(UnsafeRawBufferPointer(rebasing: bytes[0..<count])) }
        }
        return try result.get()
    }
}
