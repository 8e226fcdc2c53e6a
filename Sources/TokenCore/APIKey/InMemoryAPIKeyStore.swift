public import Foundation

/// An ``APIKeyStore`` that lives in memory only: for tests, demos and servers that load their
/// keys from configuration at start.
///
/// An actor: inserts, updates and lookups from concurrent requests are serialised.
public actor InMemoryAPIKeyStore: APIKeyStore {
    private var index = APIKeyIndex()

    /// Creates an empty store.
    public init() {}

    /// Creates a store holding `records`.
    /// - Throws: ``APIKeyError/Code/duplicate`` when two records share an id or hash.
    public init(records: [APIKeyRecord]) throws(APIKeyError) {
        index = try APIKeyIndex(records: records, duplicateCode: .duplicate)
    }

    public func insert(_ record: APIKeyRecord) throws(APIKeyError) {
        try index.insert(record)
    }

    public func record(matching digest: APIKeyDigest) -> APIKeyRecord? {
        index.record(matching: digest)
    }

    public func record(id: String) -> APIKeyRecord? {
        index.record(id: id)
    }

    public func allRecords() -> [APIKeyRecord] {
        index.sortedRecords
    }

    public func update(id: String, _ change: @Sendable (inout APIKeyRecord) -> Void) throws(APIKeyError) -> APIKeyRecord {
        let (updated, record) = try index.updating(id: id, change)
        index = updated
        return record
    }

    public func recordUse(id: String, at date: Date) {
        _ = index.noteUse(id: id, at: date)
    }
}
