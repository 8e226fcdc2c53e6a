/// A compact-serialized JWS that passed every structural check but whose signature and claims
/// are not yet verified (RFC 7515 §5.2 steps 1–7, §7.1).
///
/// Parsing refuses, before any cryptography:
/// - tokens over ``JWTValidationOptions/maximumTokenSize`` bytes (default 8 KiB);
/// - anything but exactly three `.`-separated segments, and an empty signature;
/// - characters outside the base64url alphabet (padding, `+`, `/`, whitespace) and
///   non-canonical encodings (non-zero trailing bits);
/// - a header or payload that is not UTF-8 JSON text holding one object, has trailing data,
///   repeats a member name, or nests deeper than ``JWTValidationOptions/maximumJSONDepth``;
/// - a header without a string `alg`, with `alg` `none` in any spelling, with a `crit` list
///   naming anything not understood or not present, or with `b64` other than `true`.
///
/// Reading a value of this type is safe; trusting it is not. Pass it to
/// ``JWTVerifier/verify(_:as:)-(UnverifiedJWT,_)`` — the header is exposed so a key resolver can
/// read `kid` first.
public struct UnverifiedJWT: Sendable {
    /// The checked protected header.
    public let header: JWTHeader
    /// The payload object, unverified.
    public let payload: JSONObject
    /// The decoded signature.
    let signature: JWSSignature
    /// The token text; its first `signingInputLength` UTF-8 bytes are the JWS signing input.
    let token: String
    let signingInputLength: Int

    /// Parses `token` under `options`' limits.
    /// - Throws: ``JWTError/Code/malformed`` or ``JWTError/Code/unsupportedAlgorithm``.
    public init(parsing token: String, options: JWTValidationOptions = JWTValidationOptions()) throws(JWTError) {
        try self.init(parsing: token, maximumSize: options.maximumTokenSize, maximumDepth: options.maximumJSONDepth,
                      understoodCritical: options.understoodCriticalHeaders)
    }

    /// Parses `token` under the three limits parsing uses, so a verifier passes them without
    /// copying (retaining and releasing every field of) its whole options value.
    ///
    /// - Parameter headerCache: Where a verifier keeps the headers it already parsed under these
    ///   same limits; `nil` parses every header.
    init(parsing token: String, maximumSize: Int, maximumDepth: Int, understoodCritical: Set<String>, headerCache: JWTHeaderCache? = nil) throws(JWTError) {
        let reader = JSONReader(maximumDepth: maximumDepth, maximumSize: maximumSize)
        let parts: Result<(JWTHeader, JSONObject, JWSSignature, Int), JWTError> = token.withBorrowedUTF8 { utf8 in
            Result { () throws(JWTError) in
                try Self.parse(UnsafeRawBufferPointer(utf8), reader: reader, maximumSize: maximumSize,
                               understoodCritical: understoodCritical, headerCache: headerCache)
            }
        }
        (header, payload, signature, signingInputLength) = try parts.get()
        self.token = token
    }

    private static func parse(
        _ bytes: UnsafeRawBufferPointer, reader: JSONReader, maximumSize: Int, understoodCritical: Set<String>,
        headerCache: JWTHeaderCache?
    ) throws(JWTError) -> (JWTHeader, JSONObject, JWSSignature, Int) {
        guard bytes.count <= maximumSize else {
            throw .malformed("the token is longer than \(maximumSize) bytes")
        }
        guard let firstDot = ByteScan.offset(of: UInt8(ascii: "."), in: bytes, from: 0),
              let secondDot = ByteScan.offset(of: UInt8(ascii: "."), in: bytes, from: firstDot + 1)
        else { throw .malformed("the token does not have three segments (RFC 7515 §7.1)") }
        guard ByteScan.offset(of: UInt8(ascii: "."), in: bytes, from: secondDot + 1) == nil else {
            throw .malformed("the token has more than three segments (RFC 7515 §7.1)")
        }
        let headerText = UnsafeRawBufferPointer(rebasing: bytes[0..<firstDot])
        let payloadText = UnsafeRawBufferPointer(rebasing: bytes[(firstDot + 1)..<secondDot])
        let signatureText = UnsafeRawBufferPointer(rebasing: bytes[(secondDot + 1)...])
        guard !headerText.isEmpty, !payloadText.isEmpty else { throw .malformed("the token has an empty segment") }

        let header: JWTHeader
        if let cached = headerCache?.header(for: headerText) {
            header = cached
        } else {
            header = try JWTHeader(fields: decodeJSON(headerText, reader, "header"), understoodCritical: understoodCritical)
            headerCache?.remember(header, for: headerText)
        }
        // After the header, so `alg: none` tokens (empty signature) report the algorithm.
        guard !signatureText.isEmpty else { throw .malformed("the token has no signature") }
        let payload = try decodeJSON(payloadText, reader, "payload")
        let signature: JWSSignature
        do throws(ByteEncodingError) {
            signature = try JWSSignature(decoding: signatureText)
        } catch {
            throw .malformed("the signature is not canonical unpadded base64url: \(error.reason)")
        }
        return (header, payload, signature, secondDot)
    }

    /// Decodes one base64url segment into a temporary buffer and parses it as a JSON object.
    private static func decodeJSON(_ text: UnsafeRawBufferPointer, _ reader: JSONReader, _ part: String) throws(JWTError) -> JSONObject {
        guard let count = Base64URL.decodedCount(text.count) else {
            throw .malformed("the \(part) is not canonical unpadded base64url: impossible length")
        }
        let result: Result<JSONObject, JWTError> = withUnsafeTemporaryAllocation(byteCount: max(count, 1), alignment: 1) { buffer in
            Result { () throws(JWTError) -> JSONObject in
                let written: Int
                do throws(ByteEncodingError) {
                    written = try Base64URL.decode(utf8: text, into: buffer)
                } catch {
                    throw .malformed("the \(part) is not canonical unpadded base64url: \(error.reason)")
                }
                do throws(JSONError) {
                    return try reader.parseObject(UnsafeRawBufferPointer(rebasing: buffer[0..<written]))
                } catch {
                    throw .malformed("the \(part) is not a valid JSON object: \(error.reason)")
                }
            }
        }
        return try result.get()
    }

    /// Whether the signature verifies under one of `keySet`'s candidate keys for this header.
    /// - Throws: ``JWTError/Code/unknownKey``, ``JWTError/Code/unsupportedAlgorithm`` or
    ///   ``JWTError/Code/badSignature``.
    public func verifySignature(with keySet: JWTKeySet) throws(JWTError) {
        let length = signingInputLength
        try signature.withUnsafeBytes { sig throws(JWTError) in
            let result: Result<Void, JWTError> = token.withBorrowedUTF8 { utf8 in
                let input = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(utf8)[0..<length])
                return Result { () throws(JWTError) in
                    try keySet.verify(sig, for: input, algorithm: header.algorithm, keyID: header.keyID)
                }
            }
            try result.get()
        }
    }
}
