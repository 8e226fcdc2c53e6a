import Foundation
import PostgresNIO
import TokenCore

/// A ``RevocationList`` in PostgreSQL: a logout or a refresh-token reuse on one instance
/// revokes the access token on all of them.
///
/// ``isRevoked(_:)`` is one indexed lookup per verified JWT that carries a `jti`; entries
/// live until the token's `exp` and are deleted by the background clean-up. When the database
/// cannot be consulted in time it throws `JWTError.unavailable` and the token is refused
/// (fail closed, HTTP 503).
public struct PostgresRevocationList: RevocationList {
    let database: PostgresDatabase
    let clock: any WallClock

    /// The longest token id stored.
    static let maximumIDLength = 512

    /// Whether `jti` is revoked (and its entry not yet past the token's expiry).
    /// - Throws: `JWTError.unavailable` when the database cannot be consulted.
    public func isRevoked(_ jti: String) async throws -> Bool {
        guard jti.utf8.count <= Self.maximumIDLength else { return false } // never stored, so never revoked
        let now = clock.now()
        do {
            return try await database.run("revocation lookup") { client in
                try await client.query("SELECT 1 FROM revoked_tokens WHERE jti = \(jti) AND expires_at > \(now)").collect().count > 0
            }
        } catch let error as PostgresStoreError {
            throw JWTError(.unavailable, error.reason)
        }
    }

    /// Revokes `jti` until `expiresAt`; revoking again keeps the later expiry. An entry already
    /// past its expiry is not stored.
    /// - Throws: `JWTError.unavailable` when the entry cannot be stored.
    public func revoke(_ jti: String, until expiresAt: Date) async throws {
        guard expiresAt > clock.now() else { return }
        guard jti.utf8.count <= Self.maximumIDLength else {
            throw JWTError(.unavailable, "the token id is longer than the revocation list stores")
        }
        do {
            try await database.run("revoke") { client in
                try await client.query("""
                    INSERT INTO revoked_tokens (jti, expires_at) VALUES (\(jti), \(expiresAt))
                    ON CONFLICT (jti) DO UPDATE SET expires_at = GREATEST(revoked_tokens.expires_at, EXCLUDED.expires_at)
                    """)
            }
        } catch let error as PostgresStoreError {
            throw JWTError(.unavailable, error.reason)
        }
    }

    /// Deletes entries whose token has expired at `now`.
    /// - Returns: how many were deleted.
    @discardableResult
    public func removeExpired(now: Date) async throws -> Int {
        try await database.run("revocation clean-up") { client in
            try await client.query("DELETE FROM revoked_tokens WHERE expires_at <= \(now) RETURNING 1").collect().count
        }
    }
}
