import Foundation
import TokenCore
import TokenMiddleware

/// A running demo: the app and the HTTP server serving it. `serve` and the integration tests
/// start it the same way.
struct DemoServer {
    let app: DemoApp
    let server: HTTPServer
    /// `http://host:port` as clients reach it.
    let baseURL: String

    /// Builds the app from `settings`, starts the server and prints the start-up banner.
    /// - Throws: ``CommandLineError`` for invalid configuration, ``HTTPServerError`` when the
    ///   address cannot be bound.
    static func start(
        settings: ServerSettings, output: ExampleServerCommand.Output, accessLog: (any AccessLogSink)? = nil,
        environment: [String: String] = [:], passwordHasher: PasswordHasher? = nil
    ) async throws -> DemoServer {
        if environment[DemoDynamicTokens.benchmarkVariable] == "1" {
            output.err("warning: \(DemoDynamicTokens.benchmarkVariable)=1: dynamic tokens are reusable (replay cache off, 1 h tolerance). For load tests only.")
        }
        if settings.credentialCacheCapacity > 0 {
            output.err("note: verified-credential cache on for JWTs and API keys (\(settings.credentialCacheCapacity) entries each)")
        }
        let secrets = try DemoSecrets.loadOrCreate(in: settings.dataDirectory)
        let app = try await DemoApp.make(settings: settings, secrets: secrets, environment: environment, passwordHasher: passwordHasher)
        let sink: (any AccessLogSink)? = settings.accessLog ? (accessLog ?? FileDescriptorLogSink()) : nil
        let server = try HTTPServer.start(configuration: settings.http, responder: app.router, accessLog: sink)
        let host = settings.http.host.contains(":") ? "[\(settings.http.host)]" : settings.http.host
        let base = "http://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(server.port)"
        let running = DemoServer(app: app, server: server, baseURL: base)
        for line in await running.banner(settings: settings) { output.out(line) }
        return running
    }

    /// The start-up text: URL, demo user, where secrets live, and curl commands to paste.
    func banner(settings: ServerSettings) async -> [String] {
        var lines = [
            "swift-token-auth example server listening on \(baseURL)",
            "  port:      \(server.port)",
            "  secrets:   \(settings.dataDirectory.map { $0.appendingPathComponent(DemoSecrets.fileName).path } ?? "generated for this run (use --data-dir DIR to keep them)")",
        ]
        if let configFile = settings.configFile { lines.append("  config:    \(configFile.path)") }
        if let cache = app.jwtCache {
            lines.append("  credential cache: on for JWTs and API keys, \(cache.capacity) entries each, reused at most \(Int(cache.maximumAge)) s (revocation checked per request)")
        }
        if let user = app.sessions.demoUser {
            lines.append("  demo user: \(user.username)")
            lines.append("  password:  \(user.password)")
        }
        lines.append("")
        lines.append("Try these (credentials freshly made for this run):")
        for example in await app.examples(baseURL) {
            lines.append("  # \(example.title)")
            lines.append("  \(example.command)")
        }
        if !app.discovery.pending.isEmpty { // routes whose validator is not in the library
            lines.append("")
            lines.append("Not wired yet (their validators are not in the library): \(app.discovery.pending.joined(separator: " "))")
        }
        lines.append("")
        lines.append("Access log below (one line per request). Ctrl-C stops gracefully.")
        return lines
    }
}
