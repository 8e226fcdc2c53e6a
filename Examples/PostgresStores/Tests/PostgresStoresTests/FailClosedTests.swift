import Foundation
import Logging
import PostgresNIO
import PostgresTokenStores
import Testing
import TokenCore
import TokenMiddleware

/// What happens without a database: every store refuses (fail closed) within its timeout, in
/// its own domain's "unavailable" error, which TokenMiddleware answers with 503. These need no
/// PostgreSQL: one server port is closed, the other accepts connections and never answers.
@Suite("Fail closed without a database")
struct FailClosedTests {
    /// Stores pointed at `port` on loopback with a short timeout, running for `body`.
    static func withUnreachableStores(port: Int, _ body: @Sendable (PostgresTokenStores) async throws -> Void) async throws {
        var configuration = PostgresStoreConfiguration(host: "127.0.0.1", port: port, username: "nobody", schema: "unreachable")
        configuration.operationTimeout = .milliseconds(500)
        configuration.connectTimeout = .milliseconds(500)
        let stores = try PostgresTokenStores(configuration: configuration, logger: TestDatabase.logger)
        try await stores.withRunningClient(migrate: false) { try await body(stores) }
    }

    /// A port with nothing listening: bound, then closed.
    static func closedPort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 1
        try await channel.close().get()
        return port
    }

    @Test("every store throws its domain's unavailable error; a signed dynamic token becomes a 503")
    func closedPortFailsClosed() async throws {
        try await Self.withUnreachableStores(port: try await Self.closedPort()) { stores in
            let now = Date()
            let replay = await #expect(throws: ReplayCacheError.self) {
                _ = try await stores.replayCache.insertIfAbsent(keyID: "k", nonce: [1], expiresAt: now + 60, now: now)
            }
            #expect(replay?.code == .unavailable)
            let revoked = await #expect(throws: JWTError.self) { _ = try await stores.revocationList.isRevoked("jti") }
            #expect(revoked?.code == .unavailable)
            let family = await #expect(throws: SessionError.self) { _ = try await stores.refreshTokens.family(containing: "h") }
            #expect(family?.code == .unavailable)
            let rotation = await #expect(throws: SessionError.self) {
                _ = try await stores.refreshTokens.rotate(presentedHash: "h", to: "n", issuing: IssuedAccessToken(id: "a", expiresAt: now), at: now)
            }
            #expect(rotation?.code == .unavailable)
            let opaque = await #expect(throws: SessionError.self) { _ = try await stores.opaqueTokens.record(forHash: "h") }
            #expect(opaque?.code == .unavailable)
            let key = await #expect(throws: APIKeyError.self) { _ = try await stores.apiKeys.record(id: "k") }
            #expect(key?.code == .storeUnavailable)
            #expect(await stores.ping() == false)

            // Through the verifier and the error mapping: refused, with 503, never accepted.
            let dynamicKey = try DynamicTokenKey(id: "dt", secret: [UInt8](repeating: 3, count: 32))
            let verifier = try DynamicTokenVerifier(keys: try DynamicTokenKeyRing([dynamicKey]), replayCache: stores.replayCache)
            let token = try DynamicTokenSigner(key: dynamicKey).token(method: "GET", target: "/x", body: [])
            let refused = await #expect(throws: DynamicTokenError.self) {
                _ = try await verifier.verify(token, method: "GET", target: "/x", body: [])
            }
            #expect(refused?.code == .replayCacheUnavailable)
            #expect(refused?.failureKind == .unavailable)
            if let refused {
                #expect(ErrorMiddleware().response(for: refused).response.status == .serviceUnavailable)
            }
        }
    }

    @Test("a server that accepts and never answers: the operation ends at the timeout, not later")
    func silentServerTimesOut() async throws {
        // Accepts connections and reads nothing: PostgreSQL's startup never completes.
        let silent = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { _ in MultiThreadedEventLoopGroup.singleton.next().makeSucceededVoidFuture() }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = silent.localAddress?.port ?? 1
        try await Self.withUnreachableStores(port: port) { stores in
            let started = ContinuousClock.now
            let error = await #expect(throws: ReplayCacheError.self) {
                _ = try await stores.replayCache.insertIfAbsent(keyID: "k", nonce: [1], expiresAt: Date() + 60, now: Date())
            }
            #expect(error?.code == .unavailable)
            #expect(ContinuousClock.now - started < .seconds(5))
        }
        try await silent.close().get()
    }
}

@Suite("Configuration")
struct ConfigurationTests {
    @Test("a database URL gives host, port, user, password, database and TLS mode")
    func url() throws {
        let configuration = try PostgresStoreConfiguration(url: "postgres://auth:s3cret@db.internal:6543/tokens?sslmode=require")
        #expect(configuration.host == "db.internal")
        #expect(configuration.port == 6543)
        #expect(configuration.username == "auth")
        #expect(configuration.password == "s3cret")
        #expect(configuration.database == "tokens")
        #expect(configuration.requireTLS)
        let plain = try PostgresStoreConfiguration(url: "postgresql://auth@127.0.0.1/")
        #expect(plain.port == 5432 && plain.database == nil && plain.password == nil && !plain.requireTLS)
    }

    @Test("bad URLs and settings are refused with a reason that never repeats the password",
          arguments: ["mysql://a@b/c", "postgres://h/db", "postgres://user:pw-secret@/db", "postgres://u:pw-secret@h/db?sslmode=maybe", "not a url"])
    func badURL(_ url: String) {
        let error = #expect(throws: PostgresStoreError.self) { _ = try PostgresStoreConfiguration(url: url) }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.reason.contains("pw-secret") == false)
    }

    @Test("a schema name must be a plain identifier; timeouts must be positive",
          arguments: ["token auth", "x\"; DROP TABLE y; --", "", "1abc", String(repeating: "a", count: 64)])
    func badSchema(_ schema: String) {
        let configuration = PostgresStoreConfiguration(host: "127.0.0.1", username: "u", schema: schema)
        #expect(throws: PostgresStoreError.self) { _ = try PostgresTokenStores(configuration: configuration) }
    }

    @Test("a zero timeout is refused")
    func badTimeout() {
        var configuration = PostgresStoreConfiguration(host: "127.0.0.1", username: "u")
        configuration.operationTimeout = .zero
        #expect(throws: PostgresStoreError.self) { _ = try PostgresTokenStores(configuration: configuration) }
    }
}
