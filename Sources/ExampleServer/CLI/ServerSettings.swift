import Foundation

/// Everything `serve` and the subcommands need, resolved from four sources in order of
/// precedence: command-line flags, environment variables (`TOKEN_AUTH_…`), the JSON config file
/// (`--config FILE` / `TOKEN_AUTH_CONFIG`), the built-in demo defaults.
struct ServerSettings: Sendable {
    var http = HTTPServerConfiguration()
    var accessLog = true
    /// Entries of each verified-credential cache (JWT, API key); `0` (the default) turns them off.
    var credentialCacheCapacity = 0
    /// Seconds a cached verification may be reused at most.
    var credentialCacheMaxAge: Double = 60
    /// Where generated secrets and durable stores live; `nil` keeps everything in memory.
    var dataDirectory: URL?
    var configFile: URL?
    /// The parsed config file (empty without one), for the app's validator settings.
    var file = ConfigFile()
    /// Arguments left for the subcommand (its own words and options).
    var remaining: [String] = []
    var showHelp = false

    /// A global option: its flag, environment variable, and how it applies.
    struct Option: Sendable {
        var flag: String
        var environment: String
        var valueName: String?
        var help: String
        var apply: @Sendable (inout ServerSettings, String) throws(CommandLineError) -> Void
    }

    static let options: [Option] = [
        Option(flag: "--host", environment: "TOKEN_AUTH_HOST", valueName: "ADDR", help: "address to listen on (default 127.0.0.1)") { s, v throws(CommandLineError) in
            s.http.host = v
        },
        Option(flag: "--port", environment: "TOKEN_AUTH_PORT", valueName: "N", help: "TCP port (default 8080; 0 picks a free port and prints it)") { s, v throws(CommandLineError) in
            s.http.port = try int(v, "--port", 0...65535)
        },
        Option(flag: "--data-dir", environment: "TOKEN_AUTH_DATA_DIR", valueName: "DIR", help: "keep generated secrets (mode 0600) and durable stores here (default: in memory)") { s, v throws(CommandLineError) in
            s.dataDirectory = URL(fileURLWithPath: v)
        },
        Option(flag: "--max-connections", environment: "TOKEN_AUTH_MAX_CONNECTIONS", valueName: "N", help: "most open connections; more get 503 (default 10000)") { s, v throws(CommandLineError) in
            s.http.maxConnections = try int(v, "--max-connections", 1...1_000_000)
        },
        Option(flag: "--event-loops", environment: "TOKEN_AUTH_EVENT_LOOPS", valueName: "N", help: "event-loop threads (default 0 = one per core)") { s, v throws(CommandLineError) in
            s.http.eventLoops = try int(v, "--event-loops", 0...256)
        },
        Option(flag: "--header-timeout", environment: "TOKEN_AUTH_HEADER_TIMEOUT", valueName: "DUR", help: "time to receive a request's headers, else 408 (default 10s)") { s, v throws(CommandLineError) in
            s.http.headerTimeout = try duration(v, "--header-timeout")
        },
        Option(flag: "--body-timeout", environment: "TOKEN_AUTH_BODY_TIMEOUT", valueName: "DUR", help: "time to receive a request's body, else 408 (default 30s)") { s, v throws(CommandLineError) in
            s.http.bodyTimeout = try duration(v, "--body-timeout")
        },
        Option(flag: "--idle-timeout", environment: "TOKEN_AUTH_IDLE_TIMEOUT", valueName: "DUR", help: "idle keep-alive connections close after this (default 60s)") { s, v throws(CommandLineError) in
            s.http.idleTimeout = try duration(v, "--idle-timeout")
        },
        Option(flag: "--max-body-bytes", environment: "TOKEN_AUTH_MAX_BODY_BYTES", valueName: "N", help: "largest request body, else 413 (default 1048576)") { s, v throws(CommandLineError) in
            s.http.maxBodyBytes = try int(v, "--max-body-bytes", 0...(1 << 30))
        },
        Option(flag: "--shutdown-grace", environment: "TOKEN_AUTH_SHUTDOWN_GRACE", valueName: "DUR", help: "on SIGINT/SIGTERM, wait this long for in-flight requests (default 10s)") { s, v throws(CommandLineError) in
            s.http.shutdownGracePeriod = try duration(v, "--shutdown-grace")
        },
        Option(flag: "--credential-cache", environment: "TOKEN_AUTH_CREDENTIAL_CACHE", valueName: "N", help: "reuse up to N verified JWTs and N verified API keys until they expire, at most 60 s (default 0 = off); revocation is still checked on every request") { s, v throws(CommandLineError) in
            s.credentialCacheCapacity = try int(v, "--credential-cache", 0...1_000_000)
        },
        Option(flag: "--access-log", environment: "TOKEN_AUTH_ACCESS_LOG", valueName: "on|off", help: "one line per request on standard output (default on)") { s, v throws(CommandLineError) in
            switch v.lowercased() {
            case "on", "1", "true", "yes": s.accessLog = true
            case "off", "0", "false", "no": s.accessLog = false
            default: throw CommandLineError("--access-log takes on or off, not '\(v)'")
            }
        },
    ]

    /// Resolves settings from `arguments` (without the program name) and `environment`.
    /// - Throws: ``CommandLineError`` for an unknown flag, a missing or malformed value, or an
    ///   unreadable or invalid config file.
    static func resolve(arguments: [String], environment: [String: String]) throws(CommandLineError) -> ServerSettings {
        var settings = ServerSettings()
        // Split the arguments: global flags (with their values) apart from the subcommand's.
        var flags: [(String, String)] = []
        var configPath: String?
        var i = 0
        while i < arguments.count {
            let argument = arguments[i]
            var name = argument, inlineValue: String?
            if argument.hasPrefix("--"), let eq = argument.firstIndex(of: "=") {
                name = String(argument[..<eq])
                inlineValue = String(argument[argument.index(after: eq)...])
            }
            if name == "--help" || name == "-h" {
                settings.showHelp = true
            } else if name == "--config" || options.contains(where: { $0.flag == name }) {
                let value: String
                if let inlineValue {
                    value = inlineValue
                } else {
                    guard i + 1 < arguments.count else { throw CommandLineError("\(name) needs a value") }
                    i += 1
                    value = arguments[i]
                }
                if name == "--config" { configPath = value } else { flags.append((name, value)) }
            } else {
                settings.remaining.append(argument)
            }
            i += 1
        }
        // Lowest precedence first: the config file, then environment, then flags.
        if let path = configPath ?? environment["TOKEN_AUTH_CONFIG"], !path.isEmpty {
            let url = URL(fileURLWithPath: path)
            settings.configFile = url
            settings.file = try ConfigFile.load(url)
            try settings.apply(settings.file)
        }
        for option in options {
            if let value = environment[option.environment], !value.isEmpty {
                do { try option.apply(&settings, value) } catch {
                    throw CommandLineError("\(option.environment): \(error.message)")
                }
            }
        }
        // A measurement switch, not a setting: run handlers on the global pool (bench-server.sh).
        if environment["TOKEN_AUTH_HANDLERS_ON_GLOBAL_POOL"] == "1" { settings.http.runsHandlersOnEventLoop = false }
        for (name, value) in flags {
            if let option = options.first(where: { $0.flag == name }) { try option.apply(&settings, value) }
        }
        return settings
    }

    private mutating func apply(_ file: ConfigFile) throws(CommandLineError) {
        if let host = file.host { http.host = host }
        if let port = file.port {
            guard (0...65535).contains(port) else { throw CommandLineError("config: port \(port) is out of range") }
            http.port = port
        }
        if let cache = file.credentialCache {
            if let capacity = cache.capacity {
                guard (0...1_000_000).contains(capacity) else { throw CommandLineError("config: credentialCache.capacity must be 0...1000000") }
                credentialCacheCapacity = capacity
            }
            if let age = cache.maxAge {
                guard age.seconds > 0 else { throw CommandLineError("config: credentialCache.maxAge must be positive") }
                credentialCacheMaxAge = age.seconds
            }
        }
        if let dir = file.dataDir {
            // Relative to the config file's folder.
            let base = configFile?.deletingLastPathComponent() ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            dataDirectory = dir.hasPrefix("/") ? URL(fileURLWithPath: dir) : base.appendingPathComponent(dir)
        }
        guard let s = file.server else { return }
        func positive(_ v: Int?, _ name: String) throws(CommandLineError) -> Int? {
            guard let v else { return nil }
            guard v > 0 else { throw CommandLineError("config: server.\(name) must be positive") }
            return v
        }
        func seconds(_ d: ConfigDuration?, _ name: String) throws(CommandLineError) -> Double? {
            guard let d else { return nil }
            guard d.seconds > 0 else { throw CommandLineError("config: server.\(name) must be positive") }
            return d.seconds
        }
        if let v = try positive(s.maxConnections, "maxConnections") { http.maxConnections = v }
        if let v = s.eventLoops {
            guard (0...256).contains(v) else { throw CommandLineError("config: server.eventLoops must be 0...256") }
            http.eventLoops = v
        }
        if let v = try seconds(s.headerTimeout, "headerTimeout") { http.headerTimeout = v }
        if let v = try seconds(s.bodyTimeout, "bodyTimeout") { http.bodyTimeout = v }
        if let v = try seconds(s.idleTimeout, "idleTimeout") { http.idleTimeout = v }
        if let v = s.shutdownGracePeriod { http.shutdownGracePeriod = v.seconds }
        if let v = try positive(s.maxRequestLineBytes, "maxRequestLineBytes") { http.maxRequestLineBytes = max(16, v) }
        if let v = try positive(s.maxHeaderBytes, "maxHeaderBytes") { http.maxHeaderBytes = max(64, v) }
        if let v = try positive(s.maxHeaderCount, "maxHeaderCount") { http.maxHeaderCount = v }
        if let v = s.maxBodyBytes {
            guard v >= 0 else { throw CommandLineError("config: server.maxBodyBytes must not be negative") }
            http.maxBodyBytes = v
        }
        if let v = s.accessLog { accessLog = v }
    }

    private static func int(_ text: String, _ name: String, _ range: ClosedRange<Int>) throws(CommandLineError) -> Int {
        guard let value = Int(text), range.contains(value) else {
            throw CommandLineError("\(name) takes a whole number in \(range.lowerBound)...\(range.upperBound), not '\(text)'")
        }
        return value
    }

    private static func duration(_ text: String, _ name: String) throws(CommandLineError) -> Double {
        guard let seconds = ConfigDuration.parse(text), seconds > 0 else {
            throw CommandLineError("\(name) takes a duration such as 10, 10s or 2m, not '\(text)'")
        }
        return seconds
    }
}
