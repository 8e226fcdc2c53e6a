import Foundation
import PostgresNIO
import TokenCore

/// A ``ReplayCache`` in PostgreSQL, shared by every instance that uses the database: a signed
/// dynamic token accepted by one instance is a replay on all of them.
///
/// One statement decides: `INSERT … ON CONFLICT (key_id, nonce) DO NOTHING RETURNING 1`. The
/// primary key makes the insert atomic across connections, so of two instances racing with
/// one token exactly one gets the row back (first use) and the other gets none (replay).
/// Entries are deleted by ``PostgresTokenStores``' background clean-up once expired; an entry
/// not yet deleted still refuses its nonce, which errs on the safe side.
///
/// When the database cannot be reached in time the insertion throws
/// `ReplayCacheError.unavailable` and the verifier refuses the token (fail closed, HTTP 503).
public struct PostgresReplayCache: ReplayCache {
    let database: PostgresDatabase

    /// The longest nonce stored; the signed format's is 16 bytes.
    static let maximumNonceLength = 64
    /// The longest key id stored.
    static let maximumKeyIDLength = 256

    /// Records `(keyID, nonce)` until `expiresAt` unless already recorded; see ``ReplayCache``.
    /// - Throws: `ReplayCacheError.unavailable` when the database cannot be consulted in time.
    public func insertIfAbsent(keyID: String, nonce: [UInt8], expiresAt: Date, now: Date) async throws -> ReplayCacheInsertion {
        guard nonce.count <= Self.maximumNonceLength, keyID.utf8.count <= Self.maximumKeyIDLength else {
            throw ReplayCacheError(.unavailable, "the nonce or key id is longer than the replay cache stores")
        }
        do {
            let inserted = try await database.run("replay cache insert") { client in
                let rows = try await client.query("""
                    INSERT INTO replay_cache (key_id, nonce, expires_at) VALUES (\(keyID), \(ByteBuffer(bytes: nonce)), \(expiresAt))
                    ON CONFLICT (key_id, nonce) DO NOTHING RETURNING 1
                    """)
                return try await rows.collect().count
            }
            return inserted == 1 ? .inserted : .alreadyPresent
        } catch let error as PostgresStoreError {
            throw ReplayCacheError(.unavailable, error.reason)
        }
    }

    /// Deletes entries that expired before `now`.
    /// - Returns: how many were deleted.
    @discardableResult
    public func removeExpired(now: Date) async throws -> Int {
        try await database.run("replay cache clean-up") { client in
            try await client.query("DELETE FROM replay_cache WHERE expires_at < \(now) RETURNING 1").collect().count
        }
    }
}
