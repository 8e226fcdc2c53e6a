import Foundation
import Logging
import PostgresNIO

/// The stores' tables, as numbered migrations applied in order on start.
///
/// `schema_migrations` records each applied version. ``migrate(_:schema:)`` runs in one
/// transaction under an advisory lock, so instances starting together apply each migration
/// once; a database whose newest version is above ``latestVersion`` is refused
/// (``PostgresStoreError/Code/schemaTooNew``) instead of being written by an older build.
/// Append new migrations; never edit an applied one.
public enum PostgresSchema {
    /// One schema change.
    public struct Migration: Sendable {
        /// Its number, 1 for the first, increasing by one.
        public var version: Int
        /// What it does, recorded beside the version.
        public var name: String
        /// The statements, run in order (one statement each: the extended protocol allows no
        /// more).
        public var statements: [String]
    }

    /// Every migration, oldest first.
    public static let migrations: [Migration] = [
        Migration(version: 1, name: "replay cache, revocations, refresh families, opaque tokens, API keys", statements: [
            // Signed dynamic tokens seen, until they expire (ReplayCache).
            """
            CREATE TABLE replay_cache (
                key_id text NOT NULL,
                nonce bytea NOT NULL,
                expires_at timestamptz NOT NULL,
                PRIMARY KEY (key_id, nonce))
            """,
            "CREATE INDEX replay_cache_expires_at ON replay_cache (expires_at)",
            // Revoked JWT ids, until the token expires (RevocationList).
            """
            CREATE TABLE revoked_tokens (
                jti text PRIMARY KEY,
                expires_at timestamptz NOT NULL)
            """,
            "CREATE INDEX revoked_tokens_expires_at ON revoked_tokens (expires_at)",
            // One row per login session (RefreshTokenStore); ends_at = the earlier of the
            // absolute expiry and the idle deadline, kept in step by every write.
            """
            CREATE TABLE refresh_families (
                id text PRIMARY KEY,
                subject text NOT NULL,
                scopes text[] NOT NULL,
                created_at timestamptz NOT NULL,
                last_used_at timestamptz NOT NULL,
                expires_at timestamptz NOT NULL,
                idle_timeout_seconds double precision NOT NULL,
                ends_at timestamptz NOT NULL,
                current_token_hash text NOT NULL UNIQUE,
                used_token_hashes text[] NOT NULL,
                access_token_ids text[] NOT NULL,
                access_token_expires_at timestamptz[] NOT NULL,
                generation integer NOT NULL,
                revoked_at timestamptz)
            """,
            "CREATE INDEX refresh_families_used_token_hashes ON refresh_families USING gin (used_token_hashes)",
            "CREATE INDEX refresh_families_subject ON refresh_families (subject)",
            "CREATE INDEX refresh_families_ends_at ON refresh_families (ends_at)",
            // Opaque access tokens by hash (OpaqueTokenStore).
            """
            CREATE TABLE opaque_tokens (
                token_hash text PRIMARY KEY,
                subject text NOT NULL,
                scopes text[] NOT NULL,
                issued_at timestamptz NOT NULL,
                expires_at timestamptz NOT NULL,
                session_id text)
            """,
            "CREATE INDEX opaque_tokens_subject_session ON opaque_tokens (subject, session_id)",
            "CREATE INDEX opaque_tokens_expires_at ON opaque_tokens (expires_at)",
            // API-key records by hash (APIKeyStore); never the key. row_version: compare-and-set updates.
            """
            CREATE TABLE api_keys (
                id text PRIMARY KEY,
                name text NOT NULL,
                owner text NOT NULL,
                scopes text[] NOT NULL,
                display_prefix text NOT NULL,
                hash bytea NOT NULL UNIQUE,
                hash_algorithm text NOT NULL,
                created_at timestamptz NOT NULL,
                expires_at timestamptz,
                revoked_at timestamptz,
                last_used_at timestamptz,
                row_version bigint NOT NULL DEFAULT 0)
            """,
            "CREATE INDEX api_keys_owner ON api_keys (owner)",
        ]),
    ]

    /// The newest version this build knows.
    public static var latestVersion: Int { migrations.last?.version ?? 0 }

    /// Creates the schema if needed and applies the missing migrations.
    /// - Returns: the versions applied now (empty when the database was up to date).
    /// - Throws: ``PostgresStoreError/Code/schemaTooNew``, or any driver error.
    static func migrate(_ connection: PostgresConnection, schema: String, logger: Logger) async throws -> [Int] {
        // The schema name was validated as a plain identifier; it cannot be a bind parameter.
        let quoted = "\"\(schema)\""
        try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\("swift-token-auth:" + schema), 0))", logger: logger)
        try await connection.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(quoted)"), logger: logger)
        try await connection.query(PostgresQuery(unsafeSQL: """
            CREATE TABLE IF NOT EXISTS \(quoted).schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now())
            """), logger: logger)
        var applied = Set<Int>()
        for try await version in try await connection.query(
            PostgresQuery(unsafeSQL: "SELECT version FROM \(quoted).schema_migrations"), logger: logger
        ).decode(Int.self) {
            applied.insert(version)
        }
        if let newest = applied.max(), newest > latestVersion {
            throw PostgresStoreError(
                .schemaTooNew,
                "the database schema \(schema) is at version \(newest); this build knows up to \(latestVersion)"
            )
        }
        var done: [Int] = []
        for migration in migrations where !applied.contains(migration.version) {
            for statement in migration.statements {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            try await connection.query(
                "INSERT INTO \(unescaped: quoted).schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))",
                logger: logger
            )
            done.append(migration.version)
        }
        return done
    }
}
