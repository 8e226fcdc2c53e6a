import Foundation
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
    static func start(settings: ServerSettings, output: ExampleServerCommand.Output, accessLog: (any AccessLogSink)? = nil) async throws -> DemoServer {
        let secrets = try DemoSecrets.loadOrCreate(in: settings.dataDirectory)
        let app = try DemoApp.make(settings: settings, secrets: secrets)
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
        lines.append("")
        lines.append("Try these (credentials freshly made for this run):")
        for example in await app.examples(baseURL) {
            lines.append("  # \(example.title)")
            lines.append("  \(example.command)")
        }
        if !app.discovery.pending.isEmpty {
            lines.append("")
            lines.append("Not wired yet (their validators are not in the library): \(app.discovery.pending.joined(separator: " "))")
        }
        lines.append("")
        lines.append("Access log below (one line per request). Ctrl-C stops gracefully.")
        return lines
    }
}
