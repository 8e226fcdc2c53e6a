import Foundation
import Testing
import TokenCore
import TokenMiddleware

/// The verified-JWT cache: hits skip verification, and nothing a full verification would refuse
/// is ever served from it (expiry, revocation, another authenticator's options, another token).
@Suite struct VerifiedCredentialCacheTests {
    static let secret = [UInt8](repeating: 0x42, count: 32)
    static let now: Double = 1_700_000_000

    /// Counts how often verification reaches the key resolver: a cache hit does not.
    final class CountingResolver: JWTKeyResolver, @unchecked Sendable {
        let keys: JWTKeySet
        private let count = Locked(0)
        init() throws { keys = try JWTKeySet([HMACJWTKey(.hs256, secret: VerifiedCredentialCacheTests.secret, keyID: "k1")]) }
        var calls: Int { count.withLock { $0 } }
        func keySet(for header: JWTHeader) async throws -> JWTKeySet {
            count.withLock { $0 += 1 }
            return keys
        }
    }

    /// A lock around the call counter.
    final class Locked<Value>: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Value
        init(_ value: Value) { self.value = value }
        func withLock<R>(_ body: (inout Value) -> R) -> R {
            lock.lock()
            defer { lock.unlock() }
            return body(&value)
        }
    }

    static func token(sub: String = "user-1", exp: Int? = 1_700_000_600, jti: String = "j1", aud: String = "api", extra: String = "") -> String {
        var payload = #"{"sub":"\#(sub)","aud":"\#(aud)","jti":"\#(jti)""#
        if let exp { payload += #","exp":\#(exp)"# }
        payload += extra + "}"
        let header = #"{"alg":"HS256","kid":"k1"}"#
        let input = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(payload.utf8))
        return input + "." + Base64URL.encode(HMAC<SHA256>.authenticationCode(for: Array(input.utf8), using: secret))
    }

    static func request(_ token: String) -> HTTPRequest {
        HTTPRequest(method: .get, target: "/", headers: ["Authorization": "Bearer " + token])
    }

    struct Fixture {
        let clock = ManualClock(unixSeconds: VerifiedCredentialCacheTests.now)
        let resolver: CountingResolver
        let cache: VerifiedCredentialCache
        let revocations: InMemoryRevocationList
        let auth: JWTAuthenticator<JWTClaims>

        init(capacity: Int = 16, maximumAge: TimeInterval = 60, audience: String = "api", options: JWTValidationOptions? = nil) throws {
            resolver = try CountingResolver()
            cache = VerifiedCredentialCache(capacity: capacity, maximumAge: maximumAge)
            revocations = InMemoryRevocationList(clock: clock)
            var o = options ?? JWTValidationOptions()
            o.acceptedAudiences = [audience]
            auth = JWTAuthenticator(keys: resolver, options: o, clock: clock, revocationList: revocations, cache: cache)
        }

        func authenticate(_ token: String) async throws -> Principal? {
            try await auth.authenticate(VerifiedCredentialCacheTests.request(token))
        }

        func code(_ token: String) async -> String? {
            await VerifiedCredentialCacheTests.code { try await authenticate(token) }
        }
    }

    /// The code of the authentication error `body` throws, or `nil` when it succeeds.
    static func code(_ body: () async throws -> Principal?) async -> String? {
        do {
            _ = try await body()
            return nil
        } catch let error as AuthenticationError {
            return error.code
        } catch {
            return "\(error)"
        }
    }

    @Test func secondRequestIsAHitAndSkipsVerification() async throws {
        let f = try Fixture()
        let first = try #require(try await f.authenticate(Self.token()))
        let second = try #require(try await f.authenticate(Self.token()))
        #expect(f.resolver.calls == 1)
        #expect(second.subject == first.subject)
        #expect(second.attributes == first.attributes)
        #expect(second.details(as: VerifiedJWT<JWTClaims>.self)?.claims.id == "j1")
        let stats = f.cache.statistics
        #expect(stats.hits == 1)
        #expect(stats.misses == 1)
        #expect(stats.insertions == 1)
        #expect(stats.count == 1)
    }

    @Test func aDifferentTokenIsAMissEvenWithTheSamePrefix() async throws {
        let f = try Fixture()
        let good = Self.token()
        _ = try await f.authenticate(good)
        // Same header and payload, forged signature: verified in full and refused.
        let forged = String(good.dropLast(2)) + (good.hasSuffix("AA") ? "BB" : "AA")
        #expect(await f.code(forged) == "jwt.bad_signature")
        #expect(f.resolver.calls == 2)
        #expect(f.cache.statistics.hits == 0)
    }

    @Test func entryEndsAtExpAndTheVerifierDecidesAfterwards() async throws {
        let f = try Fixture()
        _ = try await f.authenticate(Self.token(exp: 1_700_000_030))
        f.clock.advance(by: 29)
        _ = try await f.authenticate(Self.token(exp: 1_700_000_030))
        #expect(f.resolver.calls == 1)
        // At exp the entry is gone; the verifier's 60 s leeway still accepts, after a full check.
        f.clock.advance(by: 1)
        _ = try await f.authenticate(Self.token(exp: 1_700_000_030))
        #expect(f.resolver.calls == 2)
        // Past exp + leeway: refused, never answered from the cache.
        f.clock.advance(by: 61)
        #expect(await f.code(Self.token(exp: 1_700_000_030)) == "jwt.expired")
    }

    @Test func entryEndsAfterTheMaximumAge() async throws {
        let f = try Fixture(maximumAge: 10)
        _ = try await f.authenticate(Self.token())
        f.clock.advance(by: 9)
        _ = try await f.authenticate(Self.token())
        #expect(f.resolver.calls == 1)
        f.clock.advance(by: 1)
        _ = try await f.authenticate(Self.token())
        #expect(f.resolver.calls == 2)
    }

    @Test func entryEndsWhenTheTokenBecomesTooOld() async throws {
        var options = JWTValidationOptions()
        options.maximumAge = 20
        let f = try Fixture(options: options)
        let token = Self.token(extra: #","iat":1700000000"#)
        _ = try await f.authenticate(token)
        f.clock.advance(by: 19)
        _ = try await f.authenticate(token)
        #expect(f.resolver.calls == 1)
        // iat + maximum age: the cache stops there, the verifier decides (leeway 60 s).
        f.clock.advance(by: 1)
        _ = try await f.authenticate(token)
        #expect(f.resolver.calls == 2)
        f.clock.advance(by: 61)
        #expect(await f.code(token) == "jwt.too_old")
    }

    @Test func aClockGoingBackwardsMisses() async throws {
        let f = try Fixture()
        _ = try await f.authenticate(Self.token())
        f.clock.advance(by: -5)
        _ = try await f.authenticate(Self.token())
        #expect(f.resolver.calls == 2)
    }

    @Test func revocationIsCheckedOnEveryHit() async throws {
        let f = try Fixture()
        _ = try await f.authenticate(Self.token())
        _ = try await f.authenticate(Self.token())
        #expect(f.cache.statistics.hits == 1)
        try await f.revocations.revoke("j1", until: Date(timeIntervalSince1970: 1_700_000_600))
        #expect(await f.code(Self.token()) == "jwt.revoked")
        #expect(f.cache.statistics.count == 0)
        #expect(await f.code(Self.token()) == "jwt.revoked")
    }

    @Test func oldestEntryIsEvictedWhenFull() async throws {
        let f = try Fixture(capacity: 2)
        let tokens = (1...3).map { Self.token(sub: "user-\($0)", jti: "j\($0)") }
        for token in tokens { _ = try await f.authenticate(token) }
        var stats = f.cache.statistics
        #expect(stats.count == 2)
        #expect(stats.evictions == 1)
        // The two newest are hits; the first was evicted and is verified again.
        _ = try await f.authenticate(tokens[2])
        _ = try await f.authenticate(tokens[1])
        #expect(f.resolver.calls == 3)
        let principal = try await f.authenticate(tokens[0])
        #expect(principal?.subject == "user-1")
        #expect(f.resolver.calls == 4)
        stats = f.cache.statistics
        #expect(stats.count == 2)
        #expect(stats.hits == 2)
    }

    @Test func tokensWithoutExpAreNotCached() async throws {
        var options = JWTValidationOptions()
        options.requiredClaims = []
        let f = try Fixture(options: options)
        _ = try await f.authenticate(Self.token(exp: nil))
        _ = try await f.authenticate(Self.token(exp: nil))
        #expect(f.resolver.calls == 2)
        #expect(f.cache.statistics.insertions == 0)
    }

    @Test func aSharedCacheNeverLetsOneAuthenticatorsTokenPassAnother() async throws {
        let a = try Fixture(audience: "api")
        var options = JWTValidationOptions()
        options.acceptedAudiences = ["other"]
        let b = JWTAuthenticator(keys: a.resolver, options: options, clock: a.clock, cache: a.cache)
        _ = try await a.authenticate(Self.token(aud: "api"))
        do {
            _ = try await b.authenticate(Self.request(Self.token(aud: "api")))
            Issue.record("another authenticator's cached token was accepted")
        } catch let error as AuthenticationError {
            #expect(error.code == "jwt.wrong_audience")
        }
    }

    @Test func removeAllAndDisabledCaches() async throws {
        let f = try Fixture()
        _ = try await f.authenticate(Self.token())
        f.cache.removeAll()
        _ = try await f.authenticate(Self.token())
        #expect(f.resolver.calls == 2)

        let off = try Fixture(capacity: 0)
        _ = try await off.authenticate(Self.token())
        _ = try await off.authenticate(Self.token())
        #expect(off.resolver.calls == 2)
        #expect(off.cache.statistics.insertions == 0)
    }

    @Test func overlongCredentialsAreNotCached() async throws {
        let f = try Fixture()
        let cache = VerifiedCredentialCache(capacity: 4, maximumCredentialLength: 16)
        let auth = JWTAuthenticator(keys: f.resolver, options: f.auth.options, clock: f.clock, cache: cache)
        _ = try await auth.authenticate(Self.request(Self.token()))
        _ = try await auth.authenticate(Self.request(Self.token()))
        #expect(f.resolver.calls == 2)
        #expect(cache.statistics.count == 0)
    }

    // MARK: - API keys

    /// An API-key authenticator with a cache over an in-memory store, and an issued key.
    struct KeyFixture {
        let clock = ManualClock(unixSeconds: 1_800_000_000)
        let store = InMemoryAPIKeyStore()
        let cache = VerifiedCredentialCache(capacity: 8)
        let auth: APIKeyAuthenticator
        let issuer: APIKeyIssuer

        init() {
            auth = APIKeyAuthenticator(verifier: APIKeyVerifier(store: store, clock: clock), cache: cache)
            issuer = APIKeyIssuer(store: store, clock: clock)
        }

        func authenticate(_ key: String) async throws -> Principal? {
            try await auth.authenticate(HTTPRequest(method: .get, target: "/", headers: ["X-API-Key": key]))
        }

        func code(_ key: String) async -> String? {
            await VerifiedCredentialCacheTests.code { try await authenticate(key) }
        }
    }

    @Test func apiKeyHitsAndARevocationTakesEffectAtOnce() async throws {
        let f = KeyFixture()
        let issued = try await f.issuer.issue(name: "partner", owner: "acme", scopes: ["reports:read"], lifetime: 3600)
        let first = try #require(try await f.authenticate(issued.key))
        let second = try #require(try await f.authenticate(issued.key))
        #expect(second.subject == "acme")
        #expect(second.scopes == first.scopes)
        #expect(f.cache.statistics.hits == 1)
        // Revoked in the store: the next request is refused although the key is cached.
        _ = try await f.issuer.revoke(id: issued.record.id)
        #expect(await f.code(issued.key) == "api_key.revoked")
        #expect(f.cache.statistics.count == 0)
        #expect(await f.code(issued.key) == "api_key.revoked")
    }

    @Test func apiKeyEntryEndsAtTheKeysExpiry() async throws {
        let f = KeyFixture()
        let issued = try await f.issuer.issue(name: "partner", owner: "acme", scopes: [], lifetime: 30)
        _ = try await f.authenticate(issued.key)
        f.clock.advance(by: 29)
        _ = try await f.authenticate(issued.key)
        #expect(f.cache.statistics.hits == 1)
        f.clock.advance(by: 1)
        #expect(await f.code(issued.key) == "api_key.expired")
        #expect(f.cache.statistics.hits == 1)
    }

    @Test func aChangedKeyRecordIsVerifiedAgain() async throws {
        let f = KeyFixture()
        let issued = try await f.issuer.issue(name: "partner", owner: "acme", scopes: ["a"], lifetime: 3600)
        _ = try await f.authenticate(issued.key)
        _ = try await f.store.update(id: issued.record.id) { $0.scopes = ["a", "b"] }
        let principal = try #require(try await f.authenticate(issued.key))
        #expect(principal.scopes == ["a", "b"])
        // Found in the cache, but the record changed: verified in full and stored again.
        #expect(f.cache.statistics.insertions == 2)
        // A mistyped key never reaches the cache's entry for the real one.
        var wrong = Array(issued.key.utf8)
        wrong[wrong.count - 1] = wrong[wrong.count - 1] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(await f.code(String(decoding: wrong, as: UTF8.self)) != nil)
    }
}
