public import Foundation

/// A durable, single-process ``RefreshTokenStore``: the in-memory store's state, with every
/// change appended to a ``Journal`` file and `fsync`ed before the operation returns.
///
/// On start-up the journal is replayed (a torn last record ignored), expired families are
/// dropped, and the file is compacted to one record per live family. A restarted server
/// therefore logs no one out and un-revokes nothing. For several server instances use a shared
/// database implementation of ``RefreshTokenStore`` instead.
public actor JournalRefreshTokenStore: RefreshTokenStore {
    /// The most families held at once.
    public let capacity: Int
    private var table = RefreshFamilyTable()
    private let journal: Journal<RefreshFamilyTable.Change>

    /// Opens (or creates) the journal at `fileURL`, replays and compacts it.
    /// - Parameters:
    ///   - fileURL: the journal file; its directory must exist.
    ///   - capacity: maximum number of families (default 100 000).
    ///   - clock: decides which replayed families have expired.
    /// - Throws: ``SessionError/Code/unavailable`` when the file cannot be read, written or is
    ///   corrupt before its last record.
    public init(fileURL: URL, capacity: Int = 100_000, clock: any WallClock = SystemClock()) throws {
        self.capacity = max(1, capacity)
        let (journal, records) = try Journal<RefreshFamilyTable.Change>.open(at: fileURL)
        var table = RefreshFamilyTable()
        table.apply(records)
        table.apply(table.expiredFamilies(at: clock.now()).map { .remove($0) })
        try journal.compact(to: table.snapshot)
        self.journal = journal
        self.table = table
    }

    public func insert(_ family: RefreshTokenFamily) async throws {
        try commit(try table.planInsert(family, capacity: capacity, at: family.createdAt))
    }

    public func rotate(
        presentedHash: String, to newHash: String, issuing accessToken: IssuedAccessToken, at now: Date
    ) async throws -> RefreshRotation {
        let (outcome, changes) = table.planRotate(
            presentedHash: presentedHash, newHash: newHash, accessToken: accessToken, at: now
        )
        try commit(changes)
        return outcome
    }

    public func family(id: String) async throws -> RefreshTokenFamily? {
        table.family(id: id)
    }

    public func family(containing tokenHash: String) async throws -> RefreshTokenFamily? {
        table.family(containing: tokenHash)
    }

    public func revokeFamily(id: String, at now: Date) async throws -> RefreshTokenFamily? {
        let (family, changes) = table.planRevoke(id: id, at: now)
        try commit(changes)
        return family
    }

    public func revokeFamilies(subject: String, at now: Date) async throws -> [RefreshTokenFamily] {
        let (families, changes) = table.planRevoke(subject: subject, at: now)
        try commit(changes)
        return families
    }

    /// The number of families held, expired or not.
    public var count: Int { table.count }

    /// Persists, then applies: nothing is visible or acknowledged before it is on disk.
    private func commit(_ changes: [RefreshFamilyTable.Change]) throws(SessionError) {
        try journal.append(changes)
        table.apply(changes)
    }
}
