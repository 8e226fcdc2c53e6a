import Foundation

/// Makes signed dynamic tokens for requests (the client side of the signed format).
///
/// Each token carries the key id, the current time, a fresh random nonce and an optional
/// subject, and an HMAC-SHA256 over those and the request's method, path with query and
/// (by default) body hash. The secret never travels; a token works once, for one request.
///
/// ```swift
/// let signer = try DynamicTokenSigner(key: DynamicTokenKey(id: "k1", hexSecret: secretHex))
/// let token = try signer.token(method: "POST", target: "/api/orders?dry=1", body: body)
/// // send it in the X-Dynamic-Token header
/// ```
public struct DynamicTokenSigner: Sendable {
    /// The signing key; its id is sent in every token.
    public let key: DynamicTokenKey
    /// The source of token timestamps.
    public let clock: any WallClock
    /// The source of nonces.
    public let random: any RandomSource
    /// Nonce size in bytes, 16 to 32.
    public let nonceByteCount: Int

    /// - Parameters:
    ///   - key: The key; its id is sent in every token.
    ///   - clock: Token timestamps. Default ``SystemClock``.
    ///   - random: Nonces. Default ``SystemRandomSource``.
    ///   - nonceByteCount: 16 (128 bits, the default) to 32.
    /// - Throws: ``DynamicTokenError`` (`invalid_configuration`) for a nonce size out of range.
    public init(
        key: DynamicTokenKey,
        clock: any WallClock = SystemClock(),
        random: any RandomSource = SystemRandomSource(),
        nonceByteCount: Int = 16
    ) throws(DynamicTokenError) {
        guard SignedDynamicToken.nonceByteRange.contains(nonceByteCount) else {
            throw DynamicTokenError(.invalidConfiguration, "the nonce must be 16 to 32 bytes")
        }
        self.key = key
        self.clock = clock
        self.random = random
        self.nonceByteCount = nonceByteCount
    }

    /// Makes a token for one request, at the clock's time with a fresh nonce.
    ///
    /// - Parameters:
    ///   - method: The request method exactly as sent (`GET`).
    ///   - target: The path with query exactly as sent on the request line, percent-encoding
    ///     included (`/api/items?page=2`).
    ///   - body: The body to bind (its SHA-256 is signed), or `nil` not to bind it. An empty
    ///     body is bound as `[]`.
    ///   - subject: An optional subject (1 to 128 characters of `A–Z a–z 0–9 - _`).
    /// - Returns: The header value.
    /// - Throws: ``DynamicTokenError`` (`invalid_configuration`) for a malformed method, target
    ///   or subject, or a failing random source.
    public func token(method: String, target: String, body: [UInt8]?, subject: String? = nil) throws(DynamicTokenError) -> String {
        let nonce: [UInt8]
        do { nonce = try random.bytes(count: nonceByteCount) } catch {
            throw DynamicTokenError(.invalidConfiguration, "the random source failed: \(error.reason)")
        }
        return try token(
            method: method, target: target, body: body, subject: subject,
            timestampMilliseconds: clock.now().unixMilliseconds, nonce: nonce
        )
    }

    /// Makes a token with a given timestamp and nonce: for test vectors and tools. Never reuse
    /// a nonce in production; ``token(method:target:body:subject:)`` draws a fresh one.
    /// - Throws: ``DynamicTokenError`` (`invalid_configuration`) for any out-of-range input.
    public func token(
        method: String, target: String, body: [UInt8]?, subject: String?,
        timestampMilliseconds: Int64, nonce: [UInt8]
    ) throws(DynamicTokenError) -> String {
        guard SignedDynamicToken.isMethod(method) else {
            throw DynamicTokenError(.invalidConfiguration, "the method must be an HTTP token of 1 to 32 characters")
        }
        guard SignedDynamicToken.isTarget(target) else {
            throw DynamicTokenError(.invalidConfiguration, "the target must start with '/' and be visible ASCII (percent-encode the rest), at most 8192 bytes")
        }
        if let subject, !SignedDynamicToken.isSubject(subject) {
            throw DynamicTokenError(.invalidConfiguration, "the subject must be 1 to 128 characters of A-Z a-z 0-9 - _")
        }
        guard timestampMilliseconds >= 0, timestampMilliseconds < 10_000_000_000_000_000 else {
            throw DynamicTokenError(.invalidConfiguration, "the timestamp must be 0 to 16 decimal digits of milliseconds")
        }
        guard SignedDynamicToken.nonceByteRange.contains(nonce.count) else {
            throw DynamicTokenError(.invalidConfiguration, "the nonce must be 16 to 32 bytes")
        }
        let signedPart = "\(SignedDynamicToken.currentVersion).\(key.id).\(timestampMilliseconds).\(Base64URL.encode(nonce)).\(body == nil ? "0" : "1").\(subject ?? "")"
        let bytes = Array(signedPart.utf8)
        let mac = bytes.withUnsafeBufferPointer { signed in
            if let body {
                body.withUnsafeBytes { raw in
                    SignedDynamicToken.authenticationCode(key: key, signedPart: signed, method: method, target: target, body: raw)
                }
            } else {
                SignedDynamicToken.authenticationCode(key: key, signedPart: signed, method: method, target: target, body: nil)
            }
        }
        return signedPart + "." + Base64URL.encode(mac)
    }
}
