public import Foundation

/// A bounded, in-process ``RevocationList`` that forgets each entry once the token it revokes
/// has expired.
///
/// Entries live in an actor. When the list is full, expired entries are purged first; if it is
/// still full, ``revoke(_:until:)`` throws rather than evict a live entry, because forgetting a
/// revocation early would re-admit a revoked token. Size the capacity for the number of
/// revocations expected within one token lifetime.
public actor InMemoryRevocationList: RevocationList {
    /// The most entries held at once.
    public let capacity: Int
    private let clock: any WallClock
    private var entries: [String: Double] = [:]

    /// Creates an empty list.
    /// - Parameters:
    ///   - capacity: Maximum number of live entries (at least 1; default 100 000).
    ///   - clock: The time source that decides when entries expire.
    public init(capacity: Int = 100_000, clock: any WallClock = SystemClock()) {
        self.capacity = max(1, capacity)
        self.clock = clock
    }

    public func isRevoked(_ jti: String) async throws -> Bool {
        guard let expiry = entries[jti] else { return false }
        if expiry <= clock.now().timeIntervalSince1970 {
            entries[jti] = nil
            return false
        }
        return true
    }

    /// Revokes `jti` until `expiresAt`. An entry already past its expiry is not stored.
    /// - Throws: ``JWTError/Code/unavailable`` when the list is full of live entries.
    public func revoke(_ jti: String, until expiresAt: Date) async throws {
        let now = clock.now().timeIntervalSince1970
        let expiry = expiresAt.timeIntervalSince1970
        guard expiry > now else { return }
        if let existing = entries[jti] {
            entries[jti] = max(existing, expiry)
            return
        }
        if entries.count >= capacity { purgeExpired(now: now) }
        guard entries.count < capacity else {
            throw JWTError(.unavailable, "the revocation list is full")
        }
        entries[jti] = expiry
    }

    /// The number of entries held, expired or not.
    public var count: Int { entries.count }

    /// Drops every entry whose token has expired.
    public func purgeExpired() {
        purgeExpired(now: clock.now().timeIntervalSince1970)
    }

    private func purgeExpired(now: Double) {
        entries = entries.filter { $0.value > now }
    }
}
