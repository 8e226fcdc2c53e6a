import Foundation
import PostgresNIO
import TokenCore

/// An ``OpaqueTokenStore`` in PostgreSQL: opaque access tokens (stored by SHA-256 hash) that
/// every instance can validate and revoke.
///
/// Each operation is one statement. Failures throw `SessionError.unavailable`, and the
/// verifier refuses the token (fail closed). Expired records are deleted by the background
/// clean-up.
public struct PostgresOpaqueTokenStore: OpaqueTokenStore {
    let database: PostgresDatabase

    static let columns = "token_hash, subject, scopes, issued_at, expires_at, session_id"

    /// Stores a new record.
    /// - Throws: `SessionError.invalidConfiguration` when its hash exists;
    ///   `SessionError.unavailable` when the database cannot be written.
    public func insert(_ record: OpaqueTokenRecord) async throws {
        try await run("opaque token insert") { client in
            do {
                try await client.query("""
                    INSERT INTO opaque_tokens (\(unescaped: Self.columns)) VALUES (
                        \(record.tokenHash), \(record.subject), \(record.scopes), \(record.issuedAt), \(record.expiresAt), \(record.sessionID))
                    """)
            } catch where PostgresDatabase.isUniqueViolation(error) {
                throw SessionError(.invalidConfiguration, "a token with this hash already exists")
            }
        }
    }

    public func record(forHash tokenHash: String) async throws -> OpaqueTokenRecord? {
        try await run("opaque token lookup") { client in
            let rows = try await client.query(
                "SELECT \(unescaped: Self.columns) FROM opaque_tokens WHERE token_hash = \(tokenHash)"
            ).collect()
            return try rows.first.map(Self.record(from:))
        }
    }

    @discardableResult
    public func remove(hash tokenHash: String) async throws -> Bool {
        try await run("opaque token delete") { client in
            try await client.query("DELETE FROM opaque_tokens WHERE token_hash = \(tokenHash) RETURNING 1").collect().count > 0
        }
    }

    @discardableResult
    public func removeAll(subject: String, sessionID: String?) async throws -> Int {
        try await run("opaque tokens delete") { client in
            try await client.query("""
                DELETE FROM opaque_tokens WHERE subject = \(subject) AND (\(sessionID)::text IS NULL OR session_id = \(sessionID))
                RETURNING 1
                """).collect().count
        }
    }

    /// Deletes records expired at `now`.
    /// - Returns: how many were deleted.
    @discardableResult
    public func removeExpired(now: Date) async throws -> Int {
        try await database.run("opaque token clean-up") { client in
            try await client.query("DELETE FROM opaque_tokens WHERE expires_at <= \(now) RETURNING 1").collect().count
        }
    }

    private func run<T: Sendable>(_ name: String, _ body: @escaping @Sendable (PostgresClient) async throws -> T) async throws -> T {
        do {
            return try await database.run(name, body)
        } catch let error as PostgresStoreError {
            throw SessionError(.unavailable, error.reason)
        }
    }

    static func record(from row: PostgresRow) throws -> OpaqueTokenRecord {
        let (hash, subject, scopes, issuedAt, expiresAt, sessionID) =
            try row.decode((String, String, [String], Date, Date, String?).self)
        return OpaqueTokenRecord(
            tokenHash: hash, subject: subject, scopes: scopes, issuedAt: issuedAt, expiresAt: expiresAt, sessionID: sessionID
        )
    }
}
