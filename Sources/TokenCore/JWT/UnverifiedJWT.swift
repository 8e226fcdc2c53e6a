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
    let signature: [UInt8]
    /// The token text; its first `signingInputLength` UTF-8 bytes are the JWS signing input.
    let token: String
    let signingInputLength: Int

    /// Parses `token` under `options`' limits.
    /// - Throws: ``JWTError/Code/malformed`` or ``JWTError/Code/unsupportedAlgorithm``.
    public init(parsing token: String, options: JWTValidationOptions = JWTValidationOptions()) throws(JWTError) {
        var text = token
        let maximumSize = options.maximumTokenSize
        let reader = JSONReader(maximumDepth: options.maximumJSONDepth, maximumSize: maximumSize)
        let parts: Result<(JWTHeader, JSONObject, [UInt8], Int), JWTError> = text.withUTF8 { utf8 in
            Result { () throws(JWTError) in
                try Self.parse(UnsafeRawBufferPointer(utf8), reader: reader, maximumSize: maximumSize,
                               understoodCritical: options.understoodCriticalHeaders)
            }
        }
        (header, payload, signature, signingInputLength) = try parts.get()
        self.token = text
    }

    private static func parse(
        _ bytes: UnsafeRawBufferPointer, reader: JSONReader, maximumSize: Int, understoodCritical: Set<String>
    ) throws(JWTError) -> (JWTHeader, JSONObject, [UInt8], Int) {
        guard bytes.count <= maximumSize else {
            throw .malformed("the token is longer than \(maximumSize) bytes")
        }
        var firstDot = -1
        var secondDot = -1
        for i in 0..<bytes.count where bytes[i] == UInt8(ascii: ".") {
            if firstDot < 0 {
                firstDot = i
            } else if secondDot < 0 {
                secondDot = i
            } else {
                throw .malformed("the token has more than three segments (RFC 7515 §7.1)")
            }
        }
        guard secondDot >= 0 else { throw .malformed("the token does not have three segments (RFC 7515 §7.1)") }
        let headerText = UnsafeRawBufferPointer(rebasing: bytes[0..<firstDot])
        let payloadText = UnsafeRawBufferPointer(rebasing: bytes[(firstDot + 1)..<secondDot])
        let signatureText = UnsafeRawBufferPointer(rebasing: bytes[(secondDot + 1)...])
        guard !headerText.isEmpty, !payloadText.isEmpty else { throw .malformed("the token has an empty segment") }

        let headerBytes = try decode(headerText, "header")
        let headerObject = try json(headerBytes, reader, "header")
        let header = try JWTHeader(fields: headerObject, understoodCritical: understoodCritical)
        // After the header, so `alg: none` tokens (empty signature) report the algorithm.
        guard !signatureText.isEmpty else { throw .malformed("the token has no signature") }
        let payloadBytes = try decode(payloadText, "payload")
        let payload = try json(payloadBytes, reader, "payload")
        let signature = try decode(signatureText, "signature")
        return (header, payload, signature, secondDot)
    }

    private static func decode(_ text: UnsafeRawBufferPointer, _ part: String) throws(JWTError) -> [UInt8] {
        do {
            return try Base64URL.decode(utf8: text)
        } catch {
            throw .malformed("the \(part) is not canonical unpadded base64url: \(error.reason)")
        }
    }

    private static func json(_ bytes: [UInt8], _ reader: JSONReader, _ part: String) throws(JWTError) -> JSONObject {
        do {
            return try bytes.withRawBytes { raw throws(JSONError) in try reader.parseObject(raw) }
        } catch {
            throw .malformed("the \(part) is not a valid JSON object: \(error.reason)")
        }
    }

    /// Calls `body` with the JWS signing input bytes (RFC 7515 §5.2 step 8).
    func withSigningInput<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        var text = token
        let length = signingInputLength
        return text.withUTF8 { utf8 in body(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(utf8)[0..<length])) }
    }

    /// Whether the signature verifies under one of `keySet`'s candidate keys for this header.
    /// - Throws: ``JWTError/Code/unknownKey``, ``JWTError/Code/unsupportedAlgorithm`` or
    ///   ``JWTError/Code/badSignature``.
    public func verifySignature(with keySet: JWTKeySet) throws(JWTError) {
        let keys = try keySet.candidates(algorithm: header.algorithm, keyID: header.keyID)
        let valid = signature.withUnsafeBytes { sig in
            withSigningInput { input in keys.contains { $0.isValidSignature(sig, for: input) } }
        }
        guard valid else { throw JWTError(.badSignature, "the signature does not verify") }
    }
}
