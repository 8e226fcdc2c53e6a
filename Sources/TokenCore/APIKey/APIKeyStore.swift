public import Foundation

/// Keeps API-key records and finds them by hash.
///
/// The contract every store keeps:
/// - it never sees a key, only ``APIKeyDigest``s; ``record(matching:)`` is the lookup on the
///   request path and must be cheap (no I/O per call beyond an occasional freshness check);
/// - ``insert(_:)`` refuses a record whose id or hash already exists
///   (``APIKeyError/Code/duplicate``);
/// - ``update(id:_:)`` applies a change to one record atomically and never changes its id or hash;
/// - a change is visible to lookups once the call returns; a durable store has made it durable
///   by then;
/// - failures to reach the underlying storage are ``APIKeyError/Code/storeUnavailable`` or
///   ``APIKeyError/Code/storeCorrupt``, which the HTTP layer answers with 503 (fail closed).
///
/// Implementations: ``InMemoryAPIKeyStore`` and ``JSONFileAPIKeyStore``.
public protocol APIKeyStore: Sendable {
    /// Adds a new record.
    /// - Throws: ``APIKeyError/Code/duplicate`` when its id or hash is already present.
    func insert(_ record: APIKeyRecord) async throws(APIKeyError)

    /// The record whose hash is `digest`, or `nil`.
    func record(matching digest: APIKeyDigest) async throws(APIKeyError) -> APIKeyRecord?

    /// The record with id `id`, or `nil`.
    func record(id: String) async throws(APIKeyError) -> APIKeyRecord?

    /// Every record (active, expired and revoked), oldest first.
    func allRecords() async throws(APIKeyError) -> [APIKeyRecord]

    /// Changes record `id` with `change` and returns the result.
    /// - Throws: ``APIKeyError/Code/notFound`` for an unknown id;
    ///   ``APIKeyError/Code/invalidArgument`` when `change` alters the id or hash.
    func update(id: String, _ change: @Sendable (inout APIKeyRecord) -> Void) async throws(APIKeyError) -> APIKeyRecord

    /// Notes that key `id` was accepted at `date`. Best effort: a store may keep this in memory
    /// and persist it later, and never fails a request over it.
    func recordUse(id: String, at date: Date) async
}

extension APIKeyStore {
    /// Revokes key `id` at `date`, leaving every other key of the owner untouched. Revoking a
    /// revoked key keeps its first revocation time.
    /// - Returns: The revoked record.
    /// - Throws: ``APIKeyError/Code/notFound`` for an unknown id, or a storage error.
    @discardableResult
    public func revoke(id: String, at date: Date) async throws(APIKeyError) -> APIKeyRecord {
        try await update(id: id) { record in
            if record.revokedAt == nil { record.revokedAt = date }
        }
    }

    /// The records of `owner`, oldest first.
    public func records(owner: String) async throws(APIKeyError) -> [APIKeyRecord] {
        try await allRecords().filter { $0.owner == owner }
    }
}

/// An immutable-by-value snapshot of records indexed by hash and id: the in-memory state both
/// stores share, and what the lookup on the request path reads.
struct APIKeyIndex: Sendable {
    private(set) var byDigest: [APIKeyDigest: APIKeyRecord] = [:]
    private(set) var digestByID: [String: APIKeyDigest] = [:]

    init() {}

    /// Indexes `records`; a repeated id or hash is reported with `code`.
    init(records: [APIKeyRecord], duplicateCode: APIKeyError.Code) throws(APIKeyError) {
        for record in records { try insert(record, duplicateCode: duplicateCode) }
    }

    var count: Int { byDigest.count }

    func record(matching digest: APIKeyDigest) -> APIKeyRecord? { byDigest[digest] }

    func record(id: String) -> APIKeyRecord? { digestByID[id].flatMap { byDigest[$0] } }

    /// Every record, oldest first (ties by id) so listings and files are stable.
    var sortedRecords: [APIKeyRecord] {
        byDigest.values.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    mutating func insert(_ record: APIKeyRecord, duplicateCode: APIKeyError.Code = .duplicate) throws(APIKeyError) {
        guard digestByID[record.id] == nil else { throw APIKeyError(duplicateCode, "a key with id \(record.id) already exists") }
        guard byDigest[record.hash] == nil else { throw APIKeyError(duplicateCode, "a key with the same hash already exists") }
        byDigest[record.hash] = record
        digestByID[record.id] = record.hash
    }

    /// Applies `change` to record `id`, refusing changes to id or hash; returns the new record.
    func updating(id: String, _ change: (inout APIKeyRecord) -> Void) throws(APIKeyError) -> (APIKeyIndex, APIKeyRecord) {
        guard let digest = digestByID[id], let old = byDigest[digest] else {
            throw APIKeyError(.notFound, "no API key has id \(id)")
        }
        var new = old
        change(&new)
        guard new.id == old.id, new.hash == old.hash else {
            throw APIKeyError(.invalidArgument, "an update may not change a key's id or hash")
        }
        var copy = self
        copy.byDigest[digest] = new
        return (copy, new)
    }

    /// Sets `lastUsedAt` of record `id` to `date` if that is later; returns whether it changed.
    mutating func noteUse(id: String, at date: Date) -> Bool {
        guard let digest = digestByID[id], var record = byDigest[digest] else { return false }
        if let last = record.lastUsedAt, last >= date { return false }
        record.lastUsedAt = date
        byDigest[digest] = record
        return true
    }
}
