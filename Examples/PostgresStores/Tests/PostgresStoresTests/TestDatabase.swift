import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import PostgresTokenStores
import Testing
import TokenCore

/// Where the tests find PostgreSQL: `TOKEN_AUTH_PG_URL` (a database the tests may create
/// schemas in), and for the outage test `TOKEN_AUTH_PG_STOP` / `TOKEN_AUTH_PG_START` (shell
/// commands that stop and start that server). `.ci/steps.d/70-postgres.sh` sets all three.
enum TestDatabase {
    static let environment = ProcessInfo.processInfo.environment
    static var url: String? { environment["TOKEN_AUTH_PG_URL"].flatMap { $0.isEmpty ? nil : $0 } }
    static var isConfigured: Bool { url != nil }
    static var stopCommand: String? { environment["TOKEN_AUTH_PG_STOP"] }
    static var startCommand: String? { environment["TOKEN_AUTH_PG_START"] }
    static var canRestart: Bool { isConfigured && stopCommand != nil && startCommand != nil }
    /// CI sets this; then a missing database fails instead of skipping.
    static var requiredByCI: Bool { environment["TOKEN_AUTH_REQUIRE_INTEROP"] == "1" }

    static let skipReason: Comment = "needs PostgreSQL: set TOKEN_AUTH_PG_URL=postgres://user@127.0.0.1:PORT/db (.ci/steps.d/70-postgres.sh starts one)"
    static let restartSkipReason: Comment = "needs TOKEN_AUTH_PG_URL plus TOKEN_AUTH_PG_STOP and TOKEN_AUTH_PG_START (commands that stop and start the server)"

    /// A schema name no other test uses.
    static func freshSchema(_ prefix: String = "t") -> String {
        "\(prefix)_\(UInt64.random(in: 0...UInt64.max) & 0xFFFF_FFFF_FFFF)"
    }

    static var logger: Logger {
        var logger = Logger(label: "postgres-stores-tests")
        logger.logLevel = .critical
        return logger
    }

    /// Stores on a fresh schema, migrated, for the duration of `body`; the schema is dropped
    /// afterwards.
    static func withStores(
        clock: any WallClock = SystemClock(), schema: String = freshSchema(),
        _ body: @Sendable (PostgresTokenStores) async throws -> Void
    ) async throws {
        guard let url else { throw TestDatabaseError(description: "TOKEN_AUTH_PG_URL is not set") }
        var configuration = try PostgresStoreConfiguration(url: url, schema: schema)
        configuration.operationTimeout = .seconds(10)
        let stores = try PostgresTokenStores(configuration: configuration, clock: clock, logger: logger)
        return try await stores.withRunningClient {
            do {
                try await body(stores)
                try await stores.dropSchema()
            } catch {
                try? await stores.dropSchema()
                throw error
            }
        }
    }

    /// Runs a shell command (stop or start the server) with `posix_spawn` and `waitpid`, failing
    /// on a non-zero exit. Not Foundation's `Process`: `pg_ctl start` leaves a daemon that
    /// inherits descriptors, and `Process.waitUntilExit()` on Linux was seen to wait for it.
    static func shell(_ command: String) throws {
        var pid: pid_t = 0
        let arguments = ["/bin/sh", "-c", command]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let spawned = posix_spawn(&pid, "/bin/sh", nil, nil, &argv, environ)
        guard spawned == 0 else { throw TestDatabaseError(description: "cannot run /bin/sh (\(spawned))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { throw TestDatabaseError(description: "waitpid failed (errno \(errno))") }
        }
        guard status == 0 else { throw TestDatabaseError(description: "`\(command)` exited with status \(status)") }
    }
}

struct TestDatabaseError: Error, CustomStringConvertible {
    var description: String
}

/// Every test that touches the database runs inside this suite, one at a time: the outage test
/// stops the server, which must not happen under another test.
@Suite("PostgreSQL", .serialized)
struct DatabaseTests {
    @Test("CI runs these tests against a real database, not skipped")
    func databaseConfiguredUnderCI() {
        if TestDatabase.requiredByCI {
            #expect(TestDatabase.isConfigured, "TOKEN_AUTH_PG_URL is not set under CI")
            #expect(TestDatabase.canRestart, "TOKEN_AUTH_PG_STOP / TOKEN_AUTH_PG_START are not set under CI")
        }
    }
}
