import Foundation
import TokenCore

/// `ExampleServer token jwt|dynamic …`: prints a credential the server (started with the same
/// `--data-dir` / `--config`) accepts. The credential is alone on the last line.
enum TokenCommand {
    static let usage = """
        Usage:
          ExampleServer token jwt [--sub S] [--scope "a b"] [--ttl 15m]
          ExampleServer token dynamic [--legacy] [--method M] [--path P] [--subject UUID]

        Both read the same --data-dir / --config as serve, so the running server accepts what
        they print. Without --data-dir or configured keys the secrets are fresh and no running
        server will accept the result.
        """

    static func run(_ arguments: [String], settings: ServerSettings, output: ExampleServerCommand.Output) -> Int32 {
        guard let kind = arguments.first else {
            output.err(usage)
            return 2
        }
        let options: [String: String]
        do { options = try parseOptions(Array(arguments.dropFirst()), flags: ["--legacy"]) } catch {
            output.err("error: \(error.message)")
            output.err(usage)
            return 2
        }
        do {
            switch kind {
            case "jwt":
                try checkKnown(options, ["--sub", "--scope", "--ttl"])
                let secrets = try DemoSecrets.loadOrCreate(in: settings.dataDirectory)
                let jwt = try DemoJWT(settings.file.jwt, secrets: secrets, clock: SystemClock(), random: SystemRandomSource())
                var ttl: TimeInterval?
                if let text = options["--ttl"] {
                    guard let seconds = ConfigDuration.parse(text), seconds > 0, seconds <= 366 * 86_400 else {
                        throw CommandLineError("--ttl takes a duration such as 15m or 1h (at most a year), not '\(text)'")
                    }
                    ttl = seconds
                }
                let scopes = (options["--scope"] ?? "").split(separator: " ").map(String.init)
                let token: String
                do { token = try jwt.token(subject: options["--sub"] ?? "demo", scopes: scopes, ttl: ttl) } catch {
                    throw CommandLineError("cannot sign: \(error.reason)")
                }
                if settings.dataDirectory == nil && settings.file.jwt?.hmacKeys == nil {
                    output.err("note: no --data-dir or configured key: this token is signed with a throwaway key")
                }
                output.out(token)
                return 0
            case "dynamic":
                try checkKnown(options, ["--legacy", "--method", "--path", "--subject"])
                let secrets = try DemoSecrets.loadOrCreate(in: settings.dataDirectory)
                let dynamic = try DemoDynamicTokens(settings.file.dynamicToken, secrets: secrets, clock: SystemClock(), random: SystemRandomSource())
                let subject = options["--subject"]
                if let subject, UUID(uuidString: subject) == nil {
                    throw CommandLineError("--subject takes a UUID, not '\(subject)'")
                }
                let token: String
                if options["--legacy"] != nil {
                    guard let encoder = dynamic.legacyEncoder else {
                        throw CommandLineError("the legacy format is not enabled (dynamicToken.legacy.enabled in --config)")
                    }
                    do { token = try encoder.encode(uuid: subject) } catch { throw CommandLineError("cannot encode: \(error.reason)") }
                } else {
                    let method = options["--method"] ?? "GET"
                    let path = options["--path"] ?? "/api/service"
                    guard path.hasPrefix("/") else { throw CommandLineError("--path must start with /") }
                    do { token = try dynamic.token(method: method, target: path, subject: subject?.lowercased()) } catch {
                        throw CommandLineError("cannot sign: \(error.reason)")
                    }
                    output.err("signed dynamic token for \(method) \(path), single use, valid 5 minutes; send it as \(dynamic.headerName)")
                }
                output.out(token)
                return 0
            case "--help", "-h", "help":
                output.out(usage)
                return 0
            default:
                throw CommandLineError("unknown token kind '\(kind)' (jwt or dynamic)")
            }
        } catch {
            output.err("error: \((error as? CommandLineError)?.message ?? "\(error)")")
            return 1
        }
    }

    /// Parses `--name value` / `--name=value` pairs; names in `flags` take no value.
    static func parseOptions(_ arguments: [String], flags: Set<String> = []) throws(CommandLineError) -> [String: String] {
        var result: [String: String] = [:]
        var i = 0
        while i < arguments.count {
            var name = arguments[i]
            guard name.hasPrefix("--") else { throw CommandLineError("unexpected argument '\(name)'") }
            var value: String
            if let eq = name.firstIndex(of: "=") {
                value = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            } else if flags.contains(name) {
                value = "true"
            } else {
                guard i + 1 < arguments.count else { throw CommandLineError("\(name) needs a value") }
                i += 1
                value = arguments[i]
            }
            result[name] = value
            i += 1
        }
        return result
    }

    private static func checkKnown(_ options: [String: String], _ known: Set<String>) throws(CommandLineError) {
        if let unknown = options.keys.sorted().first(where: { !known.contains($0) }) {
            throw CommandLineError("unknown option \(unknown)")
        }
    }
}
