public import Foundation

/// Remembers single-use tokens until they expire, so a second presentation is refused.
///
/// The contract: ``insertIfAbsent(keyID:nonce:expiresAt:now:)`` atomically records
/// `(keyID, nonce)` if it is not already recorded and says which happened. An implementation
/// must remember an entry at least until `expiresAt` (inclusive) — after that the token's own
/// timestamp check rejects it — and must **never** drop a live entry to make room: when it
/// cannot record, it throws, and the caller refuses the token (fail closed). A replay must never
/// be let through to save memory or because a database is down.
///
/// Asynchronous because shared implementations (a database, a cache server) do I/O;
/// ``InMemoryReplayCache`` serves a single process.
public protocol ReplayCache: Sendable {
    /// Records `(keyID, nonce)` until `expiresAt` unless already recorded.
    ///
    /// - Parameters:
    ///   - keyID: The id of the key that signed the token (nonces are unique per key).
    ///   - nonce: The token's random nonce.
    ///   - expiresAt: When the token becomes unacceptable anyway; the entry may be forgotten
    ///     after this instant.
    ///   - now: The verifier's current time, so every component agrees on the clock.
    /// - Returns: ``ReplayCacheInsertion/inserted`` for the first presentation,
    ///   ``ReplayCacheInsertion/alreadyPresent`` for a replay.
    /// - Throws: ``ReplayCacheError`` (or any error) when the pair cannot be recorded; the
    ///   caller must then refuse the token.
    func insertIfAbsent(keyID: String, nonce: [UInt8], expiresAt: Date, now: Date) async throws -> ReplayCacheInsertion
}

/// What ``ReplayCache/insertIfAbsent(keyID:nonce:expiresAt:now:)`` did.
public enum ReplayCacheInsertion: Sendable, Hashable {
    /// The pair was new and is now recorded: first use.
    case inserted
    /// The pair was already recorded: a replay.
    case alreadyPresent
}

// MARK: - Errors

/// A replay cache could not record an entry. Callers refuse the token (fail closed).
public struct ReplayCacheError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable code. Extensible through static members.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// Every slot holds a live entry; new tokens are refused until some expire.
        public static let full = Code(rawValue: "full")
        /// The backing store could not be reached or answered with an error.
        public static let unavailable = Code(rawValue: "unavailable")
    }

    /// What went wrong, as a stable code.
    public var code: Code
    /// A human-readable explanation; never a nonce or key material.
    public var reason: String

    /// Creates an error with `code` and a human `reason`.
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "ReplayCacheError(\(code)): \(reason)" }
}
