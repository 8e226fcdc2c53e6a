import Foundation
import PostgresNIO

/// Where the stores' database is and how they use it: connection, pool size, timeouts, schema
/// and the background clean-up interval.
///
/// ```swift
/// var configuration = try PostgresStoreConfiguration(url: "postgres://auth@127.0.0.1:5432/auth")
/// configuration.operationTimeout = .seconds(2)
/// let stores = PostgresTokenStores(configuration: configuration)
/// ```
public struct PostgresStoreConfiguration: Sendable {
    /// Host name or IP address of the server.
    public var host: String
    /// TCP port (5432 by default).
    public var port: Int
    /// The role to log in as.
    public var username: String
    /// Its password, or `nil` for trust or peer authentication.
    public var password: String?
    /// The database; `nil` means the server's default (the user name).
    public var database: String?
    /// Whether to use TLS. `false` for a server on loopback; `true` requires TLS with the
    /// system's trust roots.
    public var requireTLS: Bool
    /// The PostgreSQL schema the tables live in, created on start if missing (default
    /// `token_auth`). Letters, digits and `_`, starting with a letter or `_`, at most 63.
    public var schema: String
    /// The most connections the pool opens (default 20).
    public var maximumConnections: Int
    /// How long establishing one connection may take (default 3 s).
    public var connectTimeout: Duration
    /// How long one store operation (a query or a transaction, including waiting for a pooled
    /// connection) may take before it fails as ``PostgresStoreError/Code/timeout`` (default
    /// 5 s). The server is also told to cancel statements and lock waits after this long.
    public var operationTimeout: Duration
    /// How often expired rows are deleted in the background (default 60 s).
    public var cleanupInterval: Duration

    /// Creates a configuration from its parts.
    public init(
        host: String, port: Int = 5432, username: String, password: String? = nil, database: String? = nil,
        requireTLS: Bool = false, schema: String = "token_auth"
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.requireTLS = requireTLS
        self.schema = schema
        self.maximumConnections = 20
        self.connectTimeout = .seconds(3)
        self.operationTimeout = .seconds(5)
        self.cleanupInterval = .seconds(60)
    }

    /// Parses a `postgres://user[:password]@host[:port]/database[?sslmode=require]` URL
    /// (`postgresql://` too).
    /// - Throws: ``PostgresStoreError/Code/invalidConfiguration`` naming what is wrong (never
    ///   the password).
    public init(url string: String, schema: String = "token_auth") throws(PostgresStoreError) {
        guard string.utf8.count <= 2048, let components = URLComponents(string: string),
              let scheme = components.scheme, scheme == "postgres" || scheme == "postgresql" else {
            throw PostgresStoreError(.invalidConfiguration, "the database URL must look like postgres://user@host:port/database")
        }
        guard let host = components.host, !host.isEmpty else {
            throw PostgresStoreError(.invalidConfiguration, "the database URL has no host")
        }
        guard let user = components.user, !user.isEmpty else {
            throw PostgresStoreError(.invalidConfiguration, "the database URL has no user name")
        }
        let port = components.port ?? 5432
        guard (1...65_535).contains(port) else {
            throw PostgresStoreError(.invalidConfiguration, "the database URL's port is out of range")
        }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let sslMode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
        guard ["disable", "require"].contains(sslMode) else {
            throw PostgresStoreError(.invalidConfiguration, "sslmode must be disable or require")
        }
        self.init(
            host: host, port: port, username: user, password: components.password,
            database: path.isEmpty ? nil : path, requireTLS: sslMode == "require", schema: schema
        )
    }

    /// Whether `name` is a plain, unquoted-safe PostgreSQL identifier: what ``schema`` accepts.
    static func isPlainIdentifier(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= 63 else { return false }
        func isLetter(_ b: UInt8) -> Bool { (0x61...0x7A).contains(b) || (0x41...0x5A).contains(b) || b == 0x5F }
        return isLetter(first) && bytes.allSatisfy { isLetter($0) || (0x30...0x39).contains($0) }
    }

    /// Checks the settings that have rules.
    func validate() throws(PostgresStoreError) {
        guard Self.isPlainIdentifier(schema) else {
            throw PostgresStoreError(.invalidConfiguration, "the schema name must be letters, digits and _, at most 63 characters")
        }
        guard maximumConnections >= 1, maximumConnections <= 1_000 else {
            throw PostgresStoreError(.invalidConfiguration, "maximumConnections must be 1 to 1000")
        }
        for (name, value) in [("connectTimeout", connectTimeout), ("operationTimeout", operationTimeout), ("cleanupInterval", cleanupInterval)] {
            guard value > .zero else { throw PostgresStoreError(.invalidConfiguration, "\(name) must be positive") }
        }
    }

    /// The postgres-nio client configuration: pool size, connect timeout, and the session
    /// settings every connection starts with (the schema first on the search path; statement,
    /// lock and idle-transaction timeouts so the server gives up when the client does).
    var clientConfiguration: PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database,
            tls: requireTLS ? .require(.makeClientConfiguration()) : .disable
        )
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = connectTimeout
        let milliseconds = String(Self.milliseconds(operationTimeout))
        configuration.options.additionalStartupParameters = [
            ("search_path", schema),
            ("statement_timeout", milliseconds),
            ("lock_timeout", milliseconds),
            ("idle_in_transaction_session_timeout", milliseconds),
            ("application_name", "swift-token-auth"),
        ]
        return configuration
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000 + attoseconds / 1_000_000_000_000_000
    }
}
