public import Foundation

/// A durable, single-process ``OpaqueTokenStore``: every change is appended to a ``Journal``
/// and `fsync`ed before the operation returns; replayed, purged of expired tokens and compacted
/// at start-up.
public actor JournalOpaqueTokenStore: OpaqueTokenStore {
    /// The most records held at once.
    public let capacity: Int
    private var table = OpaqueTokenTable()
    private let journal: Journal<OpaqueTokenTable.Change>

    /// Opens (or creates) the journal at `fileURL`, replays and compacts it.
    /// - Parameters:
    ///   - fileURL: the journal file; its directory must exist.
    ///   - capacity: maximum number of records (default 100 000).
    ///   - clock: decides which replayed tokens have expired.
    /// - Throws: ``SessionError/Code/unavailable`` on I/O failure or corruption.
    public init(fileURL: URL, capacity: Int = 100_000, clock: any WallClock = SystemClock()) throws {
        self.capacity = max(1, capacity)
        let (journal, records) = try Journal<OpaqueTokenTable.Change>.open(at: fileURL)
        var table = OpaqueTokenTable()
        table.apply(records)
        table.apply(table.expired(at: clock.now()).map { .remove($0) })
        try journal.compact(to: table.snapshot)
        self.journal = journal
        self.table = table
    }

    public func insert(_ record: OpaqueTokenRecord) async throws {
        try commit(try table.planInsert(record, capacity: capacity, at: record.issuedAt))
    }

    public func record(forHash tokenHash: String) async throws -> OpaqueTokenRecord? {
        table.record(forHash: tokenHash)
    }

    @discardableResult
    public func remove(hash tokenHash: String) async throws -> Bool {
        guard table.records[tokenHash] != nil else { return false }
        try commit([.remove(tokenHash)])
        return true
    }

    @discardableResult
    public func removeAll(subject: String, sessionID: String?) async throws -> Int {
        let changes = table.planRemoveAll(subject: subject, sessionID: sessionID)
        try commit(changes)
        return changes.count
    }

    /// The number of records held, expired or not.
    public var count: Int { table.count }

    private func commit(_ changes: [OpaqueTokenTable.Change]) throws(SessionError) {
        try journal.append(changes)
        table.apply(changes)
    }
}
