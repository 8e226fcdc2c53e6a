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

    /// The JWT keys, options and issuer.
    let jwt: DemoJWT
    /// The realm named in every challenge.
    static let realm = "token-auth-demo"

    /// Builds the app from resolved settings and secrets.
    /// - Throws: ``CommandLineError`` when the configuration's keys or users are invalid.
    static func make(
        settings: ServerSettings, secrets: DemoSecrets,
        clock: any WallClock = SystemClock(), random: any RandomSource = SystemRandomSource()
    ) throws(CommandLineError) -> DemoApp {
        var router = Router(middleware: [ErrorMiddleware(realm: realm), AccessLogRecorder()])
        var discovery = DiscoveryDocument()

        router.get("/health") { _ in
            json(Array("{\"status\":\"ok\"}".utf8))
        }

        // JWT (issue 4).
        let jwt = try DemoJWT(settings.file.jwt, secrets: secrets, clock: clock, random: random)
        let jwtAuthenticator = JWTAuthenticator(keys: jwt.keySet, options: jwt.options, realm: realm, clock: clock)
        discovery.schemes.append(.init(
            name: jwtAuthenticator.name, transport: "Authorization: Bearer", algorithms: jwt.algorithms,
            issuer: jwt.issuerName, audience: jwt.audience
        ))
        router.group("/api", middleware: []) { api in
            api.get("/me", middleware: [AuthenticationMiddleware([jwtAuthenticator])]) { request in
                let principal = try request.identities.require(from: jwtAuthenticator.name)
                return try identityResponse(principal)
            }
        }

        discovery.pending = ["/auth/login", "/auth/refresh", "/auth/logout", "/api/service",
                             "/api/partner", "/api/partner/reports", "/api/combined", "/api/any"]

        discovery.routes = (router.routeList.map { "\($0.method.rawValue) \($0.path)" } + ["GET /.well-known/token-auth"]).sorted()
        let document = discovery
        let body = (try? Self.encode(document)) ?? Array("{}".utf8) // safe: plain strings always encode
        router.get("/.well-known/token-auth") { _ in
            var response = json(body)
            response.headers.add(name: HTTPHeaders.Name.cacheControl, value: "max-age=300")
            return response
        }
        let examples: @Sendable (String) async -> [Example] = { base in
            var list = [
                Example(title: "health (no credentials)", command: "curl -i \(base)/health"),
                Example(title: "accepted schemes and algorithms", command: "curl -s \(base)/.well-known/token-auth"),
            ]
            if let token = try? jwt.token(subject: "demo", scopes: ["profile:read"]) {
                list.append(Example(title: "JWT (15-minute demo token for user 'demo')", command: "curl -s -H 'Authorization: Bearer \(token)' \(base)/api/me"))
            }
            list.append(Example(title: "JWT missing: 401 with a Bearer challenge", command: "curl -i \(base)/api/me"))
            return list
        }
        return DemoApp(router: router, discovery: discovery, examples: examples, secrets: secrets, jwt: jwt)
    }

    /// A JSON response.
    static func json(_ body: [UInt8], status: HTTPStatus = .ok) -> HTTPResponse {
        var response = HTTPResponse(status: status, body: body)
        response.headers.add(name: HTTPHeaders.Name.contentType, value: "application/json")
        return response
    }

    /// `{"authenticator","subject","scopes","attributes","claims"?}` for an identity: what the
    /// demo routes answer. Claims are the verified JWT payload; nothing secret is in a principal.
    static func identityResponse(_ principals: Principal...) throws -> HTTPResponse {
        var identities: [JSONValue] = []
        for principal in principals {
            var pairs: [(String, JSONValue)] = [
                ("authenticator", .string(principal.authenticator)),
                ("subject", .string(principal.subject)),
                ("scopes", .array(principal.scopes.sorted().map(JSONValue.string))),
                ("attributes", .object(try JSONObject(principal.attributes.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }))),
            ]
            if let jwt = principal.details(as: VerifiedJWT<JWTClaims>.self) {
                pairs.append(("claims", .object(jwt.payloadJSON)))
            }
            identities.append(.object(try JSONObject(pairs)))
        }
        let value: JSONValue = identities.count == 1 ? identities[0] : .object(try JSONObject([("identities", .array(identities))]))
        return json(value.serialized())
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
