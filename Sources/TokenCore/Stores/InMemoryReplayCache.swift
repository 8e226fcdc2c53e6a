public import Foundation

/// A bounded, in-process ``ReplayCache`` that forgets entries only once they have expired.
///
/// Each `(key id, nonce)` is reduced to a 128-bit fingerprint (SipHash-2-4 under a 128-bit key
/// drawn at initialisation), and kept with its expiry in a flat open-addressing table (24 bytes a slot,
/// at most half the slots used). Expired entries are removed lazily: reused when an insertion's
/// probe meets them, two slots swept per insertion, and a full sweep only when the table holds
/// `capacity` entries and some may have expired. It never removes a live entry: when `capacity`
/// live entries remain it refuses with ``ReplayCacheError/Code/full``, so memory is bounded and
/// a replay is never let through; the cost of a burst beyond capacity is refused tokens
/// (HTTP 503) until entries expire.
///
/// A fingerprint collision can only make a first presentation look like a replay (a refusal,
/// never an acceptance): the same pair always has the same fingerprint. With a secret key and
/// 127 significant bits, the chance for one insertion is about n / 2^127 for n live entries
/// (below 10^-32 at the default capacity), and a client cannot aim at another's entry without
/// the key.
///
/// Size it as peak accepted tokens per second × (past tolerance + future tolerance); the default
/// 100 000 covers about 300 tokens per second with the verifier's default 330 s window, in
/// about 6 MB, allocated when the cache is created (up to ``presizedCapacityLimit`` entries;
/// beyond it the table starts there and doubles as it fills).
///
/// A lock-protected class rather than an actor: the critical section is a few dozen
/// nanoseconds of table work that never suspends and sits on every request's path, and a lock
/// avoids an executor hop per request. The fingerprint is computed before taking the lock, and
/// the lock is never held across an `await`.
///
/// ```swift
/// let cache = InMemoryReplayCache(capacity: 200_000)
/// let verifier = try DynamicTokenVerifier(keys: ring, replayCache: cache)
/// ```
public final class InMemoryReplayCache: ReplayCache, @unchecked Sendable {
    /// The most entries held at once.
    public let capacity: Int

    /// The keyed fingerprint function; `nil` when the random source failed, and then every
    /// insertion is refused (fail closed) rather than fingerprinting with a guessable key.
    private let fingerprintKey: SipHash24?
    // `Locked` serialises every access to the table; `@unchecked Sendable` rests on it.
    private let table: Locked<ReplayFingerprintTable>

    /// The largest accepted capacity (a table of 2^31 slots).
    public static let maximumCapacity = 1 << 30

    /// Capacities up to this many entries get their whole table (24 bytes × twice the capacity,
    /// rounded up to a power of two: 6 MB at the default, 24 MB here) when the cache is created.
    public static let presizedCapacityLimit = 1 << 19

    /// - Parameters:
    ///   - capacity: The most live entries, 1 to ``maximumCapacity`` (clamped). Default 100 000.
    ///   - random: The source of the fingerprint key. Default ``SystemRandomSource``. If it
    ///     fails, the cache refuses every insertion with ``ReplayCacheError/Code/unavailable``.
    public init(capacity: Int = 100_000, random: any RandomSource = SystemRandomSource()) {
        self.capacity = min(max(1, capacity), Self.maximumCapacity)
        var key: (UInt64, UInt64) = (0, 0)
        let drawn = withUnsafeMutableBytes(of: &key) { buffer in
            do throws(CryptoError) {
                try random.fill(buffer)
                return true
            } catch {
                return false
            }
        }
        self.fingerprintKey = drawn ? SipHash24(k0: key.0, k1: key.1) : nil
        // The whole table up front for capacities up to ``presizedCapacityLimit`` (24 MB at
        // most): no doubling, which would rehash every entry under the lock while requests
        // wait. Larger capacities start at that size and double as they fill.
        self.table = Locked(ReplayFingerprintTable(capacity: self.capacity, initialCapacity: min(self.capacity, Self.presizedCapacityLimit)))
    }

    /// Records `(keyID, nonce)` until `expiresAt` unless already recorded; see ``ReplayCache``.
    /// - Throws: ``ReplayCacheError`` `full` when `capacity` live entries remain after
    ///   eviction; `unavailable` when the fingerprint key could not be drawn.
    public func insertIfAbsent(keyID: String, nonce: [UInt8], expiresAt: Date, now: Date) async throws -> ReplayCacheInsertion {
        try insertNow(keyID: keyID, nonce: nonce, expiresAt: expiresAt.unixMilliseconds, now: now.unixMilliseconds)
    }

    /// The synchronous core of ``insertIfAbsent(keyID:nonce:expiresAt:now:)``, in Unix milliseconds.
    func insertNow(keyID: String, nonce: [UInt8], expiresAt: Int64, now: Int64) throws(ReplayCacheError) -> ReplayCacheInsertion {
        try insert(Self.fingerprint(keyID: keyID, nonce: nonce, key: try key()), expiresAt: expiresAt, now: now)
    }

    /// ``insertNow(keyID:nonce:expiresAt:now:)`` with the key id's UTF-8 bytes and the nonce
    /// borrowed: the signed dynamic-token verifier's path, straight from the token's bytes.
    func insertNow(keyID: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer, expiresAt: Int64, now: Int64) throws(ReplayCacheError) -> ReplayCacheInsertion {
        try insert(Self.fingerprint(keyID: keyID, nonce: nonce, key: try key()), expiresAt: expiresAt, now: now)
    }

    /// The fingerprint key, or `unavailable` when the random source failed (fail closed).
    private func key() throws(ReplayCacheError) -> SipHash24 {
        guard let fingerprintKey else {
            throw ReplayCacheError(.unavailable, "the replay cache could not draw its fingerprint key from the random source")
        }
        return fingerprintKey
    }

    /// Records a precomputed fingerprint: the table step of ``insertNow(keyID:nonce:expiresAt:now:)``.
    func insert(_ fingerprint: ReplayFingerprint, expiresAt: Int64, now: Int64) throws(ReplayCacheError) -> ReplayCacheInsertion {
        switch table.withLock({ $0.insert(fingerprint, expiresAt: expiresAt, now: now) }) {
        case .inserted: return .inserted
        case .alreadyPresent: return .alreadyPresent
        case .full:
            throw ReplayCacheError(.full, "the replay cache holds \(capacity) live entries; refusing new tokens until some expire")
        }
    }

    /// The number of entries held (live, or expired and not yet removed).
    public var count: Int { table.withLock { $0.count } }

    /// Forgets every entry that expired before `now`.
    public func removeExpired(now: Date) {
        let ms = now.unixMilliseconds
        table.withLock { $0.removeExpired(now: ms) }
    }

    /// The fingerprint of `(keyID, nonce)`: SipHash-2-4 with 128-bit output under `key`, over
    /// the key id's UTF-8 byte count (8 bytes, little-endian), its bytes and the nonce,
    /// assembled on the stack. The count makes the encoding injective (the nonce's length
    /// follows from the total, which SipHash absorbs), so distinct pairs differ in input.
    static func fingerprint(keyID: String, nonce: [UInt8], key: SipHash24) -> ReplayFingerprint {
        var keyID = keyID
        return keyID.withUTF8 { id in
            nonce.withUnsafeBytes { fingerprint(keyID: UnsafeRawBufferPointer(id), nonce: $0, key: key) }
        }
    }

    /// ``fingerprint(keyID:nonce:key:)`` over the key id's UTF-8 bytes and the nonce.
    static func fingerprint(keyID id: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer, key: SipHash24) -> ReplayFingerprint {
        let (high, low) = withUnsafeTemporaryAllocation(byteCount: 8 + id.count + nonce.count, alignment: 8) { message in
            message.storeBytes(of: UInt64(id.count).littleEndian, toByteOffset: 0, as: UInt64.self)
            UnsafeMutableRawBufferPointer(rebasing: message[8...]).copyMemory(from: id)
            UnsafeMutableRawBufferPointer(rebasing: message[(8 + id.count)...]).copyMemory(from: nonce)
            return key.hash128(UnsafeRawBufferPointer(message))
        }
        return ReplayFingerprint(high: high, low: low | 1)
    }
}
