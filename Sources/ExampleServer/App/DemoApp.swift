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
    /// The verified-JWT cache of `/api/me` and the other JWT routes, when turned on.
    let jwtCache: VerifiedCredentialCache?
    /// The verified-API-key cache, when turned on.
    var apiKeyCache: VerifiedCredentialCache? { apiKeys.authenticator.cache }
    /// The dynamic-token key ring, verifier and signer.
    let dynamic: DemoDynamicTokens
    /// The API-key store and authenticator.
    let apiKeys: DemoAPIKeys
    /// Users, sessions and the access-token revocation list.
    let sessions: DemoSessions
    /// The realm named in every challenge.
    static let realm = "token-auth-demo"

    /// Builds the app from resolved settings and secrets.
    /// - Throws: ``CommandLineError`` when the configuration's keys or users are invalid or a
    ///   store cannot be opened.
    static func make(
        settings: ServerSettings, secrets: DemoSecrets, environment: [String: String] = [:],
        clock: any WallClock = SystemClock(), random: any RandomSource = SystemRandomSource(),
        passwordHasher: PasswordHasher? = nil
    ) async throws(CommandLineError) -> DemoApp {
        var router = Router(middleware: [ErrorMiddleware(realm: realm), AccessLogRecorder()])
        var discovery = DiscoveryDocument()

        let healthBody = Array("{\"status\":\"ok\"}".utf8)
        router.get("/health") { _ in
            json(healthBody)
        }

        // JWT (issue 4).
        let jwt = try DemoJWT(settings.file.jwt, secrets: secrets, clock: clock, random: random)
        // Sessions (issue 8): access tokens are JWTs from the same key, checked against the
        // sessions' revocation list (logout and refresh-token reuse revoke them).
        let sessions = try await DemoSessions(
            settings: settings, secrets: secrets, jwt: jwt, clock: clock, random: random, passwordHasher: passwordHasher
        )
        let manager = sessions.manager
        // Opt-in (--credential-cache N): verified access tokens are reused until their exp, at
        // most credentialCache.maxAge; the sessions' revocation list is still consulted on every
        // request.
        let jwtCache = settings.credentialCache(random: random)
        let jwtAuth = JWTAuthenticator(
            keys: jwt.resolver, options: jwt.options, realm: realm, clock: clock, revocationList: sessions.revocations, cache: jwtCache
        )
        discovery.schemes.append(.init(
            name: jwtAuth.name, transport: "Authorization: Bearer", algorithms: jwt.algorithms,
            issuer: jwt.issuerName, audience: jwt.audience
        ))

        // Dynamic tokens (issue 6).
        let dynamic = try DemoDynamicTokens(
            settings.file.dynamicToken, secrets: secrets, clock: clock, random: random,
            reusableForBenchmark: environment[DemoDynamicTokens.benchmarkVariable] == "1"
        )
        let dynamicAuth = dynamic.authenticator
        discovery.schemes.append(.init(
            name: dynamicAuth.name, transport: dynamic.headerName, algorithms: ["HMAC-SHA256"], formats: dynamic.formats
        ))

        // API keys (issue 7).
        let apiKeys = try DemoAPIKeys(settings: settings, clock: clock, random: random)
        let apiKeyAuth = apiKeys.authenticator
        discovery.schemes.append(.init(name: apiKeyAuth.name, transport: "\(apiKeys.headerName) or Authorization: ApiKey", algorithms: ["SHA-256"]))

        router.group("/auth", middleware: []) { auth in
            auth.post("/login") { request in
                let body = try DemoSessions.decode(DemoSessions.LoginBody.self, from: request)
                return try DemoSessions.pairResponse(try await manager.login(username: body.username, password: body.password))
            }
            auth.post("/refresh") { request in
                let body = try DemoSessions.decode(DemoSessions.RefreshBody.self, from: request)
                return try DemoSessions.pairResponse(try await manager.refresh(body.refresh_token))
            }
            auth.post("/logout", middleware: [AuthenticationMiddleware([jwtAuth])]) { request in
                let refresh = request.body.isEmpty ? nil : try DemoSessions.decode(DemoSessions.RefreshBody.self, from: request).refresh_token
                try await manager.logout(refreshToken: refresh, accessToken: try request.headers.bearerToken())
                return HTTPResponse(status: .noContent)
            }
        }

        router.group("/api", middleware: []) { api in
            api.get("/me", middleware: [AuthenticationMiddleware([jwtAuth])]) { request in
                try identityResponse(request.identities.require(from: jwtAuth.name))
            }
            api.get("/service", middleware: [AuthenticationMiddleware([dynamicAuth])]) { request in
                try identityResponse(request.identities.require(from: dynamicAuth.name))
            }
            api.group("/partner", middleware: [AuthenticationMiddleware([apiKeyAuth])]) { partner in
                partner.get("") { request in
                    try identityResponse(request.identities.require(from: apiKeyAuth.name))
                }
                partner.get("/reports", middleware: [AuthorizationMiddleware(.scopes(allOf: ["reports:read"]))]) { request in
                    let principal = try request.identities.require(from: apiKeyAuth.name)
                    let body = #"{"owner":"\#(principal.subject.jsonEscaped)","reports":[{"id":"2026-q3","title":"Quarterly usage"}]}"#
                    return json(Array(body.utf8))
                }
            }
            api.get("/combined", middleware: [AuthenticationMiddleware([dynamicAuth, jwtAuth], policy: .allOf)]) { request in
                try identityResponse(request.identities.require(from: dynamicAuth.name), request.identities.require(from: jwtAuth.name))
            }
            api.get("/any", middleware: [AuthenticationMiddleware([jwtAuth, dynamicAuth, apiKeyAuth])]) { request in
                try identityResponse(request.identities.require())
            }
        }

        discovery.routes = (router.routeList.map { "\($0.method.rawValue) \($0.path)" } + ["GET /.well-known/token-auth"]).sorted()
        let document = discovery
        let body = (try? Self.encode(document)) ?? Array("{}".utf8) // safe: plain strings always encode
        router.get("/.well-known/token-auth") { _ in
            var response = json(body)
            response.headers.add(name: HTTPHeaders.Name.cacheControl, value: "max-age=300")
            return response
        }

        let bannerKey = try await apiKeys.issueBannerKey()
        let dynamicHeader = dynamic.headerName
        let apiKeyHeader = apiKeys.headerName
        let examples: @Sendable (String) async -> [Example] = { base in
            var list = [
                Example(title: "health (no credentials)", command: "curl -i \(base)/health"),
                Example(title: "accepted schemes and algorithms", command: "curl -s \(base)/.well-known/token-auth"),
            ]
            var userJWT: String?
            if let (username, password) = sessions.demoUser {
                let body = #"{"username":"\#(username)","password":"\#(password)"}"#
                list.append(Example(title: "log in (access + refresh token)", command: "curl -s -X POST -H 'Content-Type: application/json' -d '\(body)' \(base)/auth/login"))
                if let pair = try? await manager.login(username: username, password: password) {
                    userJWT = pair.accessToken
                    list.append(Example(title: "JWT from that login (15 minutes)", command: "curl -s -H 'Authorization: Bearer \(pair.accessToken)' \(base)/api/me"))
                    list.append(Example(title: "rotate the refresh token (a second use revokes the session)", command: "curl -s -X POST -d '{\"refresh_token\":\"\(pair.refreshToken)\"}' \(base)/auth/refresh"))
                }
            } else {
                userJWT = try? jwt.token(subject: "demo", scopes: ["profile:read"])
                if let userJWT {
                    list.append(Example(title: "JWT (15 minutes, subject 'demo')", command: "curl -s -H 'Authorization: Bearer \(userJWT)' \(base)/api/me"))
                }
            }
            list.append(Example(title: "no JWT: 401 with a Bearer challenge", command: "curl -i \(base)/api/me"))
            if let token = try? dynamic.token(method: "GET", target: "/api/service") {
                list.append(Example(title: "signed dynamic token (single use: a second run gets 401 replayed)", command: "curl -s -H '\(dynamicHeader): \(token)' \(base)/api/service"))
            }
            list.append(Example(title: "API key (scope reports:read)", command: "curl -s -H '\(apiKeyHeader): \(bannerKey)' \(base)/api/partner"))
            list.append(Example(title: "API key with the scope the reports need", command: "curl -s -H '\(apiKeyHeader): \(bannerKey)' \(base)/api/partner/reports"))
            if let userJWT, let token = try? dynamic.token(method: "GET", target: "/api/combined") {
                list.append(Example(title: "dynamic token AND JWT", command: "curl -s -H '\(dynamicHeader): \(token)' -H 'Authorization: Bearer \(userJWT)' \(base)/api/combined"))
            }
            list.append(Example(title: "any one of JWT, dynamic token, API key", command: "curl -s -H '\(apiKeyHeader): \(bannerKey)' \(base)/api/any"))
            if let userJWT {
                list.append(Example(title: "log out (204; the access token stops working)", command: "curl -i -X POST -H 'Authorization: Bearer \(userJWT)' \(base)/auth/logout"))
            }
            return list
        }
        return DemoApp(router: router, discovery: discovery, examples: examples, secrets: secrets, jwt: jwt, jwtCache: jwtCache, dynamic: dynamic, apiKeys: apiKeys, sessions: sessions)
    }

    /// A JSON response.
    static func json(_ body: [UInt8], status: HTTPStatus = .ok) -> HTTPResponse {
        var response = HTTPResponse(status: status, body: body)
        response.headers.add(name: HTTPHeaders.Name.contentType, value: "application/json")
        return response
    }

    /// `{"authenticator","subject","scopes","attributes","claims"?}` for an identity (see
    /// ``JSONBodyWriter/identity(_:)``), or `{"identities":[…]}` for several: what the demo routes
    /// answer. Claims are the verified JWT payload; nothing secret is in a principal.
    static func identityResponse(_ principals: Principal...) -> HTTPResponse {
        // Room for an identity with JWT claims (about 500 bytes) without regrowing.
        var writer = JSONBodyWriter(capacity: 1024)
        if principals.count == 1 {
            writer.identity(principals[0])
        } else {
            writer.raw("{\"identities\":[")
            for (i, principal) in principals.enumerated() {
                if i > 0 { writer.raw(",") }
                writer.identity(principal)
            }
            writer.raw("]}")
        }
        return json(writer.bytes)
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

extension String {
    /// The string's content for a JSON string literal (quotes, backslashes and controls escaped).
    var jsonEscaped: String {
        var out = ""
        for scalar in unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}
