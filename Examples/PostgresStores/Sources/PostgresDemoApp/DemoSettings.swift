import Foundation
import PostgresTokenStores
import TokenCore

/// The demo app's settings, from flags first, then `TOKEN_AUTH_*` environment variables.
///
/// Secrets come from the environment only (flags show up in `ps`). Instances that share a
/// database must share them too: the JWT key (access tokens minted by one are checked by the
/// other), the dynamic-token key and the demo password. Without them each instance makes its
/// own random ones, which is fine for one instance and says so at start.
///
/// | flag | environment | default |
/// | --- | --- | --- |
/// | `--host` | `TOKEN_AUTH_HOST` | `127.0.0.1` |
/// | `--port` | `TOKEN_AUTH_PORT` | `8080` (`0`: any free port, printed) |
/// | `--database-url` | `TOKEN_AUTH_PG_URL` | required |
/// | `--schema` | `TOKEN_AUTH_PG_SCHEMA` | `token_auth` |
/// | `--timeout-ms` | `TOKEN_AUTH_PG_TIMEOUT_MS` | `2000` |
/// | `--cleanup-interval-s` | `TOKEN_AUTH_PG_CLEANUP_S` | `60` |
/// | — | `TOKEN_AUTH_JWT_SECRET` (hex, ≥ 32 bytes) | random |
/// | — | `TOKEN_AUTH_DYNAMIC_TOKEN_SECRET` (hex, ≥ 32 bytes) | random |
/// | — | `TOKEN_AUTH_DEMO_PASSWORD` | random, printed |
/// | — | `TOKEN_AUTH_ADMIN_TOKEN` | none: no `/admin` routes |
public struct DemoSettings: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var database: PostgresStoreConfiguration
    public var jwtSecret: [UInt8]
    public var dynamicTokenSecret: [UInt8]
    public var demoPassword: String
    public var adminToken: String?
    /// Which secrets were generated rather than given (printed as a warning).
    public var generated: [String] = []

    /// The dynamic-token key id both instances use.
    public static let dynamicTokenKeyID = "demo-dt"

    /// Reads `arguments` (without the program name) and `environment`.
    /// - Throws: ``DemoSettingsError`` naming the bad flag or variable (never its value).
    public init(arguments: [String], environment: [String: String], random: any RandomSource = SystemRandomSource()) throws {
        var flags: [String: String] = [:]
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard flag.hasPrefix("--"), let value = rest.popFirst() else {
                throw DemoSettingsError("expected --flag value pairs; got \(flag)")
            }
            guard ["--host", "--port", "--database-url", "--schema", "--timeout-ms", "--cleanup-interval-s"].contains(flag) else {
                throw DemoSettingsError("unknown flag \(flag)")
            }
            flags[flag] = value
        }
        func setting(_ flag: String, _ variable: String) -> String? { flags[flag] ?? environment[variable] }
        func integer(_ flag: String, _ variable: String, _ range: ClosedRange<Int>) throws -> Int? {
            guard let text = setting(flag, variable) else { return nil }
            guard let value = Int(text), range.contains(value) else {
                throw DemoSettingsError("\(flag) / \(variable) must be an integer in \(range.lowerBound)...\(range.upperBound)")
            }
            return value
        }
        guard let url = setting("--database-url", "TOKEN_AUTH_PG_URL") else {
            throw DemoSettingsError("no database: pass --database-url postgres://user@host:port/db or set TOKEN_AUTH_PG_URL")
        }
        database = try PostgresStoreConfiguration(url: url, schema: setting("--schema", "TOKEN_AUTH_PG_SCHEMA") ?? "token_auth")
        if let ms = try integer("--timeout-ms", "TOKEN_AUTH_PG_TIMEOUT_MS", 1...600_000) {
            database.operationTimeout = .milliseconds(ms)
            database.connectTimeout = .milliseconds(ms)
        } else {
            database.operationTimeout = .seconds(2)
            database.connectTimeout = .seconds(2)
        }
        if let seconds = try integer("--cleanup-interval-s", "TOKEN_AUTH_PG_CLEANUP_S", 1...86_400) {
            database.cleanupInterval = .seconds(seconds)
        }
        host = setting("--host", "TOKEN_AUTH_HOST") ?? host
        port = try integer("--port", "TOKEN_AUTH_PORT", 0...65_535) ?? port

        var generated: [String] = []
        func secret(_ variable: String) throws -> [UInt8] {
            guard let hex = environment[variable] else {
                generated.append(variable)
                return try random.bytes(count: 32)
            }
            guard let bytes = try? Hex.decode(hex), bytes.count >= 32 else {
                throw DemoSettingsError("\(variable) must be at least 32 bytes in hex")
            }
            return bytes
        }
        jwtSecret = try secret("TOKEN_AUTH_JWT_SECRET")
        dynamicTokenSecret = try secret("TOKEN_AUTH_DYNAMIC_TOKEN_SECRET")
        if let password = environment["TOKEN_AUTH_DEMO_PASSWORD"], !password.isEmpty {
            demoPassword = password
        } else {
            generated.append("TOKEN_AUTH_DEMO_PASSWORD")
            demoPassword = Base64URL.encode(try random.bytes(count: 12))
        }
        adminToken = environment["TOKEN_AUTH_ADMIN_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        if let adminToken, adminToken.utf8.count < 16 {
            throw DemoSettingsError("TOKEN_AUTH_ADMIN_TOKEN must be at least 16 characters")
        }
        self.generated = generated
    }
}

/// A setting is missing or malformed.
public struct DemoSettingsError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
