import Foundation
import PostgresNIO
import PostgresTokenStores
import Testing
import TokenCore

extension DatabaseTests {
    @Suite("Replay cache", .enabled(if: TestDatabase.isConfigured, TestDatabase.skipReason))
    struct ReplayCacheTests {
        @Test("the first insertion wins, the second is a replay; nonces are per key")
        func insertIfAbsent() async throws {
            try await TestDatabase.withStores { (stores: PostgresTokenStores) async throws in
                let cache = stores.replayCache
                let now = Date(timeIntervalSince1970: 1_800_000_000)
                let nonce: [UInt8] = Array(0..<16)
                #expect(try await cache.insertIfAbsent(keyID: "k1", nonce: nonce, expiresAt: now + 60, now: now) == .inserted)
                #expect(try await cache.insertIfAbsent(keyID: "k1", nonce: nonce, expiresAt: now + 60, now: now) == .alreadyPresent)
                #expect(try await cache.insertIfAbsent(keyID: "k2", nonce: nonce, expiresAt: now + 60, now: now) == .inserted)
                #expect(try await cache.insertIfAbsent(keyID: "k1", nonce: Array(1..<17), expiresAt: now + 60, now: now) == .inserted)
            }
        }

        @Test("of 20 concurrent insertions of one nonce exactly one is first")
        func concurrentInsertions() async throws {
            try await TestDatabase.withStores { stores in
                let cache = stores.replayCache
                let now = Date()
                let results = try await withThrowingTaskGroup(of: ReplayCacheInsertion.self) { group in
                    for _ in 0..<20 {
                        group.addTask { try await cache.insertIfAbsent(keyID: "k", nonce: [7, 7, 7], expiresAt: now + 60, now: now) }
                    }
                    return try await group.reduce(into: [ReplayCacheInsertion]()) { $0.append($1) }
                }
                #expect(results.filter { $0 == .inserted }.count == 1)
                #expect(results.filter { $0 == .alreadyPresent }.count == 19)
            }
        }

        @Test("clean-up deletes expired entries only")
        func cleanup() async throws {
            try await TestDatabase.withStores { stores in
                let cache = stores.replayCache
                let now = Date(timeIntervalSince1970: 1_800_000_000)
                _ = try await cache.insertIfAbsent(keyID: "k", nonce: [1], expiresAt: now - 1, now: now - 10)
                _ = try await cache.insertIfAbsent(keyID: "k", nonce: [2], expiresAt: now + 60, now: now)
                #expect(try await cache.removeExpired(now: now) == 1)
                #expect(try await cache.insertIfAbsent(keyID: "k", nonce: [1], expiresAt: now + 60, now: now) == .inserted)
                #expect(try await cache.insertIfAbsent(keyID: "k", nonce: [2], expiresAt: now + 60, now: now) == .alreadyPresent)
            }
        }

        @Test("a signed dynamic token is accepted once through the verifier, then refused as replayed")
        func verifier() async throws {
            try await TestDatabase.withStores { stores in
                let key = try DynamicTokenKey(id: "dt", secret: [UInt8](repeating: 9, count: 32))
                let verifier = try DynamicTokenVerifier(keys: try DynamicTokenKeyRing([key]), replayCache: stores.replayCache)
                let token = try DynamicTokenSigner(key: key).token(method: "GET", target: "/x", body: [])
                _ = try await verifier.verify(token, method: "GET", target: "/x", body: [])
                let error = await #expect(throws: DynamicTokenError.self) {
                    _ = try await verifier.verify(token, method: "GET", target: "/x", body: [])
                }
                #expect(error?.code == .replayed)
            }
        }
    }

    @Suite("Revocation list", .enabled(if: TestDatabase.isConfigured, TestDatabase.skipReason))
    struct RevocationListTests {
        @Test("a revoked id stays revoked until the token's expiry, then is forgotten and cleaned up")
        func revokeAndExpire() async throws {
            let clock = ManualClock(unixSeconds: 1_800_000_000)
            try await TestDatabase.withStores(clock: clock) { stores in
                let list = stores.revocationList
                try await list.revoke("jti-1", until: clock.now() + 60)
                try await list.revoke("jti-past", until: clock.now() - 1)
                #expect(try await list.isRevoked("jti-1"))
                #expect(try await !list.isRevoked("jti-2"))
                #expect(try await !list.isRevoked("jti-past"))
                // Revoking again keeps the later expiry.
                try await list.revoke("jti-1", until: clock.now() + 10)
                clock.advance(by: 30)
                #expect(try await list.isRevoked("jti-1"))
                clock.advance(by: 31)
                #expect(try await !list.isRevoked("jti-1"))
                #expect(try await list.removeExpired(now: clock.now()) == 1)
            }
        }
    }

    @Suite("Refresh-token families", .enabled(if: TestDatabase.isConfigured, TestDatabase.skipReason))
    struct RefreshTokenStoreTests {
        static let start = Date(timeIntervalSince1970: 1_800_000_000)

        static func family(_ id: String = "f1", subject: String = "alice", hash: String = "h0") -> RefreshTokenFamily {
            RefreshTokenFamily(
                id: id, subject: subject, scopes: ["a", "b"], createdAt: start, expiresAt: start + 3_600,
                idleTimeout: 600, currentTokenHash: hash, accessTokens: [IssuedAccessToken(id: "at0", expiresAt: start + 900)]
            )
        }

        @Test("a family reads back as stored, by id and by token")
        func roundTrip() async throws {
            try await TestDatabase.withStores { stores in
                let family = Self.family()
                try await stores.refreshTokens.insert(family)
                #expect(try await stores.refreshTokens.family(id: "f1") == family)
                #expect(try await stores.refreshTokens.family(containing: "h0") == family)
                #expect(try await stores.refreshTokens.family(containing: "nope") == nil)
                let error = await #expect(throws: SessionError.self) { try await stores.refreshTokens.insert(Self.family()) }
                #expect(error?.code == .invalidConfiguration)
            }
        }

        @Test("rotation, then reuse of the old token revokes the family; the newest token is then refused too")
        func rotationAndReuse() async throws {
            try await TestDatabase.withStores { stores in
                let store = stores.refreshTokens
                try await store.insert(Self.family())
                let now = Self.start + 60
                guard case .rotated(let rotated) = try await store.rotate(
                    presentedHash: "h0", to: "h1", issuing: IssuedAccessToken(id: "at1", expiresAt: now + 900), at: now
                ) else { Issue.record("expected a rotation"); return }
                #expect(rotated.currentTokenHash == "h1")
                #expect(rotated.usedTokenHashes == ["h0"])
                #expect(rotated.generation == 1)
                #expect(rotated.accessTokens.map(\.id) == ["at0", "at1"])
                #expect(try await store.family(containing: "h0")?.id == "f1")
                guard case .reused(let reused) = try await store.rotate(
                    presentedHash: "h0", to: "h2", issuing: IssuedAccessToken(id: "at2", expiresAt: now + 900), at: now + 1
                ) else { Issue.record("expected reuse"); return }
                #expect(reused.revokedAt == now + 1)
                #expect(reused.accessTokens.map(\.id) == ["at0", "at1"])
                guard case .revoked = try await store.rotate(
                    presentedHash: "h1", to: "h3", issuing: IssuedAccessToken(id: "at3", expiresAt: now + 900), at: now + 2
                ) else { Issue.record("expected revoked"); return }
                #expect(try await store.rotate(
                    presentedHash: "unknown", to: "h4", issuing: IssuedAccessToken(id: "at4", expiresAt: now + 900), at: now + 2
                ) == .unknown)
            }
        }

        @Test("of 20 concurrent rotations of one token exactly one rotates, the others are reuse")
        func concurrentRotations() async throws {
            try await TestDatabase.withStores { stores in
                let store = stores.refreshTokens
                try await store.insert(Self.family())
                let now = Self.start + 60
                let outcomes = try await withThrowingTaskGroup(of: RefreshRotation.self) { group in
                    for i in 0..<20 {
                        group.addTask {
                            try await store.rotate(
                                presentedHash: "h0", to: "new-\(i)", issuing: IssuedAccessToken(id: "at-\(i)", expiresAt: now + 900), at: now
                            )
                        }
                    }
                    return try await group.reduce(into: [RefreshRotation]()) { $0.append($1) }
                }
                let rotated = outcomes.filter { if case .rotated = $0 { true } else { false } }
                let reused = outcomes.filter { if case .reused = $0 { true } else { false } }
                let revoked = outcomes.filter { if case .revoked = $0 { true } else { false } }
                #expect(rotated.count == 1)
                #expect(reused.count + revoked.count == 19)
                #expect(reused.count >= 1)
                #expect(try await store.family(id: "f1")?.isRevoked == true)
            }
        }

        @Test("an idle family expires and is dropped at rotation; clean-up drops ended families")
        func expiry() async throws {
            try await TestDatabase.withStores { stores in
                let store = stores.refreshTokens
                try await store.insert(Self.family("f1", hash: "a0"))
                try await store.insert(Self.family("f2", hash: "b0"))
                let late = Self.start + 601
                guard case .expired = try await store.rotate(
                    presentedHash: "a0", to: "a1", issuing: IssuedAccessToken(id: "x", expiresAt: late + 900), at: late
                ) else { Issue.record("expected expiry"); return }
                #expect(try await store.family(id: "f1") == nil)
                #expect(try await store.removeExpired(now: Self.start + 599) == 0)
                #expect(try await store.removeExpired(now: late) == 1)
                #expect(try await store.family(id: "f2") == nil)
            }
        }

        @Test("logout revokes once and keeps the first time; log out everywhere revokes a subject's live families")
        func revocation() async throws {
            try await TestDatabase.withStores { stores in
                let store = stores.refreshTokens
                try await store.insert(Self.family("f1", hash: "a0"))
                try await store.insert(Self.family("f2", hash: "b0"))
                try await store.insert(Self.family("f3", subject: "bob", hash: "c0"))
                let first = try await store.revokeFamily(id: "f1", at: Self.start + 10)
                let second = try await store.revokeFamily(id: "f1", at: Self.start + 20)
                #expect(first?.revokedAt == Self.start + 10)
                #expect(second?.revokedAt == Self.start + 10)
                #expect(try await store.revokeFamily(id: "missing", at: Self.start) == nil)
                #expect(try await store.revokeFamily(id: "f3", at: Self.start + 601) == nil) // idled out
                let all = try await store.revokeFamilies(subject: "alice", at: Self.start + 30)
                #expect(all.map(\.id) == ["f2"])
                #expect(try await store.family(id: "f3")?.isRevoked == false)
            }
        }

        @Test("SessionManager on the store: login, refresh, reuse revokes the session and its access tokens")
        func sessionManager() async throws {
            try await TestDatabase.withStores { stores in
                let hasher = PasswordHasher(iterations: 1_000)
                let users = InMemoryUserStore(hasher: hasher)
                try await users.add(username: "alice", password: "correct horse", scopes: ["read"])
                let manager = try SessionManager(
                    users: users, signingKey: try HMACJWTKey(.hs256, secret: [UInt8](repeating: 1, count: 32)),
                    refreshTokens: stores.refreshTokens, revocationList: stores.revocationList,
                    configuration: SessionConfiguration(issuer: "test", audience: ["api"]), passwordHasher: hasher
                )
                let first = try await manager.login(username: "alice", password: "correct horse")
                let second = try await manager.refresh(first.refreshToken)
                let error = await #expect(throws: SessionError.self) { _ = try await manager.refresh(first.refreshToken) }
                #expect(error?.code == .refreshTokenReused)
                let jti = try JWTClaims(payload: UnverifiedJWT(parsing: second.accessToken).payload).id ?? ""
                #expect(try await stores.revocationList.isRevoked(jti))
                let again = await #expect(throws: SessionError.self) { _ = try await manager.refresh(second.refreshToken) }
                #expect(again?.code == .sessionRevoked)
            }
        }
    }

    @Suite("Opaque tokens", .enabled(if: TestDatabase.isConfigured, TestDatabase.skipReason))
    struct OpaqueTokenStoreTests {
        @Test("insert, look up, delete one, delete a session's, refuse a duplicate, clean up expired")
        func lifecycle() async throws {
            try await TestDatabase.withStores { stores in
                let store = stores.opaqueTokens
                let t0 = Date(timeIntervalSince1970: 1_800_000_000)
                func record(_ hash: String, _ subject: String, _ session: String?, expires: TimeInterval = 900) -> OpaqueTokenRecord {
                    OpaqueTokenRecord(tokenHash: hash, subject: subject, scopes: ["s"], issuedAt: t0, expiresAt: t0 + expires, sessionID: session)
                }
                try await store.insert(record("a", "alice", "s1"))
                try await store.insert(record("b", "alice", "s1"))
                try await store.insert(record("c", "alice", "s2"))
                try await store.insert(record("d", "bob", nil, expires: 10))
                #expect(try await store.record(forHash: "a") == record("a", "alice", "s1"))
                #expect(try await store.record(forHash: "d")?.sessionID == nil)
                let duplicate = await #expect(throws: SessionError.self) { try await store.insert(record("a", "x", nil)) }
                #expect(duplicate?.code == .invalidConfiguration)
                #expect(try await store.remove(hash: "a"))
                #expect(try await !store.remove(hash: "a"))
                #expect(try await store.removeAll(subject: "alice", sessionID: "s1") == 1)
                #expect(try await store.record(forHash: "c") != nil)
                #expect(try await store.removeAll(subject: "alice", sessionID: nil) == 1)
                #expect(try await store.removeExpired(now: t0 + 11) == 1)
                #expect(try await store.record(forHash: "d") == nil)
            }
        }
    }

    @Suite("API keys", .enabled(if: TestDatabase.isConfigured, TestDatabase.skipReason))
    struct APIKeyStoreTests {
        @Test("an issued key verifies; revoked it fails; duplicates, unknown ids and id changes are refused")
        func lifecycle() async throws {
            try await TestDatabase.withStores { stores in
                let store = stores.apiKeys
                let issued = try await APIKeyIssuer(store: store).issue(name: "job", owner: "acme", scopes: ["reports:read"], lifetime: 3_600)
                let verifier = APIKeyVerifier(store: store)
                #expect(try await verifier.verify(issued.key).id == issued.record.id)
                // Read back field for field (timestamps keep microseconds; verify noted a use).
                let stored = try await store.record(id: issued.record.id)
                #expect(stored?.hash == issued.record.hash && stored?.owner == "acme" && stored?.scopes == ["reports:read"])
                #expect(stored?.displayPrefix == issued.record.displayPrefix && stored?.hashAlgorithm == issued.record.hashAlgorithm)
                #expect(abs((stored?.createdAt ?? .distantPast).timeIntervalSince(issued.record.createdAt)) < 0.001)
                #expect(abs((stored?.expiresAt ?? .distantPast).timeIntervalSince(issued.record.expiresAt ?? .distantFuture)) < 0.001)
                #expect(stored?.revokedAt == nil && stored?.lastUsedAt != nil)
                #expect(try await store.records(owner: "acme").map(\.id) == [issued.record.id])
                let duplicate = await #expect(throws: APIKeyError.self) { try await store.insert(issued.record) }
                #expect(duplicate?.code == .duplicate)
                let renamed = await #expect(throws: APIKeyError.self) {
                    _ = try await store.update(id: issued.record.id) { $0.id = "other" }
                }
                #expect(renamed?.code == .invalidArgument)
                let missing = await #expect(throws: APIKeyError.self) { _ = try await store.revoke(id: "nope", at: Date()) }
                #expect(missing?.code == .notFound)
                let revokedAt = Date(timeIntervalSince1970: 1_800_000_000)
                #expect(try await store.revoke(id: issued.record.id, at: revokedAt).revokedAt == revokedAt)
                #expect(try await store.revoke(id: issued.record.id, at: revokedAt + 5).revokedAt == revokedAt)
                let refused = await #expect(throws: APIKeyError.self) { _ = try await verifier.verify(issued.key) }
                #expect(refused?.code == .revoked)
            }
        }

        @Test("a use is recorded in last_used_at")
        func recordUse() async throws {
            try await TestDatabase.withStores { stores in
                let store = stores.apiKeys
                let issued = try await APIKeyIssuer(store: store).issue(name: "job", owner: "acme", scopes: [], lifetime: nil)
                let used = Date(timeIntervalSince1970: 1_900_000_000)
                await store.recordUse(id: issued.record.id, at: used)
                #expect(try await store.record(id: issued.record.id)?.lastUsedAt == used)
            }
        }
    }

    @Suite("Migrations", .enabled(if: TestDatabase.isConfigured, TestDatabase.skipReason))
    struct MigrationTests {
        @Test("applied once; concurrent starts apply it once; a newer schema is refused")
        func migrations() async throws {
            let schema = TestDatabase.freshSchema("m")
            try await TestDatabase.withStores(schema: schema) { stores in
                // withStores migrated already: nothing left to apply.
                #expect(try await stores.migrate() == [])
                #expect(stores.isReady)
                guard let url = TestDatabase.url else { return }
                // Two more instances on a new schema, migrating at once: exactly one applies.
                let other = TestDatabase.freshSchema("m")
                let a = try PostgresTokenStores(configuration: try PostgresStoreConfiguration(url: url, schema: other), logger: TestDatabase.logger)
                let b = try PostgresTokenStores(configuration: try PostgresStoreConfiguration(url: url, schema: other), logger: TestDatabase.logger)
                let applied = try await a.withRunningClient(migrate: false) {
                    try await b.withRunningClient(migrate: false) {
                        async let x = a.migrate()
                        async let y = b.migrate()
                        let both = try await [x, y]
                        try await a.dropSchema()
                        return both
                    }
                }
                #expect(applied.sorted { $0.count < $1.count } == [[], [PostgresSchema.latestVersion]])
                // A version this build does not know: refused.
                try await stores.client.query("INSERT INTO schema_migrations (version, name) VALUES (999, 'from the future')")
                let error = await #expect(throws: PostgresStoreError.self) { try await stores.migrate() }
                #expect(error?.code == .schemaTooNew)
                try await stores.client.query("DELETE FROM schema_migrations WHERE version = 999")
            }
        }
    }
}
