public import Foundation

/// A bounded, in-process ``OpaqueTokenStore``: records live in an actor and are dropped once
/// expired. When full of live tokens, ``insert(_:)`` throws rather than evict one.
public actor InMemoryOpaqueTokenStore: OpaqueTokenStore {
    /// The most records held at once.
    public let capacity: Int
    private var table = OpaqueTokenTable()

    /// Creates an empty store.
    /// - Parameter capacity: maximum number of records (default 100 000).
    public init(capacity: Int = 100_000) {
        self.capacity = max(1, capacity)
    }

    public func insert(_ record: OpaqueTokenRecord) async throws {
        table.apply(try table.planInsert(record, capacity: capacity, at: record.issuedAt))
    }

    public func record(forHash tokenHash: String) async throws -> OpaqueTokenRecord? {
        table.record(forHash: tokenHash)
    }

    @discardableResult
    public func remove(hash tokenHash: String) async throws -> Bool {
        guard table.records[tokenHash] != nil else { return false }
        table.apply([.remove(tokenHash)])
        return true
    }

    @discardableResult
    public func removeAll(subject: String, sessionID: String?) async throws -> Int {
        let changes = table.planRemoveAll(subject: subject, sessionID: sessionID)
        table.apply(changes)
        return changes.count
    }

    /// The number of records held, expired or not.
    public var count: Int { table.count }

    /// Drops every expired record.
    public func purgeExpired(at now: Date) {
        table.apply(table.expired(at: now).map { .remove($0) })
    }
}
