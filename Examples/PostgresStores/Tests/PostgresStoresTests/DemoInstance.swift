import Foundation
import Testing
import TokenCore

/// One `PostgresStoresDemo` process on a free loopback port, with the shared secrets: what a
/// load balancer would have behind it.
final class DemoInstance: @unchecked Sendable {
    let process = Process()
    let base: String
    let log: URL

    /// The secrets every instance of one test shares.
    struct Secrets: Sendable {
        var jwt = [UInt8](repeating: 0, count: 32)
        var dynamicToken = [UInt8](repeating: 0, count: 32)
        var password = ""
        var admin = ""

        static func random() throws -> Secrets {
            let random = SystemRandomSource()
            return Secrets(
                jwt: try random.bytes(count: 32), dynamicToken: try random.bytes(count: 32),
                password: Base64URL.encode(try random.bytes(count: 12)), admin: Base64URL.encode(try random.bytes(count: 24))
            )
        }
    }

    /// The demo executable beside the test bundle (SwiftPM builds it: the test target depends
    /// on it), or `TOKEN_AUTH_PG_DEMO_BIN`.
    static var executable: URL {
        if let path = ProcessInfo.processInfo.environment["TOKEN_AUTH_PG_DEMO_BIN"] { return URL(fileURLWithPath: path) }
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
        ].map { $0.appendingPathComponent("PostgresStoresDemo") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    /// Starts an instance and waits (bounded) until it listens and its `/health` is 200.
    init(schema: String, secrets: Secrets, timeoutMilliseconds: Int = 1_500) async throws {
        guard let url = TestDatabase.url else { throw TestDatabaseError(description: "TOKEN_AUTH_PG_URL is not set") }
        log = FileManager.default.temporaryDirectory.appendingPathComponent("pg-demo-\(UUID().uuidString).log")
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else {
            throw TestDatabaseError(description: "cannot create \(log.path)")
        }
        let output = try FileHandle(forWritingTo: log)
        process.executableURL = Self.executable
        process.arguments = ["--port", "0", "--database-url", url, "--schema", schema, "--timeout-ms", String(timeoutMilliseconds)]
        var environment = ProcessInfo.processInfo.environment
        environment["TOKEN_AUTH_JWT_SECRET"] = Hex.encode(secrets.jwt)
        environment["TOKEN_AUTH_DYNAMIC_TOKEN_SECRET"] = Hex.encode(secrets.dynamicToken)
        environment["TOKEN_AUTH_DEMO_PASSWORD"] = secrets.password
        environment["TOKEN_AUTH_ADMIN_TOKEN"] = secrets.admin
        environment["TOKEN_AUTH_LOG_LEVEL"] = "warning"
        process.environment = environment
        process.standardOutput = output
        process.standardError = output
        try process.run()

        var base: String?
        for _ in 0..<600 { // up to 60 s: a debug build starting on a busy machine
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("listening on ") }) {
                base = String(line.dropFirst("listening on ".count))
                break
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        guard let base else {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            process.terminate()
            throw TestDatabaseError(description: "the demo did not start (\(Self.executable.path)):\n\(text)")
        }
        self.base = base
        try await waitUntilHealthy()
    }

    /// Polls `/health` until 200 (the schema migrated and the database answers), bounded.
    func waitUntilHealthy(attempts: Int = 600) async throws {
        for _ in 0..<attempts {
            if (try? await get("/health").status) == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestDatabaseError(description: "\(base) never became healthy")
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: log)
    }

    deinit { stop() }

    // MARK: - HTTP

    struct Reply: Sendable {
        var status: Int
        var body: String
        func json() throws -> [String: Any] {
            (try JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
        }
        func string(_ key: String) throws -> String {
            guard let value = try json()[key] as? String else {
                throw TestDatabaseError(description: "no \(key) in \(status) \(body)")
            }
            return value
        }
    }

    /// The instance's port, from ``base``.
    var port: UInt16 { UInt16(base.split(separator: ":").last ?? "") ?? 0 }

    func send(_ method: String, _ path: String, headers: [String: String] = [:], json: String? = nil) async throws -> Reply {
        var headers = headers
        if json != nil { headers["Content-Type"] = "application/json" }
        let (status, body) = try await LoopbackHTTPClient.send(
            port: port, method: method, path: path, headers: headers, body: Array((json ?? "").utf8)
        )
        return Reply(status: status, body: body)
    }

    func get(_ path: String, headers: [String: String] = [:]) async throws -> Reply {
        try await send("GET", path, headers: headers)
    }

    func login(_ secrets: Secrets) async throws -> Reply {
        try await send("POST", "/auth/login", json: #"{"username":"demo","password":"\#(secrets.password)"}"#)
    }

    func refresh(_ token: String) async throws -> Reply {
        try await send("POST", "/auth/refresh", json: #"{"refresh_token":"\#(token)"}"#)
    }
}
