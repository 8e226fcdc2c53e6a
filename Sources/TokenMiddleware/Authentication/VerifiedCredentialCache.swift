public import Foundation
public import TokenCore

/// A bounded cache of credentials that were fully verified, so a client presenting the same
/// credential again skips the expensive part of verification (a JWT's signature, JSON and claims)
/// until the credential expires: the idea of Envoy's `jwt_authn` JWT cache.
///
/// Opt-in, one cache per authenticator (``JWTAuthenticator`` takes it as `cache:`). What it
/// guarantees:
/// - **Bounded memory**: at most ``capacity`` entries, each holding a credential of at most
///   ``maximumCredentialLength`` bytes (longer ones are never cached) and the principal it
///   established. When full, the oldest entry is evicted (first in, first out).
/// - **No false hit**: entries are found by a keyed hash of the full credential (SipHash, seeded
///   per process, plus a 128-bit key from the injected ``RandomSource``), and a hit is returned
///   only after the whole stored credential has been compared with the presented one through
///   ``ConstantTime/isEqual(_:_:)``. An entry is also bound to the authenticator that stored it:
///   a cache handed to two authenticators never lets a credential verified by one pass the other.
/// - **Never outlives the credential**: the authenticator gives each entry a deadline no later
///   than the credential's own expiry (a JWT's `exp`, and `iat` plus the maximum age when one is
///   configured); the entry also expires ``maximumAge`` seconds after it was verified, and is
///   ignored if the clock reads earlier than the verification time. Time comes from the
///   authenticator's injected ``WallClock``.
/// - **Revocation still runs on every request**: an entry records the identifier the
///   authenticator's revocation check needs (a JWT's `jti`), and the authenticator consults its
///   revocation list on a hit exactly as after a full verification.
///
/// What a hit skips, and therefore what changes only after ``maximumAge``: the signature check
/// against the *current* keys, and claim checks whose answer can change while a token stays
/// valid (a `subjectPredicate` backed by a changing list). A key removed from a key set or JWKS
/// keeps accepting the tokens already cached under it for at most ``maximumAge`` seconds
/// (default 60). Choose a shorter age, or call ``removeAll()`` after rotating keys, where that
/// matters. (Time-based claims need no such caveat: the entry's deadline covers `exp` and the
/// maximum age; `nbf` and `iat` only become easier to satisfy as time passes.)
///
/// ```swift
/// let jwt = JWTAuthenticator(keys: keySet, options: options,
///                            cache: VerifiedCredentialCache(capacity: 4096, maximumAge: 60))
/// ```
///
/// A lock-protected class rather than an actor: it is consulted synchronously inside
/// `authenticate(_:)` on every request, and the lock is never held across an `await`.
public final class VerifiedCredentialCache: Sendable {
    /// Counters for monitoring and tests.
    public struct Statistics: Sendable, Equatable {
        /// Lookups that found a usable entry (the authenticator may still re-verify, for example
        /// when an API key's record changed since).
        public var hits = 0
        /// Lookups that found no usable entry (absent, expired, or another credential).
        public var misses = 0
        /// Entries stored.
        public var insertions = 0
        /// Entries dropped to make room.
        public var evictions = 0
        /// Entries currently held.
        public var count = 0

        /// Creates zeroed statistics.
        public init() {}
    }

    /// The identity an authenticator stamps on the entries it stores (one per authenticator,
    /// shared by its copies): a hit requires the same owner.
    final class Owner: Sendable {
        init() {}
    }

    /// One verified credential.
    struct Entry {
        /// The credential's bytes, compared in full before a hit.
        var credential: [UInt8]
        /// Who stored it: a hit requires the same owner.
        var owner: ObjectIdentifier
        /// What the authenticator established.
        var principal: Principal
        /// The identifier to check against a revocation list on each hit (a JWT's `jti`).
        var revocationID: String?
        /// Seconds since 1970 when the credential was verified; an earlier clock reading misses.
        var verifiedAt: Double
        /// Seconds since 1970 from which the entry is no longer used.
        var validUntil: Double
    }

    private struct State {
        var entries: [Int: Entry] = [:]
        /// Hashes in insertion order, a ring of `capacity` slots, for first-in-first-out eviction.
        var order: [Int] = []
        var next = 0
        var statistics = Statistics()
    }

    /// The most entries held at once.
    public let capacity: Int
    /// Seconds after verification at which an entry expires even if the credential is still valid.
    public let maximumAge: TimeInterval
    /// Credentials longer than this many bytes are never cached.
    public let maximumCredentialLength: Int
    private let key: (UInt64, UInt64)
    private let state: Locked<State>

    /// Creates an empty cache.
    /// - Parameters:
    ///   - capacity: the most entries held at once (default 1024); `0` or less disables caching.
    ///   - maximumAge: seconds an entry may be used after its verification (default 60); `0`
    ///     or less, or not finite, disables caching.
    ///   - maximumCredentialLength: longer credentials are never cached (default 8 KiB, the
    ///     JWT verifier's default token limit).
    ///   - random: the source of the hash key (default the system's). If it fails the cache
    ///     still works, keyed by the runtime's per-process hash seed alone.
    public init(
        capacity: Int = 1024, maximumAge: TimeInterval = 60, maximumCredentialLength: Int = 8 * 1024,
        random: any RandomSource = SystemRandomSource()
    ) {
        self.capacity = max(0, capacity)
        self.maximumAge = maximumAge.isFinite ? max(0, maximumAge) : 0
        self.maximumCredentialLength = max(0, maximumCredentialLength)
        var seed = [UInt8](repeating: 0, count: 16)
        seed.withUnsafeMutableBytes { raw in
            do throws(CryptoError) { try random.fill(raw) } catch { raw.initializeMemory(as: UInt8.self, repeating: 0) }
        }
        var k0: UInt64 = 0, k1: UInt64 = 0
        for i in 0..<8 {
            k0 = k0 << 8 | UInt64(seed[i])
            k1 = k1 << 8 | UInt64(seed[8 + i])
        }
        key = (k0, k1)
        state = Locked(State())
    }

    /// Whether this cache stores anything at all.
    var isEnabled: Bool { capacity > 0 && maximumAge > 0 }

    /// The current counters.
    public var statistics: Statistics {
        state.withLock { s in
            var copy = s.statistics
            copy.count = s.entries.count
            return copy
        }
    }

    /// Drops every entry (after a key rotation, for example). Counters are kept.
    public func removeAll() {
        state.withLock { s in
            s.entries.removeAll()
            s.order.removeAll()
            s.next = 0
        }
    }

    /// The entry for `credential` stored by `owner`, if it is usable at `now`.
    func entry(for credential: String, owner: AnyObject, now: Date) -> Entry? {
        guard isEnabled else { return nil }
        let now = now.timeIntervalSince1970
        let owner = ObjectIdentifier(owner)
        return withBytes(of: credential) { bytes -> Entry? in
            guard bytes.count <= maximumCredentialLength else { return nil }
            let hash = hash(bytes)
            return state.withLock { s -> Entry? in
                guard let entry = s.entries[hash], entry.owner == owner,
                      ConstantTime.isEqual(entry.credential, bytes) else {
                    s.statistics.misses += 1
                    return nil
                }
                guard now >= entry.verifiedAt, now < entry.validUntil else {
                    s.entries[hash] = nil
                    s.statistics.misses += 1
                    return nil
                }
                s.statistics.hits += 1
                return entry
            }
        }
    }

    /// Stores `principal` for `credential`, usable until `validUntil` (and at most
    /// ``maximumAge`` after `now`). Nothing is stored when that window is already closed.
    func insert(
        _ principal: Principal, for credential: String, owner: AnyObject, revocationID: String?,
        validUntil: Date, now: Date
    ) {
        guard isEnabled else { return }
        let verifiedAt = now.timeIntervalSince1970
        let deadline = min(validUntil.timeIntervalSince1970, verifiedAt + maximumAge)
        guard deadline > verifiedAt else { return }
        let owner = ObjectIdentifier(owner)
        withBytes(of: credential) { bytes in
            guard bytes.count <= maximumCredentialLength else { return }
            let hash = hash(bytes)
            let entry = Entry(
                credential: Array(bytes), owner: owner, principal: principal, revocationID: revocationID,
                verifiedAt: verifiedAt, validUntil: deadline
            )
            state.withLock { s in
                s.statistics.insertions += 1
                if s.entries.updateValue(entry, forKey: hash) != nil { return } // same slot, refreshed
                if s.order.count < capacity {
                    s.order.append(hash)
                    return
                }
                // Full: the ring's oldest slot makes room (it may name an entry already removed
                // or replaced; removing by hash is then a no-op or drops a newer entry of the same
                // hash, either way within the bound).
                let oldest = s.order[s.next]
                s.order[s.next] = hash
                s.next = (s.next + 1) % capacity
                if oldest != hash, s.entries.removeValue(forKey: oldest) != nil { s.statistics.evictions += 1 }
            }
        }
    }

    /// Forgets `credential` (a hit that turned out revoked).
    func remove(_ credential: String) {
        withBytes(of: credential) { bytes in
            let hash = hash(bytes)
            state.withLock { s in
                if let entry = s.entries[hash], ConstantTime.isEqual(entry.credential, bytes) { s.entries[hash] = nil }
            }
        }
    }

    private func hash(_ bytes: UnsafeRawBufferPointer) -> Int {
        var hasher = Hasher()
        hasher.combine(key.0)
        hasher.combine(key.1)
        hasher.combine(bytes: bytes)
        return hasher.finalize()
    }

    private func withBytes<R>(of string: String, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        if let result = string.utf8.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        return Array(string.utf8).withUnsafeBytes(body)
    }
}
