import Foundation
import Testing
@testable import ExampleServer

/// Settings precedence (flags > environment > config file > defaults), config validation, help.
@Suite struct CommandLineTests {
    private func writeConfig(_ json: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-\(UUID().uuidString).json")
        try Data(json.utf8).write(to: url)
        return url
    }

    @Test func defaultsAreTheDemoDefaults() throws {
        let s = try ServerSettings.resolve(arguments: [], environment: [:])
        #expect(s.http.host == "127.0.0.1")
        #expect(s.http.port == 8080)
        #expect(s.dataDirectory == nil)
        #expect(s.accessLog)
        #expect(s.remaining.isEmpty)
    }

    @Test func flagsBeatEnvironmentWhichBeatsTheConfigFile() throws {
        let config = try writeConfig(#"{"host": "0.0.0.0", "port": 7000, "server": {"idleTimeout": "2m", "maxConnections": 5, "headerTimeout": 3}}"#)
        let fileOnly = try ServerSettings.resolve(arguments: ["--config", config.path], environment: [:])
        #expect(fileOnly.http.port == 7000)
        #expect(fileOnly.http.host == "0.0.0.0")
        #expect(fileOnly.http.idleTimeout == 120)
        #expect(fileOnly.http.maxConnections == 5)
        #expect(fileOnly.http.headerTimeout == 3)

        let env = ["TOKEN_AUTH_PORT": "7001", "TOKEN_AUTH_CONFIG": config.path, "TOKEN_AUTH_IDLE_TIMEOUT": "30s"]
        let withEnv = try ServerSettings.resolve(arguments: [], environment: env)
        #expect(withEnv.http.port == 7001)
        #expect(withEnv.http.idleTimeout == 30)
        #expect(withEnv.http.maxConnections == 5)

        let withFlags = try ServerSettings.resolve(arguments: ["--port", "7002", "--idle-timeout=5"], environment: env)
        #expect(withFlags.http.port == 7002)
        #expect(withFlags.http.idleTimeout == 5)
        #expect(withFlags.http.host == "0.0.0.0")
    }

    @Test func subcommandWordsAndOptionsAreLeftForTheSubcommand() throws {
        let s = try ServerSettings.resolve(arguments: ["token", "jwt", "--sub", "alice", "--data-dir", "/tmp/x"], environment: [:])
        #expect(s.remaining == ["token", "jwt", "--sub", "alice"])
        #expect(s.dataDirectory?.path == "/tmp/x")
    }

    @Test(arguments: [
        (["--port", "70000"], "--port"),
        (["--port"], "needs a value"),
        (["--port", "abc"], "--port"),
        (["--idle-timeout", "soon"], "--idle-timeout"),
        (["--access-log", "maybe"], "--access-log"),
    ])
    func badFlagsAreClearErrors(_ arguments: [String], _ mention: String) {
        #expect {
            try ServerSettings.resolve(arguments: arguments, environment: [:])
        } throws: { error in
            (error as? CommandLineError)?.message.contains(mention) == true
        }
    }

    @Test func badEnvironmentNamesTheVariable() {
        #expect {
            try ServerSettings.resolve(arguments: [], environment: ["TOKEN_AUTH_PORT": "-1"])
        } throws: { error in
            (error as? CommandLineError)?.message.contains("TOKEN_AUTH_PORT") == true
        }
    }

    @Test(arguments: [
        (#"{"prot": 1}"#, "unknown field 'prot'"),
        (#"{"server": {"idleTimout": 1}}"#, "unknown field 'server.idleTimout'"),
        (#"{"jwt": {"hmacKeys": [{"kid": "a", "secret": "b", "alg": "HS256"}]}}"#, "unknown field 'jwt.hmacKeys[0].alg'"),
        (#"{"port": "eighty"}"#, "port"),
        (#"{"server": {"idleTimeout": "forever"}}"#, "idleTimeout"),
        (#"[1, 2]"#, "must be an object"),
        ("not json", "not valid JSON"),
        (#"{"server": {"maxConnections": 0}}"#, "maxConnections"),
    ])
    func invalidConfigFilesAreRejectedWithTheirProblem(_ json: String, _ mention: String) throws {
        let url = try writeConfig(json)
        #expect {
            try ServerSettings.resolve(arguments: ["--config", url.path], environment: [:])
        } throws: { error in
            (error as? CommandLineError)?.message.contains(mention) == true
        }
    }

    @Test func missingConfigFileIsAnError() {
        #expect(throws: CommandLineError.self) {
            try ServerSettings.resolve(arguments: ["--config", "/nonexistent/config.json"], environment: [:])
        }
    }

    @Test func theExampleConfigFileIsValidAndSetsEveryField() throws {
        let url = TestEnvironmentPaths.repositoryRoot.appendingPathComponent("Examples/server-config.json")
        let file = try ConfigFile.load(url)
        #expect(file.server?.maxConnections != nil)
        #expect(file.jwt?.hmacKeys?.isEmpty == false)
        #expect(file.jwt?.jwksFile != nil && file.jwt?.jwksURL != nil)
        #expect(file.dynamicToken?.legacy?.splitCharacters != nil)
        #expect(file.apiKeys?.file != nil)
        #expect(file.users?.isEmpty == false)
        #expect(file.credentialCache?.capacity != nil && file.credentialCache?.maxAge != nil)
    }

    @Test func credentialCacheFromFlagEnvironmentAndConfig() throws {
        #expect(try ServerSettings.resolve(arguments: [], environment: [:]).credentialCacheCapacity == 0)
        #expect(try ServerSettings.resolve(arguments: ["--credential-cache", "64"], environment: [:]).credentialCacheCapacity == 64)
        #expect(try ServerSettings.resolve(arguments: [], environment: ["TOKEN_AUTH_CREDENTIAL_CACHE": "8"]).credentialCacheCapacity == 8)
        #expect(throws: CommandLineError.self) {
            try ServerSettings.resolve(arguments: ["--credential-cache", "-1"], environment: [:])
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("c.json")
        try Data(#"{"credentialCache":{"capacity":16,"maxAge":"5s"}}"#.utf8).write(to: config)
        let settings = try ServerSettings.resolve(arguments: ["--config", config.path], environment: [:])
        #expect(settings.credentialCacheCapacity == 16)
        #expect(settings.credentialCacheMaxAge == 5)
    }

    @Test(arguments: [("90", 90.0), ("90s", 90), ("15m", 900), ("12h", 43_200), ("30d", 2_592_000), ("1w", 604_800)])
    func durationsParse(_ text: String, _ seconds: Double) {
        #expect(ConfigDuration.parse(text) == seconds)
    }

    @Test(arguments: ["", "m", "-5s", "5x", "1e400", "10 m"])
    func malformedDurationsDoNot(_ text: String) {
        #expect(ConfigDuration.parse(text) == nil)
    }

    @Test func helpDocumentsEveryOptionAndItsEnvironmentVariable() async {
        let collected = Collected()
        let status = await ExampleServerCommand.run(arguments: ["--help"], environment: [:], output: collected.output)
        #expect(status == 0)
        let text = collected.out.joined(separator: "\n")
        for option in ServerSettings.options {
            #expect(text.contains(option.flag))
            #expect(text.contains(option.environment))
        }
        for word in ["--config", "hash-password", "token dynamic", "token jwt", "apikey"] { #expect(text.contains(word)) }
    }

    @Test func unknownCommandsAndOptionsFailWithUsage() async {
        let collected = Collected()
        #expect(await ExampleServerCommand.run(arguments: ["frobnicate"], environment: [:], output: collected.output) == 2)
        #expect(await ExampleServerCommand.run(arguments: ["--bogus"], environment: [:], output: collected.output) == 2)
        #expect(collected.err.contains { $0.contains("--help") })
    }
}

/// The repository root, for reading committed example files.
enum TestEnvironmentPaths {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

/// Captures a command's output lines.
final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var outLines: [String] = []
    private var errLines: [String] = []

    var out: [String] { lock.withLock { outLines } }
    var err: [String] { lock.withLock { errLines } }

    var output: ExampleServerCommand.Output {
        ExampleServerCommand.Output(
            out: { line in self.lock.withLock { self.outLines.append(line) } },
            err: { line in self.lock.withLock { self.errLines.append(line) } }
        )
    }
}
