import Foundation
import TokenCore
import TokenMiddleware

/// The demo application: the routes of the issue, wired to the validators the library provides,
/// and the `curl` examples printed at start-up.
///
/// Routes whose validator is not part of the library yet are absent (listed under `pending` in
/// `/.well-known/token-auth`) rather than faked.
struct DemoApp {
    /// Serves every route.
    var router: Router
    /// What `/.well-known/token-auth` describes.
    var discovery: DiscoveryDocument
    /// Makes the start-up examples for a base URL such as `http://127.0.0.1:8080`, minting fresh
    /// credentials.
    var examples: @Sendable (String) async -> [Example]
    let secrets: DemoSecrets

    /// One printed example: what it shows and the command.
    struct Example: Sendable {
        var title: String
        var command: String
    }

    /// Builds the app from resolved settings and secrets.
    /// - Throws: ``CommandLineError`` when the configuration's keys or users are invalid.
    static func make(settings: ServerSettings, secrets: DemoSecrets) throws(CommandLineError) -> DemoApp {
        var router = Router(middleware: [ErrorMiddleware(realm: "token-auth-demo"), AccessLogRecorder()])
        var discovery = DiscoveryDocument()

        router.get("/health") { _ in
            var response = HTTPResponse(status: .ok, body: Array("{\"status\":\"ok\"}".utf8))
            response.headers.add(name: HTTPHeaders.Name.contentType, value: "application/json")
            return response
        }
        discovery.pending = ["/auth/login", "/auth/refresh", "/auth/logout", "/api/me", "/api/service",
                             "/api/partner", "/api/partner/reports", "/api/combined", "/api/any"]

        discovery.routes = (router.routeList.map { "\($0.method.rawValue) \($0.path)" } + ["GET /.well-known/token-auth"]).sorted()
        let document = discovery
        let body = (try? Self.encode(document)) ?? Array("{}".utf8) // safe: plain strings always encode
        router.get("/.well-known/token-auth") { _ in
            var response = HTTPResponse(status: .ok, body: body)
            response.headers.add(name: HTTPHeaders.Name.contentType, value: "application/json")
            response.headers.add(name: HTTPHeaders.Name.cacheControl, value: "max-age=300")
            return response
        }
        let examples: @Sendable (String) async -> [Example] = { base in
            [
                Example(title: "health (no credentials)", command: "curl -i \(base)/health"),
                Example(title: "accepted schemes and algorithms", command: "curl -s \(base)/.well-known/token-auth"),
            ]
        }
        return DemoApp(router: router, discovery: discovery, examples: examples, secrets: secrets)
    }

    static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }
}

/// The body of `GET /.well-known/token-auth`: accepted schemes and algorithms, never a secret.
struct DiscoveryDocument: Codable, Equatable {
    struct Scheme: Codable, Equatable {
        /// The authenticator name used in logs (`jwt`, `dynamic_token`, `api_key`).
        var name: String
        /// The HTTP authentication scheme or header carrying the credential.
        var transport: String
        var algorithms: [String]?
        var formats: [String]?
        var issuer: String?
        var audience: [String]?
    }

    var schemes: [Scheme] = []
    var routes: [String] = []
    /// Routes of the demo whose validator is not wired yet.
    var pending: [String] = []
}
