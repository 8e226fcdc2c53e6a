import Foundation
import PostgresNIO
import TokenCore

/// A ``RefreshTokenStore`` in PostgreSQL: refresh-token families shared by every instance, with
/// rotation and reuse detection decided atomically in the database (RFC 9700 §4.14.2).
///
/// A family is one row of `refresh_families`; its used token hashes and issued access tokens
/// are arrays in the row. ``rotate(presentedHash:to:issuing:at:)`` runs one transaction:
/// `SELECT … WHERE current_token_hash = $1 OR used_token_hashes @> ARRAY[$1] FOR UPDATE`, then
/// one `UPDATE`. The row lock serialises concurrent rotations of one family across instances:
/// a second transaction waiting on the lock re-reads the row once the first commits, finds the
/// presented hash among the used ones, and revokes the family (reuse). Of any number of
/// concurrent refreshes with one token, at most one rotates.
///
/// Failures throw `SessionError.unavailable` (fail closed). Expired families are deleted by the
/// background clean-up.
public struct PostgresRefreshTokenStore: RefreshTokenStore {
    let database: PostgresDatabase

    static let columns = """
        id, subject, scopes, created_at, last_used_at, expires_at, idle_timeout_seconds, current_token_hash, \
        used_token_hashes, access_token_ids, access_token_expires_at, generation, revoked_at
        """

    /// Stores a new family (at login).
    /// - Throws: `SessionError.invalidConfiguration` when its id or token hash exists;
    ///   `SessionError.unavailable` when the database cannot be written.
    public func insert(_ family: RefreshTokenFamily) async throws {
        do {
            try await database.run("refresh family insert") { client in
                do {
                    try await client.query("""
                        INSERT INTO refresh_families (\(unescaped: Self.columns), ends_at) VALUES (
                            \(family.id), \(family.subject), \(family.scopes), \(family.createdAt), \(family.lastUsedAt),
                            \(family.expiresAt), \(family.idleTimeout), \(family.currentTokenHash), \(family.usedTokenHashes),
                            \(family.accessTokens.map(\.id)), \(family.accessTokens.map(\.expiresAt)), \(family.generation),
                            \(family.revokedAt), \(family.idleExpiresAt))
                        """)
                } catch where PostgresDatabase.isUniqueViolation(error) {
                    throw SessionError(.invalidConfiguration, "a family with this id or token already exists")
                }
            }
        } catch let error as PostgresStoreError {
            throw SessionError(.unavailable, error.reason)
        }
    }

    public func rotate(
        presentedHash: String, to newHash: String, issuing accessToken: IssuedAccessToken, at now: Date
    ) async throws -> RefreshRotation {
        do {
            return try await database.transaction("refresh rotation") { connection, logger in
                let rows = try await connection.query("""
                    SELECT \(unescaped: Self.columns) FROM refresh_families
                    WHERE current_token_hash = \(presentedHash) OR used_token_hashes @> ARRAY[\(presentedHash)]::text[]
                    FOR UPDATE
                    """, logger: logger).collect()
                guard let row = rows.first else { return .unknown }
                var family = try Self.family(from: row)
                if family.isRevoked { return .revoked(family) }
                if family.isExpired(at: now) {
                    try await connection.query("DELETE FROM refresh_families WHERE id = \(family.id)", logger: logger)
                    return .expired(family)
                }
                guard ConstantTime.isEqual(Array(family.currentTokenHash.utf8), Array(presentedHash.utf8)) else {
                    // A used token: someone holds a copy. End the whole family.
                    family.revokedAt = now
                    try await connection.query(
                        "UPDATE refresh_families SET revoked_at = \(now) WHERE id = \(family.id)", logger: logger
                    )
                    return .reused(family)
                }
                family.usedTokenHashes.append(presentedHash)
                family.usedTokenHashes = Array(family.usedTokenHashes.suffix(RefreshTokenFamily.maximumUsedTokenHashes))
                family.currentTokenHash = newHash
                family.lastUsedAt = now
                family.generation += 1
                family.accessTokens.removeAll { $0.expiresAt <= now }
                family.accessTokens.append(accessToken)
                family.accessTokens = Array(family.accessTokens.suffix(RefreshTokenFamily.maximumAccessTokens))
                do {
                    try await connection.query("""
                        UPDATE refresh_families SET current_token_hash = \(family.currentTokenHash),
                            used_token_hashes = \(family.usedTokenHashes), last_used_at = \(family.lastUsedAt),
                            generation = \(family.generation), access_token_ids = \(family.accessTokens.map(\.id)),
                            access_token_expires_at = \(family.accessTokens.map(\.expiresAt)), ends_at = \(family.idleExpiresAt)
                        WHERE id = \(family.id)
                        """, logger: logger)
                } catch where PostgresDatabase.isUniqueViolation(error) {
                    throw NewHashTaken() // a 256-bit collision: never in practice
                }
                return .rotated(family)
            }
        } catch is NewHashTaken {
            return .unknown
        } catch let error as PostgresStoreError {
            throw SessionError(.unavailable, error.reason)
        }
    }

    public func family(id: String) async throws -> RefreshTokenFamily? {
        try await one("refresh family by id") { client in
            try await client.query("SELECT \(unescaped: Self.columns) FROM refresh_families WHERE id = \(id)").collect()
        }
    }

    public func family(containing tokenHash: String) async throws -> RefreshTokenFamily? {
        try await one("refresh family by token") { client in
            try await client.query("""
                SELECT \(unescaped: Self.columns) FROM refresh_families
                WHERE current_token_hash = \(tokenHash) OR used_token_hashes @> ARRAY[\(tokenHash)]::text[]
                """).collect()
        }
    }

    public func revokeFamily(id: String, at now: Date) async throws -> RefreshTokenFamily? {
        // One statement: revoking twice keeps the first time; an expired family is left alone.
        try await one("refresh family revoke") { client in
            try await client.query("""
                UPDATE refresh_families SET revoked_at = COALESCE(revoked_at, \(now))
                WHERE id = \(id) AND ends_at > \(now) RETURNING \(unescaped: Self.columns)
                """).collect()
        }
    }

    public func revokeFamilies(subject: String, at now: Date) async throws -> [RefreshTokenFamily] {
        try await families("refresh families revoke") { client in
            try await client.query("""
                UPDATE refresh_families SET revoked_at = \(now)
                WHERE subject = \(subject) AND revoked_at IS NULL AND ends_at > \(now) RETURNING \(unescaped: Self.columns)
                """).collect()
        }.sorted { $0.createdAt < $1.createdAt }
    }

    /// Deletes families that ended (absolute lifetime or idle timeout) at `now`.
    /// - Returns: how many were deleted.
    @discardableResult
    public func removeExpired(now: Date) async throws -> Int {
        try await database.run("refresh family clean-up") { client in
            try await client.query("DELETE FROM refresh_families WHERE ends_at <= \(now) RETURNING 1").collect().count
        }
    }

    // MARK: - Rows

    private struct NewHashTaken: Error {}

    /// Runs `body` and reads its rows as families, inside the deadline and error mapping.
    private func families(
        _ name: String, _ body: @escaping @Sendable (PostgresClient) async throws -> [PostgresRow]
    ) async throws -> [RefreshTokenFamily] {
        do {
            return try await database.run(name) { client in try await body(client).map(Self.family(from:)) }
        } catch let error as PostgresStoreError {
            throw SessionError(.unavailable, error.reason)
        }
    }

    private func one(
        _ name: String, _ body: @escaping @Sendable (PostgresClient) async throws -> [PostgresRow]
    ) async throws -> RefreshTokenFamily? {
        try await families(name, body).first
    }

    static func family(from row: PostgresRow) throws -> RefreshTokenFamily {
        let (id, subject, scopes, createdAt, lastUsedAt, expiresAt, idleTimeout, current, used, accessIDs, accessExpiries, generation, revokedAt) =
            try row.decode((String, String, [String], Date, Date, Date, Double, String, [String], [String], [Date], Int, Date?).self)
        guard accessIDs.count == accessExpiries.count else {
            throw SessionError(.unavailable, "a stored refresh family is inconsistent")
        }
        var family = RefreshTokenFamily(
            id: id, subject: subject, scopes: scopes, createdAt: createdAt, expiresAt: expiresAt,
            idleTimeout: idleTimeout, currentTokenHash: current,
            accessTokens: zip(accessIDs, accessExpiries).map { IssuedAccessToken(id: $0, expiresAt: $1) }
        )
        family.lastUsedAt = lastUsedAt
        family.usedTokenHashes = used
        family.generation = generation
        family.revokedAt = revokedAt
        return family
    }
}
