import Foundation

/// Verifies signed dynamic tokens and consumes them: each token is accepted once.
///
/// The order of checks (`Docs/DynamicTokenSigned.md` §Verification) is chosen so that nothing
/// unauthenticated reaches state: size; syntax and version; key id; body policy; the MAC in
/// constant time; the timestamp against separate past and future tolerances; then, only for an
/// authentic, fresh token, the replay cache's insert-if-absent on (key id, nonce), which keeps
/// the entry until the token would have expired anyway.
///
/// ```swift
/// let verifier = try DynamicTokenVerifier(keys: ring, replayCache: InMemoryReplayCache())
/// let token = try await verifier.verify(header, method: "GET", target: "/api/items", body: [])
/// ```
public struct DynamicTokenVerifier: Sendable {
    /// Whether tokens must bind the request body.
    public enum BodyBinding: Sendable, Hashable {
        /// Tokens with body flag `0` are refused (`body_not_bound`). The default.
        case required
        /// Tokens may leave the body unbound (for example for streamed uploads).
        case optional
    }

    /// The accepted keys.
    public let keys: DynamicTokenKeyRing
    /// Where accepted tokens are remembered until they expire.
    public let replayCache: any ReplayCache
    /// The time tokens are checked against.
    public let clock: any WallClock
    /// How old a token may be.
    public let pastTolerance: Duration
    /// How far ahead of the clock a token may be.
    public let futureTolerance: Duration
    /// Whether tokens must bind the body.
    public let bodyBinding: BodyBinding
    /// The longest token accepted, in bytes.
    public let maximumTokenLength: Int

    let pastMilliseconds: Int64
    let futureMilliseconds: Int64
    /// `replayCache` when it is the in-memory one, which is then called synchronously: no
    /// suspension point and no `Date` round trip on every request.
    let inMemoryReplayCache: InMemoryReplayCache?

    /// - Parameters:
    ///   - keys: The accepted keys, by id.
    ///   - replayCache: Where consumed tokens are remembered. Share one cache between every
    ///     verifier that accepts the same keys.
    ///   - clock: The time tokens are checked against. Default ``SystemClock``.
    ///   - pastTolerance: How old a token may be (0 to 1 day). Default 5 minutes.
    ///   - futureTolerance: How far ahead of the clock a token may be, for client clock skew
    ///     (0 to 1 hour). Default 30 seconds.
    ///   - bodyBinding: Default ``BodyBinding/required``.
    ///   - maximumTokenLength: 64 to 4 096 bytes. Default 512 (a v1 token is at most 303).
    /// - Throws: ``DynamicTokenError`` (`invalid_configuration`) for out-of-range settings.
    public init(
        keys: DynamicTokenKeyRing,
        replayCache: any ReplayCache,
        clock: any WallClock = SystemClock(),
        pastTolerance: Duration = .seconds(300),
        futureTolerance: Duration = .seconds(30),
        bodyBinding: BodyBinding = .required,
        maximumTokenLength: Int = 512
    ) throws(DynamicTokenError) {
        guard let past = LegacyDynamicTokenOptions.milliseconds(pastTolerance), (0...86_400_000).contains(past) else {
            throw DynamicTokenError(.invalidConfiguration, "the past tolerance must be between 0 and 1 day")
        }
        guard let future = LegacyDynamicTokenOptions.milliseconds(futureTolerance), (0...3_600_000).contains(future) else {
            throw DynamicTokenError(.invalidConfiguration, "the future tolerance must be between 0 and 1 hour")
        }
        guard (64...4096).contains(maximumTokenLength) else {
            throw DynamicTokenError(.invalidConfiguration, "the maximum token length must be between 64 and 4096 bytes")
        }
        self.keys = keys
        self.replayCache = replayCache
        self.clock = clock
        self.pastTolerance = pastTolerance
        self.futureTolerance = futureTolerance
        self.bodyBinding = bodyBinding
        self.maximumTokenLength = maximumTokenLength
        self.pastMilliseconds = past
        self.futureMilliseconds = future
        self.inMemoryReplayCache = replayCache as? InMemoryReplayCache
    }

    /// Verifies `token` for a request and consumes it.
    ///
    /// - Parameters:
    ///   - token: The header value.
    ///   - method: The request method as received.
    ///   - target: The request target (path and query) as received, still percent-encoded.
    ///   - body: The request body.
    /// - Returns: The verified token.
    /// - Throws: ``DynamicTokenError``: `too_large`, `malformed`, `unsupported_version`,
    ///   `unknown_key`, `body_not_bound`, `bad_signature`, `expired`, `not_yet_valid`,
    ///   `replayed`, or `replay_cache_full` / `replay_cache_unavailable` (refused: fail closed).
    nonisolated(nonsending) public func verify(_ token: String, method: String, target: String, body: [UInt8]) async throws(DynamicTokenError) -> SignedDynamicToken {
        let now = clock.now().unixMilliseconds
        if let inMemoryReplayCache {
            // The in-memory cache is synchronous: check and consume on the borrowed bytes, and
            // build the token value only once it has been accepted.
            return try borrowing(token, method, target) { bytes, method, target throws(DynamicTokenError) in
                let (parsed, key) = try check(bytes, method: method, target: target, body: body, now: now)
                let insertion: ReplayCacheInsertion
                do {
                    insertion = try withUnsafeBytes(of: parsed.nonce) { nonce in
                        try inMemoryReplayCache.insertNow(
                            keyID: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[parsed.keyID])),
                            nonce: UnsafeRawBufferPointer(rebasing: nonce.prefix(parsed.nonceCount)),
                            expiresAt: parsed.timestampMilliseconds + pastMilliseconds,
                            now: now
                        )
                    }
                } catch {
                    throw Self.refusal(error)
                }
                guard insertion == .inserted else { throw DynamicTokenError.replayed }
                return parsed.token(in: bytes, keyID: key.id)
            }
        }
        let verified = try check(token, method: method, target: target, body: body, nowMilliseconds: now)
        let insertion: ReplayCacheInsertion
        do {
            insertion = try await replayCache.insertIfAbsent(
                keyID: verified.keyID,
                nonce: verified.nonce,
                expiresAt: Date(unixMilliseconds: verified.timestampMilliseconds + pastMilliseconds),
                now: Date(unixMilliseconds: now)
            )
        } catch {
            throw Self.refusal(error)
        }
        guard insertion == .inserted else { throw DynamicTokenError.replayed }
        return verified
    }

    /// The error for a replay cache that could not record a token: refused either way.
    private static func refusal(_ error: any Error) -> DynamicTokenError {
        if let error = error as? ReplayCacheError, error.code == .full {
            return DynamicTokenError(.replayCacheFull, "too many recent tokens to remember; try again shortly")
        }
        return DynamicTokenError(.replayCacheUnavailable, "the replay cache could not be consulted")
    }

    /// Every check except single use, at the clock's time: syntax, key, body policy, MAC, time.
    ///
    /// Does **not** consume the token; a server must call ``verify(_:method:target:body:)``.
    /// - Throws: ``DynamicTokenError`` as ``verify(_:method:target:body:)``, except the replay
    ///   cache codes.
    public func check(_ token: String, method: String, target: String, body: [UInt8]) throws(DynamicTokenError) -> SignedDynamicToken {
        try check(token, method: method, target: target, body: body, nowMilliseconds: clock.now().unixMilliseconds)
    }

    /// ``check(_:method:target:body:)`` at the time `nowMilliseconds` (Unix milliseconds).
    public func check(_ token: String, method: String, target: String, body: [UInt8], nowMilliseconds now: Int64) throws(DynamicTokenError) -> SignedDynamicToken {
        try borrowing(token, method, target) { bytes, method, target throws(DynamicTokenError) in
            let (parsed, key) = try check(bytes, method: method, target: target, body: body, now: now)
            return parsed.token(in: bytes, keyID: key.id)
        }
    }

    /// Runs `body` on the UTF-8 bytes of the token, the method and the target, each string
    /// borrowed once. The size and emptiness checks come first, before anything is read.
    private func borrowing(
        _ token: String, _ method: String, _ target: String,
        _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) throws(DynamicTokenError) -> SignedDynamicToken
    ) throws(DynamicTokenError) -> SignedDynamicToken {
        guard token.utf8.count <= maximumTokenLength else {
            throw DynamicTokenError(.tooLarge, "the dynamic token exceeds \(maximumTokenLength) bytes")
        }
        guard !token.isEmpty else { throw SignedDynamicToken.malformed("the dynamic token is empty") }
        let outcome = token.withBorrowedUTF8 { bytes in
            method.withBorrowedUTF8 { method in
                target.withBorrowedUTF8 { target -> Result<SignedDynamicToken, DynamicTokenError> in
                    Result { () throws(DynamicTokenError) -> SignedDynamicToken in try body(bytes, method, target) }
                }
            }
        }
        return try outcome.get()
    }

    /// Syntax, key, body policy, MAC and time on the borrowed bytes: the parsed fields and the
    /// key that verified them.
    private func check(
        _ bytes: UnsafeBufferPointer<UInt8>, method: UnsafeBufferPointer<UInt8>, target: UnsafeBufferPointer<UInt8>,
        body: [UInt8], now: Int64
    ) throws(DynamicTokenError) -> (SignedDynamicToken.Parsed, DynamicTokenKey) {
        let parsed = try SignedDynamicToken.parse(bytes)
        guard let key = keys.key(utf8: UnsafeBufferPointer(rebasing: bytes[parsed.keyID])) else {
            throw DynamicTokenError(.unknownKey, "no active key has this dynamic token's key id")
        }
        if bodyBinding == .required, !parsed.bindsBody {
            throw DynamicTokenError(.bodyNotBound, "this server requires dynamic tokens to bind the request body")
        }
        guard SignedDynamicToken.isMethod(utf8: method), SignedDynamicToken.isTarget(utf8: target) else {
            throw SignedDynamicToken.malformed("the request's method or target cannot be part of a signed dynamic token")
        }
        let signed = UnsafeBufferPointer(rebasing: bytes[0..<parsed.signedLength])
        // The expected MAC on the stack, compared with the token's in constant time.
        var expected: SignedDynamicToken.Inline32 = (0, 0, 0, 0)
        var received = parsed.mac
        let authentic = withUnsafeMutableBytes(of: &expected) { out in
            if parsed.bindsBody {
                body.withUnsafeBytes { SignedDynamicToken.authenticationCode(key: key, signedPart: signed, method: method, target: target, body: $0, into: out) }
            } else {
                SignedDynamicToken.authenticationCode(key: key, signedPart: signed, method: method, target: target, body: nil, into: out)
            }
            return withUnsafeBytes(of: &received) { ConstantTime.isEqual(UnsafeRawBufferPointer(out), $0) }
        }
        guard authentic else { throw DynamicTokenError.badSignature }

        // Both tolerances, without overflow: `now` may be anything a clock returns.
        let (age, overflow) = now.subtractingReportingOverflow(parsed.timestampMilliseconds)
        if overflow ? now > 0 : age > pastMilliseconds { throw DynamicTokenError.expired }
        if overflow ? now <= 0 : age < -futureMilliseconds { throw DynamicTokenError.notYetValid }
        return (parsed, key)
    }
}
