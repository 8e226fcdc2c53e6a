import Foundation
import PostgresNIO
import TokenCore

/// An ``APIKeyStore`` in PostgreSQL: keys issued or revoked on one instance take effect on all
/// of them at the next request.
///
/// Unlike the file-backed store, which answers lookups from memory, every
/// ``record(matching:)`` is one indexed query (the `hash` column is unique), so a revocation
/// needs no propagation delay; it costs a round trip per API-key request. ``update(id:_:)``
/// reads the row `FOR UPDATE` and writes it back in one transaction. ``recordUse(id:at:)`` writes
/// at most once a minute per key per instance and never fails a request.
///
/// Failures throw `APIKeyError.storeUnavailable` (HTTP 503, fail closed).
public struct PostgresAPIKeyStore: APIKeyStore {
    let database: PostgresDatabase
    /// When each key's use was last written by this instance.
    private let lastWrites = LastUseWrites()
    /// The shortest time between two `last_used_at` writes for one key.
    static let useWriteInterval: TimeInterval = 60

    init(database: PostgresDatabase) {
        self.database = database
    }

    static let columns = """
        id, name, owner, scopes, display_prefix, hash, hash_algorithm, created_at, expires_at, revoked_at, last_used_at
        """

    public func insert(_ record: APIKeyRecord) async throws(APIKeyError) {
        try await run("API key insert") { client in
            do {
                try await client.query("""
                    INSERT INTO api_keys (\(unescaped: Self.columns)) VALUES (
                        \(record.id), \(record.name), \(record.owner), \(record.scopes), \(record.displayPrefix),
                        \(Data(record.hash.bytes)), \(record.hashAlgorithm), \(record.createdAt), \(record.expiresAt),
                        \(record.revokedAt), \(record.lastUsedAt))
                    """)
            } catch where PostgresDatabase.isUniqueViolation(error) {
                throw APIKeyError(.duplicate, "a key with the same id or hash already exists")
            }
        }
    }

    public func record(matching digest: APIKeyDigest) async throws(APIKeyError) -> APIKeyRecord? {
        try await run("API key lookup") { client in
            try await client.query("SELECT \(unescaped: Self.columns) FROM api_keys WHERE hash = \(Data(digest.bytes))")
                .collect().first.map(Self.record(from:))
        }
    }

    public func record(id: String) async throws(APIKeyError) -> APIKeyRecord? {
        try await run("API key by id") { client in
            try await client.query("SELECT \(unescaped: Self.columns) FROM api_keys WHERE id = \(id)")
                .collect().first.map(Self.record(from:))
        }
    }

    public func allRecords() async throws(APIKeyError) -> [APIKeyRecord] {
        try await run("API key listing") { client in
            try await client.query("SELECT \(unescaped: Self.columns) FROM api_keys ORDER BY created_at, id")
                .collect().map(Self.record(from:))
        }
    }

    /// Reads the record, applies `change`, and writes it back only if nobody changed it in
    /// between (compare-and-set on `row_version`), retrying a few times under contention.
    /// `change` runs here, outside any database call, so the deadline never outlives it.
    public func update(id: String, _ change: @Sendable (inout APIKeyRecord) -> Void) async throws(APIKeyError) -> APIKeyRecord {
        for _ in 0..<Self.maximumUpdateAttempts {
            let current: (APIKeyRecord, Int64)? = try await run("API key read for update") { client in
                guard let row = try await client.query(
                    "SELECT \(unescaped: Self.columns), row_version FROM api_keys WHERE id = \(id)"
                ).collect().first else { return nil }
                let version = try row.makeRandomAccess()["row_version"].decode(Int64.self) // safe: the column is in the query above
                return (try Self.record(from: row), version)
            }
            guard let current else { throw APIKeyError(.notFound, "no API key has id \(id)") }
            let (old, version) = current
            var changed = old
            change(&changed)
            let new = changed
            guard new.id == old.id, new.hash == old.hash else {
                throw APIKeyError(.invalidArgument, "an update may not change a key's id or hash")
            }
            let written: APIKeyRecord? = try await run("API key update") { client in
                try await client.query("""
                    UPDATE api_keys SET name = \(new.name), owner = \(new.owner), scopes = \(new.scopes),
                        display_prefix = \(new.displayPrefix), hash_algorithm = \(new.hashAlgorithm), created_at = \(new.createdAt),
                        expires_at = \(new.expiresAt), revoked_at = \(new.revokedAt),
                        last_used_at = GREATEST(api_keys.last_used_at, \(new.lastUsedAt)), row_version = row_version + 1
                    WHERE id = \(id) AND row_version = \(version)
                    RETURNING \(unescaped: Self.columns)
                    """).collect().first.map(Self.record(from:))
            }
            if let written { return written }
        }
        throw APIKeyError(.storeUnavailable, "API key \(id) is being changed concurrently; try again")
    }

    /// How often ``update(id:_:)`` retries when another writer changed the row first.
    static let maximumUpdateAttempts = 5

    public func recordUse(id: String, at date: Date) async {
        guard lastWrites.shouldWrite(id: id, at: date, interval: Self.useWriteInterval) else { return }
        _ = try? await database.run("API key use") { client in
            try await client.query("""
                UPDATE api_keys SET last_used_at = \(date) WHERE id = \(id) AND (last_used_at IS NULL OR last_used_at < \(date))
                """)
        }
    }

    private func run<T: Sendable>(_ name: String, _ body: @escaping @Sendable (PostgresClient) async throws -> T) async throws(APIKeyError) -> T {
        do {
            return try await database.run(name, body)
        } catch let error as APIKeyError {
            throw error
        } catch {
            throw APIKeyError(.storeUnavailable, (error as? PostgresStoreError)?.reason ?? "the key store could not be consulted")
        }
    }

    static func record(from row: PostgresRow) throws -> APIKeyRecord {
        let (id, name, owner, scopes, prefix, hash, algorithm, createdAt, expiresAt, revokedAt, lastUsedAt) =
            try row.decode((String, String, String, [String], String, Data, String, Date, Date?, Date?, Date?).self)
        guard let digest = APIKeyDigest(bytes: Array(hash)) else {
            throw APIKeyError(.storeCorrupt, "API key \(id) has a hash of the wrong length")
        }
        return APIKeyRecord(
            id: id, name: name, owner: owner, scopes: scopes, displayPrefix: prefix, hash: digest,
            hashAlgorithm: algorithm, createdAt: createdAt, expiresAt: expiresAt, revokedAt: revokedAt, lastUsedAt: lastUsedAt
        )
    }
}

/// The time of each key's last `last_used_at` write from this instance. Lock-protected: read
/// and written on the request path, never across an `await`.
final class LastUseWrites: @unchecked Sendable {
    private let lock = NSLock()
    private var written: [String: Date] = [:]
    /// Bound on remembered keys; past it the table is cleared (costing one extra write each).
    private let capacity = 10_000

    func shouldWrite(id: String, at date: Date, interval: TimeInterval) -> Bool {
        lock.withLock {
            if let last = written[id], date.timeIntervalSince(last) < interval { return false }
            if written.count >= capacity { written.removeAll(keepingCapacity: true) }
            written[id] = date
            return true
        }
    }
}
