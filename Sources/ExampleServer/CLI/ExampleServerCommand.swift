import Foundation
import TokenCore
import TokenMiddleware

/// The command line: `serve` (the default) and the subcommands.
enum ExampleServerCommand {
    static let usage = """
        swift-token-auth example server

        Usage:
          ExampleServer [serve] [options]          run the demo server (the default)
          ExampleServer hash-password              hash a password (read from standard input) for the config file
          ExampleServer token dynamic [--legacy] [--method M] [--path P] [--subject UUID]
                                                   print a fresh dynamic token (last line)
          ExampleServer token jwt [--sub S] [--scope "a b"] [--ttl 15m]
                                                   print a JWT signed with the server's key
          ExampleServer apikey create|list|revoke  manage API keys (ExampleServer apikey --help)
          ExampleServer --help                     this text

        Options (every command; flags win over environment, environment over the config file,
        the config file over the built-in demo defaults):
          --config FILE            JSON configuration (TOKEN_AUTH_CONFIG); see Examples/server-config.json
        """

    /// The full `--help` text, with every option and its environment variable.
    static var help: String {
        var text = usage + "\n"
        for option in ServerSettings.options {
            let left = "  \(option.flag) \(option.valueName ?? "")"
            text += left.padding(toLength: max(27, left.count + 1), withPad: " ", startingAt: 0)
            text += "\(option.help) (\(option.environment))\n"
        }
        text += """

            Durations are seconds or a number with s, m, h, d or w (15m, 30d).

            With no configuration the server starts with a demo user and freshly generated secrets
            and prints ready-to-paste curl commands. With --data-dir the generated secrets are kept
            in DIR/secrets.json (mode 0600) and reused, with the durable stores, by the server and
            by the token and apikey subcommands. SIGINT/SIGTERM shut down gracefully.
            """
        return text
    }

    /// Runs the program with `arguments` (without the program name).
    static func main(arguments: [String]) async -> Int32 {
        await run(arguments: arguments, environment: ProcessInfo.processInfo.environment, output: Output.standard)
    }

    /// Where commands print: normal output and diagnostics.
    struct Output: Sendable {
        var out: @Sendable (String) -> Void
        var err: @Sendable (String) -> Void

        static let standard = Output(
            out: { line in
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            },
            err: { line in
                FileHandle.standardError.write(Data((line + "\n").utf8))
            }
        )
    }

    static func run(arguments: [String], environment: [String: String], output: Output) async -> Int32 {
        let settings: ServerSettings
        do { settings = try ServerSettings.resolve(arguments: arguments, environment: environment) } catch {
            output.err("error: \(error.message)")
            output.err("Run ExampleServer --help for usage.")
            return 2
        }
        let command = settings.remaining.first ?? "serve"
        let rest = Array(settings.remaining.dropFirst())
        switch command {
        case "serve":
            if settings.showHelp {
                output.out(help)
                return 0
            }
            if let unknown = rest.first {
                output.err("error: unknown option or argument '\(unknown)'")
                output.err("Run ExampleServer --help for usage.")
                return 2
            }
            return await serve(settings, environment: environment, output: output)
        case "help":
            output.out(help)
            return 0
        case "token":
            return TokenCommand.run(rest + (settings.showHelp ? ["--help"] : []), settings: settings, output: output)
        case "apikey":
            guard let keyFile = DemoAPIKeys.keyFile(settings: settings) else {
                output.err("error: apikey needs a key file: pass --data-dir DIR (or set apiKeys.file in --config) and start the server with the same option")
                return 2
            }
            return await APIKeyCommand.run(
                rest + (settings.showHelp ? ["--help"] : []), keyFile: keyFile,
                output: { output.out($0) }, errorOutput: { output.err($0) }
            )
        case "hash-password":
            if settings.showHelp {
                output.out("Usage: printf '%s\\n' PASSWORD | ExampleServer hash-password")
                return 0
            }
            return HashPasswordCommand.run(input: { readLine(strippingNewline: true) }, output: output)
        default:
            if settings.showHelp {
                output.out(help)
                return 0
            }
            output.err("error: unknown command '\(command)'")
            output.err("Run ExampleServer --help for usage.")
            return 2
        }
    }

    static func serve(_ settings: ServerSettings, environment: [String: String], output: Output) async -> Int32 {
        do {
            let running = try await DemoServer.start(settings: settings, output: output, environment: environment)
            await running.server.runUntilSignalled()
            output.err("stopped")
            return 0
        } catch let error as CommandLineError {
            output.err("error: \(error.message)")
            return 1
        } catch {
            output.err("error: \(error)")
            return 1
        }
    }
}
