public import Foundation

/// Where opaque access tokens live: the server stores each token's hash with its principal and
/// expiry, and validates a presented token by lookup (the "token store" flow, as opposed to a
/// self-contained JWT).
///
/// Contract: records are keyed by the token's SHA-256 (hex), never the token; a durable
/// implementation persists before returning; failures throw and the caller refuses the token
/// (fail closed). Expired records may be dropped at any time.
public protocol OpaqueTokenStore: Sendable {
    /// Stores a new record.
    /// - Throws: ``SessionError/Code/unavailable`` when full or not writable.
    func insert(_ record: OpaqueTokenRecord) async throws

    /// The record for the token with hash `tokenHash`, expired or not (check
    /// ``OpaqueTokenRecord/isExpired(at:)``), or `nil` when unknown. Expired records may be
    /// dropped at any time.
    func record(forHash tokenHash: String) async throws -> OpaqueTokenRecord?

    /// Deletes the record for `tokenHash`.
    /// - Returns: whether a record was deleted.
    @discardableResult
    func remove(hash tokenHash: String) async throws -> Bool

    /// Deletes every record of `subject`, or of session `sessionID` when given.
    /// - Returns: how many records were deleted.
    @discardableResult
    func removeAll(subject: String, sessionID: String?) async throws -> Int
}

/// What the server knows about one opaque access token.
public struct OpaqueTokenRecord: Sendable, Hashable, Codable {
    /// SHA-256 (hex) of the token.
    public var tokenHash: String
    /// Who the token belongs to.
    public var subject: String
    /// The scopes it grants.
    public var scopes: [String]
    /// When the token was issued.
    public var issuedAt: Date
    /// When the token stops being accepted.
    public var expiresAt: Date
    /// The refresh-token family (session) that issued it, if any.
    public var sessionID: String?

    /// Creates a record.
    public init(tokenHash: String, subject: String, scopes: [String], issuedAt: Date, expiresAt: Date, sessionID: String? = nil) {
        self.tokenHash = tokenHash
        self.subject = subject
        self.scopes = scopes
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.sessionID = sessionID
    }

    /// Whether the token has expired at `now`.
    public func isExpired(at now: Date) -> Bool { now >= expiresAt }
}

/// The state and rules shared by the in-memory and journal-backed opaque-token stores; see
/// ``RefreshFamilyTable`` for the plan-then-apply shape.
struct OpaqueTokenTable: Sendable {
    enum Change: Sendable, Codable, Hashable {
        case insert(OpaqueTokenRecord)
        case remove(String)
    }

    private(set) var records: [String: OpaqueTokenRecord] = [:]

    var count: Int { records.count }

    func planInsert(_ record: OpaqueTokenRecord, capacity: Int, at now: Date) throws(SessionError) -> [Change] {
        guard records[record.tokenHash] == nil else {
            throw SessionError(.invalidConfiguration, "a token with this hash already exists")
        }
        var changes: [Change] = []
        if records.count >= capacity {
            changes = expired(at: now).map { .remove($0) }
            guard records.count - changes.count < capacity else {
                throw SessionError(.unavailable, "the opaque-token store is full")
            }
        }
        changes.append(.insert(record))
        return changes
    }

    func record(forHash hash: String) -> OpaqueTokenRecord? {
        records[hash]
    }

    func planRemoveAll(subject: String, sessionID: String?) -> [Change] {
        records.values
            .filter { $0.subject == subject && (sessionID == nil || $0.sessionID == sessionID) }
            .map { .remove($0.tokenHash) }
    }

    func expired(at now: Date) -> [String] {
        records.values.filter { $0.isExpired(at: now) }.map(\.tokenHash)
    }

    mutating func apply(_ changes: [Change]) {
        for change in changes {
            switch change {
            case .insert(let record): records[record.tokenHash] = record
            case .remove(let hash): records[hash] = nil
            }
        }
    }

    var snapshot: [Change] {
        records.values.sorted { $0.issuedAt < $1.issuedAt }.map { .insert($0) }
    }
}
