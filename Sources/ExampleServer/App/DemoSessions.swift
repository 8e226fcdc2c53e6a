import Foundation
import TokenCore
import TokenMiddleware

/// The demo's sessions: users, the session manager (login, refresh rotation, logout) and the
/// revocation list the JWT authenticator consults.
///
/// Users come from the config file's `users` (PBKDF2 hashes from `hash-password`); without any,
/// one user `demo` with the generated password. Refresh families and revocations are journals in
/// the data directory (durable across restarts), in memory without one.
struct DemoSessions: Sendable {
    var manager: SessionManager
    var revocations: any RevocationList
    /// The demo user's name and password when no users are configured (printed at start-up).
    var demoUser: (username: String, password: String)?

    init(
        settings: ServerSettings, secrets: DemoSecrets, jwt: DemoJWT, clock: any WallClock, random: any RandomSource,
        passwordHasher: PasswordHasher? = nil
    ) async throws(CommandLineError) {
        // The generated demo password is 16 random characters (~92 bits), which needs no key
        // stretching; 10,000 iterations keep a debug-build login fast. Configured users' hashes
        // carry their own parameters; the dummy hash then follows the default (600,000).
        let configuredUsers = settings.file.users ?? []
        let hasher = passwordHasher ?? (configuredUsers.isEmpty ? PasswordHasher(iterations: 10_000) : PasswordHasher())
        let users = InMemoryUserStore(hasher: hasher)
        if configuredUsers.isEmpty {
            do { try await users.add(username: "demo", password: secrets.demoPassword, subject: "demo", scopes: ["profile:read", "reports:read"]) } catch {
                throw CommandLineError("cannot hash the demo password: \(error.reason)")
            }
            demoUser = ("demo", secrets.demoPassword)
        } else {
            for user in configuredUsers {
                guard user.passwordHash.hasPrefix("$pbkdf2-") else {
                    throw CommandLineError("config: users '\(user.username)': passwordHash must come from ExampleServer hash-password")
                }
                await users.add(UserRecord(subject: user.username, username: user.username, passwordHash: user.passwordHash, scopes: user.scopes ?? []))
            }
            demoUser = nil
        }
        let refreshTokens: any RefreshTokenStore
        do {
            if let dir = settings.dataDirectory {
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                refreshTokens = try JournalRefreshTokenStore(fileURL: dir.appendingPathComponent("refresh-tokens.journal"), clock: clock)
                revocations = try JournalRevocationList(fileURL: dir.appendingPathComponent("revocations.journal"), clock: clock)
            } else {
                refreshTokens = InMemoryRefreshTokenStore()
                revocations = InMemoryRevocationList(clock: clock)
            }
        } catch {
            throw CommandLineError("cannot open the session journals in \(settings.dataDirectory?.path ?? "memory"): \(error)")
        }
        var configuration = SessionConfiguration(issuer: jwt.issuerName, audience: jwt.audience)
        configuration.accessTokenTimeToLive = jwt.issuer.timeToLive
        configuration.sessionLifetime = jwt.refreshTokenTTL
        configuration.sessionIdleTimeout = jwt.refreshIdleTimeout
        do {
            manager = try SessionManager(
                users: users, signingKey: jwt.signingKey, refreshTokens: refreshTokens, revocationList: revocations,
                configuration: configuration, passwordHasher: hasher, clock: clock, random: random
            )
        } catch {
            throw CommandLineError("cannot start sessions: \(error.reason)")
        }
    }

    /// Login request body.
    struct LoginBody: Decodable {
        var username: String
        var password: String
    }

    /// Refresh (and optional logout) request body.
    struct RefreshBody: Decodable {
        var refresh_token: String
    }

    /// Decodes a small JSON body, or throws a 400 that does not repeat it.
    static func decode<T: Decodable>(_ type: T.Type, from request: HTTPRequest) throws -> T {
        guard !request.body.isEmpty, request.body.count <= 16 * 1024 else {
            throw HTTPError(.badRequest, code: "invalid_body", reason: "expected a small JSON body")
        }
        do { return try JSONDecoder().decode(T.self, from: Data(request.body)) } catch {
            throw HTTPError(.badRequest, code: "invalid_body", reason: "the body is not the expected JSON object")
        }
    }

    /// A token pair as the JSON response of login and refresh (`Cache-Control: no-store`,
    /// RFC 6749 §5.1).
    static func pairResponse(_ pair: TokenPair) throws -> HTTPResponse {
        var response = DemoApp.json(try DemoApp.encode(pair))
        response.headers.add(name: HTTPHeaders.Name.cacheControl, value: "no-store")
        return response
    }
}
