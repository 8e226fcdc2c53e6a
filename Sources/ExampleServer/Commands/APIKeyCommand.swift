import Foundation
import TokenCore

/// `ExampleServer apikey …`: create, list and revoke API keys in the server's key file.
///
/// The server's command-line dispatcher resolves `--data-dir` / `--config` into the key file
/// and calls ``run(_:keyFile:clock:random:format:hasher:output:errorOutput:)`` with the words
/// after `apikey`. The command writes through ``JSONFileAPIKeyStore`` (atomic, locked against a
/// running server), so a running server sees the change within its freshness interval.
///
/// `create` prints the key exactly once, alone on the last line, so scripts can take
/// `tail -n 1`. `list` never prints keys or hashes.
enum APIKeyCommand {
    static let usage = """
        Usage:
          ExampleServer apikey create --name NAME [--scopes a,b] [--expires 30d] [--owner OWNER]
          ExampleServer apikey list [--owner OWNER]
          ExampleServer apikey revoke ID

        create   Issues a key and prints it once, on the last line. Only its hash is stored.
                 --name     what the key is for (required)
                 --scopes   comma-separated scopes, e.g. reports:read,orders:write
                 --expires  lifetime: a number with s, m, h, d or w (30d, 12h); default never
                 --owner    who the key acts for (the principal's subject); default NAME
        list     Shows id, name, owner, display prefix, scopes, status and dates. Never keys.
        revoke   Revokes the key with that id; the owner's other keys keep working.

        All take the same --data-dir / --config as `serve` and work on that key file; a running
        server sees the change within about a second.
        """

    /// Exit statuses.
    static let success: Int32 = 0
    static let failure: Int32 = 1
    static let usageError: Int32 = 2

    /// The longest accepted `--expires`: ten years.
    static let maximumLifetime: TimeInterval = 3650 * 86_400

    /// Runs `apikey` with `arguments` (the words after `apikey`).
    ///
    /// - Parameters:
    ///   - arguments: For example `["create", "--name", "ci", "--scopes", "reports:read"]`.
    ///   - keyFile: The JSON key file (created on first use).
    ///   - clock: Stamps creation and revocation; decides the status shown by `list`.
    ///   - random: Entropy for keys and ids.
    ///   - format: The key format; the server must accept it.
    ///   - hasher: The server's hasher (SHA-256, or HMAC with the server's pepper).
    ///   - output: Receives normal output, one line per call.
    ///   - errorOutput: Receives diagnostics; `output` when `nil`.
    /// - Returns: 0 on success, 1 when the operation failed, 2 for a usage error.
    static func run(
        _ arguments: [String],
        keyFile: URL,
        clock: some WallClock = SystemClock(),
        random: some RandomSource = SystemRandomSource(),
        format: APIKeyFormat = .live,
        hasher: APIKeyHasher = .sha256,
        output: (String) -> Void,
        errorOutput: ((String) -> Void)? = nil
    ) async -> Int32 {
        func fail(_ line: String) { if let errorOutput { errorOutput(line) } else { output(line) } }
        guard let command = arguments.first else {
            fail(usage)
            return usageError
        }
        let rest = Array(arguments.dropFirst())
        if ["help", "--help", "-h"].contains(command) || rest.contains("--help") || rest.contains("-h") {
            output(usage)
            return success
        }
        let options: Options
        do { options = try Options.parse(rest, command: command) } catch {
            fail("error: \(error.message)")
            fail(usage)
            return usageError
        }
        do {
            let store = try JSONFileAPIKeyStore(fileURL: keyFile, clock: clock, usagePersistInterval: nil)
            let issuer = APIKeyIssuer(store: store, format: format, hasher: hasher, clock: clock, random: random)
            switch command {
            case "create":
                try await create(options, issuer: issuer, output: output)
            case "list":
                try await list(options, store: store, now: clock.now(), output: output)
            case "revoke":
                try await revoke(options, issuer: issuer, output: output)
            default:
                fail("error: unknown apikey command '\(command)'")
                fail(usage)
                return usageError
            }
            return success
        } catch {
            fail("error: \(error.reason) (\(error.machineCode))")
            return failure
        }
    }

    // MARK: - Commands

    static func create(_ options: Options, issuer: APIKeyIssuer, output: (String) -> Void) async throws(APIKeyError) {
        guard let name = options.name else { throw APIKeyError(.invalidArgument, "create needs --name") }
        let issued = try await issuer.issue(name: name, owner: options.owner ?? name, scopes: options.scopes, lifetime: options.lifetime)
        let record = issued.record
        output("Created API key \(record.id) \"\(record.name)\" for owner \"\(record.owner)\"")
        output("  scopes:  \(record.scopes.isEmpty ? "(none)" : record.scopes.joined(separator: " "))")
        output("  expires: \(record.expiresAt.map(timestamp) ?? "never")")
        output("Store the key now: it is shown only this once.")
        output(issued.key)
    }

    static func list(_ options: Options, store: JSONFileAPIKeyStore, now: Date, output: (String) -> Void) async throws(APIKeyError) {
        var records = await store.allRecords()
        if let owner = options.owner { records = records.filter { $0.owner == owner } }
        guard !records.isEmpty else {
            output("No API keys.")
            return
        }
        let header = ["ID", "NAME", "OWNER", "PREFIX", "SCOPES", "STATUS", "CREATED", "EXPIRES", "LAST USED"]
        let rows = records.map { r in
            [r.id, r.name, r.owner, r.displayPrefix + "…", r.scopes.isEmpty ? "-" : r.scopes.joined(separator: ","),
             r.status(at: now).rawValue, timestamp(r.createdAt), r.expiresAt.map(timestamp) ?? "never",
             r.lastUsedAt.map(timestamp) ?? "never"]
        }
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                i == cells.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        output(line(header))
        for row in rows { output(line(row)) }
    }

    static func revoke(_ options: Options, issuer: APIKeyIssuer, output: (String) -> Void) async throws(APIKeyError) {
        guard let id = options.id else { throw APIKeyError(.invalidArgument, "revoke needs a key id (see `apikey list`)") }
        let before = try await issuer.store.record(id: id)
        let record = try await issuer.revoke(id: id)
        if before?.revokedAt != nil {
            output("API key \(record.id) was already revoked at \(record.revokedAt.map(timestamp) ?? "?").")
        } else {
            output("Revoked API key \(record.id) \"\(record.name)\" (owner \"\(record.owner)\").")
        }
    }

    static func timestamp(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }

    // MARK: - Arguments

    struct UsageError: Error {
        var message: String
    }

    struct Options {
        var name: String?
        var owner: String?
        var scopes: [String] = []
        var lifetime: TimeInterval?
        var id: String?

        /// Parses the options of `command`: `--flag value` or `--flag=value`.
        static func parse(_ arguments: [String], command: String) throws(UsageError) -> Options {
            let allowed: Set<String> = switch command {
            case "create": ["--name", "--scopes", "--expires", "--owner"]
            case "list": ["--owner"]
            default: []
            }
            var options = Options()
            var positional: [String] = []
            var i = 0
            while i < arguments.count {
                let word = arguments[i]
                i += 1
                guard word.hasPrefix("--") else { positional.append(word); continue }
                var flag = word
                var value: String?
                if let equals = word.firstIndex(of: "=") {
                    flag = String(word[..<equals])
                    value = String(word[word.index(after: equals)...])
                }
                guard allowed.contains(flag) else { throw UsageError(message: "unknown option \(flag) for '\(command)'") }
                if value == nil {
                    guard i < arguments.count else { throw UsageError(message: "\(flag) needs a value") }
                    value = arguments[i]
                    i += 1
                }
                let v = value ?? ""
                switch flag {
                case "--name": options.name = v
                case "--owner": options.owner = v
                case "--scopes":
                    options.scopes = v.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                case "--expires": options.lifetime = try parseDuration(v)
                default: break
                }
            }
            switch command {
            case "create":
                guard options.name != nil else { throw UsageError(message: "create needs --name") }
                guard positional.isEmpty else { throw UsageError(message: "unexpected argument '\(positional[0])'") }
            case "revoke":
                guard positional.count == 1 else { throw UsageError(message: "revoke takes exactly one key id") }
                options.id = positional[0]
            default:
                guard positional.isEmpty else { throw UsageError(message: "unexpected argument '\(positional[0])'") }
            }
            return options
        }

        /// `30d`, `12h`, `15m`, `90s`, `2w`, or `never`.
        static func parseDuration(_ text: String) throws(UsageError) -> TimeInterval? {
            if text == "never" { return nil }
            let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
            guard let unit = text.last, let seconds = units[unit],
                  let count = Int(text.dropLast()), count > 0, count <= 100_000_000
            else { throw UsageError(message: "--expires takes a positive number with s, m, h, d or w, such as 30d") }
            let lifetime = Double(count) * seconds
            guard lifetime <= maximumLifetime else { throw UsageError(message: "--expires is limited to 10 years") }
            return lifetime
        }
    }
}
