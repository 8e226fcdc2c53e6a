import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdIntegration
import Logging
import PostgresTokenStores
import TokenCore
import TokenMiddleware

/// The example server's demo routes on Hummingbird, with every piece of state in PostgreSQL,
/// so any number of instances can serve one set of users behind a load balancer.
///
/// | route | requires | state |
/// | --- | --- | --- |
/// | `GET /health` | nothing | 200 when migrated and the database answers, else 503 |
/// | `POST /auth/login` | `{"username","password"}` | a refresh family |
/// | `POST /auth/refresh` | `{"refresh_token"}` | rotation, reuse detection |
/// | `POST /auth/logout` | a Bearer access token (optional `{"refresh_token"}`) | revocations |
/// | `GET /api/me` | a Bearer access token | the revocation list |
/// | `GET /api/service` | a signed dynamic token | the replay cache |
/// | `GET /api/partner` | an API key | the key store |
/// | `POST /admin/api-keys` | `Authorization: Bearer <admin token>`, `{"owner","scopes"}` | the key store |
/// | `POST /admin/api-keys/revoke` | the admin token, `{"id"}` | the key store |
public struct PostgresDemo: Sendable {
    public static let realm = "token-auth-demo"
    public static let issuer = "swift-token-auth-postgres-demo"

    public let stores: PostgresTokenStores
    public let sessions: SessionManager
    public let settings: DemoSettings
    let jwt: JWTAuthenticator<JWTClaims>
    let dynamicToken: DynamicTokenAuthenticator
    let apiKey: APIKeyAuthenticator
    let apiKeyIssuer: APIKeyIssuer
    let clock: any WallClock

    /// Wires the stores, the session manager and the authenticators.
    public init(settings: DemoSettings, clock: any WallClock = SystemClock(), logger: Logger) async throws {
        self.settings = settings
        self.clock = clock
        stores = try PostgresTokenStores(configuration: settings.database, clock: clock, logger: logger)

        let signingKey = try HMACJWTKey(.hs256, secret: settings.jwtSecret, keyID: "demo-hs256")
        // A cheap hash for the generated demo password (it has ~96 bits of entropy).
        let hasher = PasswordHasher(iterations: 10_000)
        let users = InMemoryUserStore(hasher: hasher)
        try await users.add(username: "demo", password: settings.demoPassword, subject: "demo", scopes: ["profile:read", "reports:read"])
        sessions = try SessionManager(
            users: users, signingKey: signingKey, refreshTokens: stores.refreshTokens, revocationList: stores.revocationList,
            opaqueTokens: stores.opaqueTokens, configuration: SessionConfiguration(issuer: Self.issuer, audience: ["api"]),
            passwordHasher: hasher, clock: clock
        )
        jwt = JWTAuthenticator(
            keys: try sessions.accessTokenKeys, options: sessions.accessTokenValidationOptions, realm: Self.realm,
            clock: clock, revocationList: stores.revocationList
        )
        let dynamicKey = try DynamicTokenKey(id: DemoSettings.dynamicTokenKeyID, secret: settings.dynamicTokenSecret)
        dynamicToken = DynamicTokenAuthenticator(signed: try DynamicTokenVerifier(
            keys: try DynamicTokenKeyRing([dynamicKey]), replayCache: stores.replayCache, clock: clock
        ))
        apiKey = APIKeyAuthenticator(verifier: APIKeyVerifier(store: stores.apiKeys, clock: clock), configuration: .init(realm: Self.realm))
        apiKeyIssuer = APIKeyIssuer(store: stores.apiKeys, clock: clock)
    }

    /// The routes.
    public func makeRouter() -> Router<DemoContext> {
        let router = Router(context: DemoContext.self)
        let stores = self.stores
        router.get("health") { _, _ -> Response in
            let ok = stores.isReady
            let up = ok ? await stores.ping() : false
            return Self.json(up ? #"{"status":"ok"}"# : #"{"status":"unavailable","database":false}"#, status: up ? .ok : .serviceUnavailable)
        }

        // Login, refresh and logout throw SessionError; the empty gate renders them like the
        // example server does (401, 503 fail closed) through the same ErrorMiddleware.
        let errors = TokenAuthMiddleware<DemoContext>([], errors: ErrorMiddleware(realm: Self.realm))
        let sessions = self.sessions
        let auth = router.group("auth").add(middleware: errors)
        auth.post("login") { request, _ -> Response in
            let body = try await Self.decode(LoginBody.self, from: request)
            return try Self.pairResponse(try await sessions.login(username: body.username, password: body.password))
        }
        auth.post("refresh") { request, _ -> Response in
            let body = try await Self.decode(RefreshBody.self, from: request)
            return try Self.pairResponse(try await sessions.refresh(body.refresh_token))
        }
        router.group("auth/logout").add(middleware: guarded([jwt])).post { request, _ -> Response in
            let refresh = try await Self.decodeIfPresent(RefreshBody.self, from: request)?.refresh_token
            let bearer = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
            try await sessions.logout(refreshToken: refresh, accessToken: bearer)
            return Response(status: .noContent)
        }

        let api = router.group("api")
        api.group("me").add(middleware: guarded([jwt])).get { _, context in try Self.identity(context.identities) }
        api.group("service").add(middleware: guarded([dynamicToken])).get { _, context in try Self.identity(context.identities) }
        api.group("partner").add(middleware: guarded([apiKey])).get { _, context in try Self.identity(context.identities) }

        if let adminToken = settings.adminToken {
            let issuer = apiKeyIssuer
            let keys = stores.apiKeys
            let clock = self.clock
            let admin = router.group("admin/api-keys").add(middleware: errors).add(middleware: AdminTokenMiddleware(token: adminToken))
            admin.post { request, _ -> Response in
                let body = try await Self.decode(NewKeyBody.self, from: request)
                let issued = try await issuer.issue(name: body.name ?? "admin", owner: body.owner, scopes: body.scopes ?? [], lifetime: 86_400)
                return try Self.json(Self.encode(["id": issued.record.id, "key": issued.key]), status: .created)
            }
            admin.post("revoke") { request, _ -> Response in
                let body = try await Self.decode(RevokeBody.self, from: request)
                let now = clock.now()
                let record = try await keys.revoke(id: body.id, at: now)
                return try Self.json(Self.encode(["id": record.id, "status": record.status(at: now).rawValue]))
            }
        }
        return router
    }

    func guarded(_ authenticators: [any Authenticator]) -> TokenAuthMiddleware<DemoContext> {
        TokenAuthMiddleware(authenticators: authenticators, realm: Self.realm)
    }

    // MARK: - Bodies

    struct LoginBody: Decodable { var username: String; var password: String }
    struct RefreshBody: Decodable { var refresh_token: String }
    struct NewKeyBody: Decodable { var owner: String; var scopes: [String]?; var name: String? }
    struct RevokeBody: Decodable { var id: String }

    static let maximumBodySize = 16 * 1024

    static func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        guard let value = try await decodeIfPresent(type, from: request) else {
            throw Hummingbird.HTTPError(.badRequest, message: "expected a small JSON body")
        }
        return value
    }

    static func decodeIfPresent<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T? {
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: maximumBodySize) } catch {
            throw Hummingbird.HTTPError(.contentTooLarge, message: "the body is larger than \(maximumBodySize) bytes")
        }
        guard buffer.readableBytes > 0 else { return nil }
        do { return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView)) } catch {
            throw Hummingbird.HTTPError(.badRequest, message: "the body is not the expected JSON object")
        }
    }

    // MARK: - Responses

    static func json(_ body: String, status: HTTPTypes.HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func pairResponse(_ pair: TokenPair) throws -> Response {
        var response = json(try encode(pair))
        response.headers[.cacheControl] = "no-store" // RFC 6749 §5.1
        return response
    }

    static func identity(_ identities: Identities) throws -> Response {
        let principal = try identities.require()
        struct Body: Encodable { var authenticator: String; var subject: String; var scopes: [String] }
        return json(try encode(Body(authenticator: principal.authenticator, subject: principal.subject, scopes: principal.scopes.sorted())))
    }
}

/// Lets a request through only with `Authorization: Bearer <admin token>`, compared in
/// constant time; otherwise 401.
struct AdminTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let presented = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil } ?? ""
        guard ConstantTime.isEqual(Array(presented.utf8), Array(token.utf8)) else {
            return Response(status: .unauthorized, headers: [.wwwAuthenticate: #"Bearer realm="admin""#])
        }
        return try await next(request, context)
    }
}
