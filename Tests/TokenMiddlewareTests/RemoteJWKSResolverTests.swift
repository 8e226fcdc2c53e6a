import Foundation
import Testing
import TestSupport
import TokenCore
import TokenMiddleware

/// ``RemoteJWKSResolver`` against a real HTTP endpoint on 127.0.0.1 (``LocalHTTPServer``), with
/// a ``ManualClock``: cache expiry is reached by moving the clock, never by sleeping.
@Suite(.serialized) struct RemoteJWKSResolverTests {
    struct Fixture {
        var rs256Token: String
        var es256Token: String
        var rsaOnly: [UInt8]
        var both: [UInt8]
        var verifyAt: Double
    }

    static func fixture() throws -> Fixture {
        let data = try TestEnvironment.fixture("TokenCoreTests", "asymmetric/vectors.json")
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let cases = try #require(root["cases"] as? [[String: Any]])
        func find(_ alg: String) throws -> [String: Any] { try #require(cases.first { $0["alg"] as? String == alg }) }
        let rs = try find("RS256"), es = try find("ES256")
        func jwks(_ keys: [[String: Any]]) throws -> [UInt8] {
            Array(try JSONSerialization.data(withJSONObject: ["keys": keys.map { $0["jwk"] as Any }]))
        }
        return Fixture(
            rs256Token: try #require(rs["token"] as? String), es256Token: try #require(es["token"] as? String),
            rsaOnly: try jwks([rs]), both: try jwks([rs, es]), verifyAt: try #require(root["verifyAt"] as? Double)
        )
    }

    static func options() -> JWTValidationOptions {
        var options = JWTValidationOptions()
        options.acceptedAudiences = ["api.example"]
        return options
    }

    /// Verifies `token` through the resolver; returns the error code on failure. The claims are
    /// checked at the vectors' fixed time; `clock` only drives the resolver's cache.
    static func verify(_ token: String, _ resolver: RemoteJWKSResolver, _ clock: ManualClock) async -> JWTError.Code? {
        do {
            let claimsClock = ManualClock(unixSeconds: 1_700_000_100)
            _ = try await JWTVerifier.verify(token, as: JWTClaims.self, keys: resolver, options: options(), clock: claimsClock)
            return nil
        } catch {
            return error.code
        }
    }

    static func configuration() -> RemoteJWKSResolver.Configuration {
        var configuration = RemoteJWKSResolver.Configuration()
        configuration.minimumCacheDuration = 60
        configuration.maximumCacheDuration = 3600
        configuration.defaultCacheDuration = 600
        configuration.minimumRefreshInterval = 30
        configuration.timeout = 2
        return configuration
    }

    @Test func cachesForMaxAgeWithinBounds() async throws {
        let f = try Self.fixture()
        let server = try LocalHTTPServer()
        defer { server.stop() }
        server.setReply(.ok(body: f.rsaOnly, cacheControl: "public, max-age=300"))
        let clock = ManualClock(unixSeconds: f.verifyAt)
        let resolver = try RemoteJWKSResolver(url: server.url, configuration: Self.configuration(), clock: clock)

        #expect(await Self.verify(f.rs256Token, resolver, clock) == nil)
        #expect(await Self.verify(f.rs256Token, resolver, clock) == nil)
        #expect(server.requestCount == 1)
        clock.advance(by: 299)
        #expect(await Self.verify(f.rs256Token, resolver, clock) == nil)
        #expect(server.requestCount == 1)
        clock.advance(by: 2) // past max-age
        #expect(await Self.verify(f.rs256Token, resolver, clock) == nil)
        #expect(server.requestCount == 2)

        // max-age below the minimum is raised to it; above the maximum is lowered to it.
        server.setReply(.ok(body: f.rsaOnly, cacheControl: "max-age=5"))
        clock.advance(by: 301)
        #expect(await Self.verify(f.rs256Token, resolver, clock) == nil)
        #expect(server.requestCount == 3)
        clock.advance(by: 59)
        #expect(await Self.verify(f.rs256Token, resolver, clock) == nil)
        #expect(server.requestCount == 3)
        server.setReply(.ok(body: f.rsaOnly, cacheControl: "max-age=999999"))
        clock.advance(by: 2)
        #expect(await Self.verify(f.rs256Token, resolver, clock) == nil)
        #expect(server.requestCount == 4)
        clock.advance(by: 3599)
        #expect(await Self.verify(f.rs256Token, resolver, clock) == nil)
        #expect(server.requestCount == 4)
        clock.advance(by: 2)
        #expect(await Self.verify(f.rs256Token, resolver, clock) == nil)
        #expect(server.requestCount == 5)
    }

    @Test func unknownKeyIDRefetchesAtMostOncePerInterval() async throws {
        let f = try Self.fixture()
        let server = try LocalHTTPServer()
        defer { server.stop() }
        server.setReply(.ok(body: f.rsaOnly, cacheControl: "max-age=3600"))
        let clock = ManualClock(unixSeconds: f.verifyAt)
        let resolver = try RemoteJWKSResolver(url: server.url, configuration: Self.configuration(), clock: clock)
        #expect(await Self.verify(f.rs256Token, resolver, clock) == nil)
        #expect(server.requestCount == 1)

        // The ES256 key is not published yet: unknown kid, and no refetch within 30 s of the last.
        for _ in 0..<20 {
            #expect(await Self.verify(f.es256Token, resolver, clock) == .unknownKey)
        }
        #expect(server.requestCount == 1)

        // After the interval, one refetch; the key is still missing.
        clock.advance(by: 31)
        #expect(await Self.verify(f.es256Token, resolver, clock) == .unknownKey)
        #expect(await Self.verify(f.es256Token, resolver, clock) == .unknownKey)
        #expect(server.requestCount == 2)

        // The provider rotates the new key in; the next allowed refetch finds it.
        server.setReply(.ok(body: f.both, cacheControl: "max-age=3600"))
        clock.advance(by: 10)
        #expect(await Self.verify(f.es256Token, resolver, clock) == .unknownKey)
        #expect(server.requestCount == 2)
        clock.advance(by: 21)
        #expect(await Self.verify(f.es256Token, resolver, clock) == nil)
        #expect(await Self.verify(f.rs256Token, resolver, clock) == nil)
        #expect(server.requestCount == 3)
    }

    @Test func failedRefetchKeepsLastGoodSet() async throws {
        let f = try Self.fixture()
        let server = try LocalHTTPServer()
        defer { server.stop() }
        server.setReply(.ok(body: f.rsaOnly, cacheControl: "max-age=60"))
        let clock = ManualClock(unixSeconds: f.verifyAt)
        let resolver = try RemoteJWKSResolver(url: server.url, configuration: Self.configuration(), clock: clock)
        #expect(await Self.verify(f.rs256Token, resolver, clock) == nil)

        for failure in [LocalHTTPServer.Reply.status(500), .ok(body: Array("not json".utf8), cacheControl: nil)] {
            server.setReply(failure)
            clock.advance(by: 61) // expired: a refetch is due, and fails
            let before = server.requestCount
            #expect(await Self.verify(f.rs256Token, resolver, clock) == nil)
            #expect(server.requestCount == before + 1)
            #expect(await resolver.status.lastError != nil)
            // The failure is not retried on every request.
            #expect(await Self.verify(f.rs256Token, resolver, clock) == nil)
            #expect(server.requestCount == before + 1)
        }
        // Recovery clears the error.
        server.setReply(.ok(body: f.rsaOnly, cacheControl: "max-age=60"))
        clock.advance(by: 31)
        #expect(await Self.verify(f.rs256Token, resolver, clock) == nil)
        #expect(await resolver.status.lastError == nil)
    }

    @Test func withoutAnyGoodSetVerificationIsUnavailable() async throws {
        let f = try Self.fixture()
        let server = try LocalHTTPServer()
        defer { server.stop() }
        server.setReply(.status(503))
        let clock = ManualClock(unixSeconds: f.verifyAt)
        let resolver = try RemoteJWKSResolver(url: server.url, configuration: Self.configuration(), clock: clock)
        #expect(await Self.verify(f.rs256Token, resolver, clock) == .unavailable)
        #expect(await Self.verify(f.rs256Token, resolver, clock) == .unavailable)
        #expect(server.requestCount == 1) // failures are rate-limited too
        let error = await resolver.status.lastError
        #expect(error?.contains("503") == true)
        #expect(JWTError(.unavailable, "x").failureKind == .unavailable)
    }

    @Test(arguments: [LocalHTTPServer.Reply.declared(count: 5000), .streamed(count: 200_000)])
    func oversizedResponseIsRefused(_ reply: LocalHTTPServer.Reply) async throws {
        let f = try Self.fixture()
        let server = try LocalHTTPServer()
        defer { server.stop() }
        server.setReply(reply)
        var configuration = Self.configuration()
        configuration.maximumResponseSize = 4096
        let clock = ManualClock(unixSeconds: f.verifyAt)
        let resolver = try RemoteJWKSResolver(url: server.url, configuration: configuration, clock: clock)
        #expect(await Self.verify(f.rs256Token, resolver, clock) == .unavailable)
        let error = await resolver.status.lastError
        #expect(error?.contains("4096") == true, "\(error ?? "nil")")
    }

    @Test func hangingEndpointTimesOut() async throws {
        let f = try Self.fixture()
        let server = try LocalHTTPServer()
        defer { server.stop() }
        server.setReply(.hang)
        var configuration = Self.configuration()
        configuration.timeout = 1
        let clock = ManualClock(unixSeconds: f.verifyAt)
        let resolver = try RemoteJWKSResolver(url: server.url, configuration: configuration, clock: clock)
        let start = Date()
        #expect(await Self.verify(f.rs256Token, resolver, clock) == .unavailable)
        let elapsed = Date().timeIntervalSince(start)
        print("JWKS timeout after \(elapsed) s")
        #expect(elapsed >= 0.9 && elapsed < 10)
        let error = await resolver.status.lastError
        #expect(error == "the JWKS endpoint did not answer in time", "\(error ?? "nil")")
        #expect(server.requestCount == 1)
    }

    @Test func concurrentVerificationsShareOneFetch() async throws {
        let f = try Self.fixture()
        let server = try LocalHTTPServer()
        defer { server.stop() }
        server.setReply(.delayed(body: f.rsaOnly, seconds: 0.3))
        let clock = ManualClock(unixSeconds: f.verifyAt)
        let resolver = try RemoteJWKSResolver(url: server.url, configuration: Self.configuration(), clock: clock)
        let results = await withTaskGroup(of: JWTError.Code?.self) { group in
            for _ in 0..<16 {
                group.addTask { await Self.verify(f.rs256Token, resolver, clock) }
            }
            var all: [JWTError.Code?] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 16 && results.allSatisfy { $0 == nil })
        #expect(server.requestCount == 1)
    }

    @Test func insecureURLsAreRefused() throws {
        #expect(throws: JWKSFetchError.self) { try RemoteJWKSResolver(url: URL(string: "http://issuer.example/jwks")!) }
        #expect(throws: JWKSFetchError.self) { try RemoteJWKSResolver(url: URL(string: "file:///etc/jwks.json")!) }
        _ = try RemoteJWKSResolver(url: URL(string: "https://issuer.example/jwks")!)
        _ = try RemoteJWKSResolver(url: URL(string: "http://127.0.0.1:8080/jwks")!)
    }
}
