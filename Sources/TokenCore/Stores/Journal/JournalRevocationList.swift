public import Foundation

/// A durable, single-process ``RevocationList``: each revocation is appended to a ``Journal``
/// and `fsync`ed before ``revoke(_:until:)`` returns, so a restart un-revokes nothing. Replayed,
/// purged of entries whose tokens have expired, and compacted at start-up.
///
/// Like ``InMemoryRevocationList`` it is bounded: when full of live entries, ``revoke(_:until:)``
/// throws rather than forget a revocation early.
public actor JournalRevocationList: RevocationList {
    struct Entry: Codable, Sendable {
        var jti: String
        var until: Date
    }

    /// The most entries held at once.
    public let capacity: Int
    private let clock: any WallClock
    private var entries: [String: Date] = [:]
    private let journal: Journal<Entry>

    /// Opens (or creates) the journal at `fileURL`, replays and compacts it.
    /// - Parameters:
    ///   - fileURL: the journal file; its directory must exist.
    ///   - capacity: maximum number of live entries (default 100 000).
    ///   - clock: decides when entries expire.
    /// - Throws: ``SessionError/Code/unavailable`` on I/O failure or corruption.
    public init(fileURL: URL, capacity: Int = 100_000, clock: any WallClock = SystemClock()) throws {
        self.capacity = max(1, capacity)
        self.clock = clock
        let (journal, records) = try Journal<Entry>.open(at: fileURL)
        let now = clock.now()
        var entries: [String: Date] = [:]
        for record in records where record.until > now {
            entries[record.jti] = max(entries[record.jti] ?? record.until, record.until)
        }
        try journal.compact(to: entries.map { Entry(jti: $0.key, until: $0.value) }.sorted { $0.until < $1.until })
        self.journal = journal
        self.entries = entries
    }

    public func isRevoked(_ jti: String) async throws -> Bool {
        guard let until = entries[jti] else { return false }
        return until > clock.now()
    }

    /// Revokes `jti` until `expiresAt`; an entry already past its expiry is not stored.
    /// - Throws: ``SessionError/Code/unavailable`` when full of live entries or the journal
    ///   cannot be written (the revocation did not happen).
    public func revoke(_ jti: String, until expiresAt: Date) async throws {
        let now = clock.now()
        guard expiresAt > now else { return }
        if let existing = entries[jti], existing >= expiresAt { return }
        if entries[jti] == nil, entries.count >= capacity {
            entries = entries.filter { $0.value > now }
            guard entries.count < capacity else { throw SessionError(.unavailable, "the revocation list is full") }
        }
        try journal.append([Entry(jti: jti, until: expiresAt)])
        entries[jti] = expiresAt
    }

    /// The number of entries held, expired or not.
    public var count: Int { entries.count }
}
