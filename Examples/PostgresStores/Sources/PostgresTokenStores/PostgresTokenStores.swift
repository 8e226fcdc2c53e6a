import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import TokenCore

/// Every store on one PostgreSQL database, with the connection pool, schema migration and the
/// background clean-up of expired rows.
///
/// ```swift
/// let stores = try PostgresTokenStores(configuration: PostgresStoreConfiguration(url: databaseURL))
/// let verifier = try DynamicTokenVerifier(keys: keys, replayCache: stores.replayCache)
/// let app = Application(router: router, services: [stores])   // runs the pool and the clean-up
/// try await app.runService()
/// ```
///
/// ``run()`` (a swift-service-lifecycle `Service`) runs the pooled `PostgresClient`, applies
/// the migrations of ``PostgresSchema`` (retrying while the database is unreachable; the stores
/// refuse meanwhile), then deletes expired rows every
/// ``PostgresStoreConfiguration/cleanupInterval`` until it is cancelled or the service group
/// shuts down gracefully. Until the migrations ran, ``isReady`` is `false`.
public final class PostgresTokenStores: Service, Sendable {
    /// The settings in force.
    public let configuration: PostgresStoreConfiguration
    /// Single-use signed dynamic tokens.
    public let replayCache: PostgresReplayCache
    /// Revoked JWT ids.
    public let revocationList: PostgresRevocationList
    /// Refresh-token families.
    public let refreshTokens: PostgresRefreshTokenStore
    /// Opaque access tokens.
    public let opaqueTokens: PostgresOpaqueTokenStore
    /// API-key records.
    public let apiKeys: PostgresAPIKeyStore

    let database: PostgresDatabase
    private let clock: any WallClock
    private let logger: Logger
    private let ready = ReadyFlag()

    /// Creates the stores; nothing connects until ``run()``.
    /// - Parameters:
    ///   - configuration: Where the database is, pool size, timeouts, schema, clean-up interval.
    ///   - clock: The time that decides what has expired (the verifiers' clock).
    ///   - logger: Where connection failures and clean-up counts go (never a token or a key).
    /// - Throws: ``PostgresStoreError/Code/invalidConfiguration``.
    public init(
        configuration: PostgresStoreConfiguration, clock: any WallClock = SystemClock(),
        logger: Logger = Logger(label: "token-auth.postgres")
    ) throws(PostgresStoreError) {
        try configuration.validate()
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        let client = PostgresClient(configuration: configuration.clientConfiguration, backgroundLogger: logger)
        database = PostgresDatabase(client: client, timeout: configuration.operationTimeout, logger: logger)
        replayCache = PostgresReplayCache(database: database)
        revocationList = PostgresRevocationList(database: database, clock: clock)
        refreshTokens = PostgresRefreshTokenStore(database: database)
        opaqueTokens = PostgresOpaqueTokenStore(database: database)
        apiKeys = PostgresAPIKeyStore(database: database)
    }

    /// The pooled client the stores use (its connections have the schema on their search
    /// path), for an application's own queries. Run only through ``run()`` or
    /// ``withRunningClient(migrate:_:)``.
    public var client: PostgresClient { database.client }

    /// Whether the schema is migrated and the stores can serve.
    public var isReady: Bool { ready.value }

    /// Runs the pool, migrates, then cleans up every interval until cancelled.
    /// - Throws: ``PostgresStoreError/Code/schemaTooNew`` when the database was migrated by a
    ///   newer build.
    public func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.database.client.run() }
            defer { group.cancelAll() }
            try await cancelWhenGracefulShutdown {
                try await self.migrateRetrying()
                while !Task.isCancelled {
                    do { try await Task.sleep(for: self.configuration.cleanupInterval) } catch { return }
                    do {
                        let counts = try await self.removeExpired(at: self.clock.now())
                        self.logger.debug("postgres store clean-up: \(counts)")
                    } catch {
                        self.logger.warning("postgres store clean-up failed: \(error)")
                    }
                }
            }
        }
    }

    /// Runs the pool for the duration of `body` (for tests and command-line tools that do not
    /// run a service group). Migrates first when `migrate` is true.
    public func withRunningClient<T: Sendable>(migrate: Bool = true, _ body: @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.database.client.run() }
            defer { group.cancelAll() }
            if migrate { try await self.migrate() }
            return try await body()
        }
    }

    /// Creates the schema and applies missing migrations, in one transaction under an advisory
    /// lock (instances starting together apply each migration once).
    /// - Returns: the versions applied now.
    @discardableResult
    public func migrate() async throws -> [Int] {
        let schema = configuration.schema
        let applied = try await database.transaction("migration") { connection, logger in
            try await PostgresSchema.migrate(connection, schema: schema, logger: logger)
        }
        if !applied.isEmpty { logger.info("postgres store: applied schema migrations \(applied) in \(schema)") }
        ready.value = true
        return applied
    }

    /// Counts of rows deleted by one clean-up, per table.
    public struct CleanupCounts: Sendable, Hashable, CustomStringConvertible {
        public var replayEntries: Int
        public var revocations: Int
        public var refreshFamilies: Int
        public var opaqueTokens: Int
        public var description: String {
            "replay \(replayEntries), revocations \(revocations), refresh families \(refreshFamilies), opaque tokens \(opaqueTokens)"
        }
    }

    /// Deletes every row expired at `now` (replay entries, revocations, ended families, opaque
    /// tokens). API-key records are kept: listings show revoked and expired keys.
    public func removeExpired(at now: Date) async throws -> CleanupCounts {
        CleanupCounts(
            replayEntries: try await replayCache.removeExpired(now: now),
            revocations: try await revocationList.removeExpired(now: now),
            refreshFamilies: try await refreshTokens.removeExpired(now: now),
            opaqueTokens: try await opaqueTokens.removeExpired(now: now)
        )
    }

    /// Drops the configured schema and everything in it (`DROP SCHEMA … CASCADE`): for tests
    /// and benchmarks that made a throw-away schema. Irreversible.
    public func dropSchema() async throws {
        let schema = configuration.schema // validated as a plain identifier
        try await database.run("drop schema") { client in
            try await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE"))
        }
        ready.value = false
    }

    /// Whether the database answers `SELECT 1` within the operation timeout.
    public func ping() async -> Bool {
        (try? await database.run("ping") { client in try await client.query("SELECT 1").collect().count }) == 1
    }

    private func migrateRetrying() async throws {
        var delay = Duration.milliseconds(200)
        while true {
            do {
                try await migrate()
                return
            } catch let error as PostgresStoreError where error.code == .schemaTooNew || error.code == .invalidConfiguration {
                logger.critical("postgres store: \(error.reason)")
                throw error
            } catch {
                logger.error("postgres store: cannot migrate yet (\(error)); retrying in \(delay)")
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }
}

/// A Boolean behind a lock: set once by ``PostgresTokenStores/migrate()``, read by health checks.
final class ReadyFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = false
    var value: Bool {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
