import Foundation
import Testing
import TokenCore

/// A session setup over in-memory stores with a manual clock and a cheap password hash.
struct SessionFixture {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    let clock = ManualClock(start)
    let users: InMemoryUserStore
    let refreshTokens: any RefreshTokenStore
    let revocations: any RevocationList
    let opaque: any OpaqueTokenStore
    let manager: SessionManager

    init(
        format: SessionConfiguration.AccessTokenFormat = .jwt,
        iterations: Int = 1_000,
        refreshTokens: (any RefreshTokenStore)? = nil,
        revocations: (any RevocationList)? = nil,
        opaque: (any OpaqueTokenStore)? = nil
    ) async throws {
        let hasher = PasswordHasher(iterations: iterations)
        users = InMemoryUserStore(hasher: hasher)
        try await users.add(username: "alice", password: "correct horse", subject: "user-1", scopes: ["items:write", "items:read"])
        self.refreshTokens = refreshTokens ?? InMemoryRefreshTokenStore()
        self.revocations = revocations ?? InMemoryRevocationList(clock: clock)
        self.opaque = opaque ?? InMemoryOpaqueTokenStore()
        var configuration = SessionConfiguration(issuer: "https://auth.test", audience: ["api"])
        configuration.accessTokenFormat = format
        manager = try SessionManager(
            users: users,
            signingKey: try HMACJWTKey(.hs256, secret: Array(repeating: UInt8(7), count: 32)),
            refreshTokens: self.refreshTokens, revocationList: self.revocations, opaqueTokens: self.opaque,
            configuration: configuration, passwordHasher: hasher, clock: clock
        )
    }

    /// Verifies an access JWT as a resource server would: signature, claims, revocation.
    func verifyAccess(_ token: String) async throws -> VerifiedJWT<JWTClaims> {
        try await JWTVerifier.verify(
            token, as: JWTClaims.self, keys: try manager.accessTokenKeys,
            options: manager.accessTokenValidationOptions, clock: clock, revocationList: revocations
        )
    }
}

/// The code of the `SessionError` `body` throws, or `nil`.
func sessionErrorCode(_ body: () async throws -> some Any) async -> SessionError.Code? {
    do {
        _ = try await body()
        return nil
    } catch let error as SessionError {
        return error.code
    } catch {
        return SessionError.Code("unexpected: \(error)")
    }
}

@Suite struct SessionManagerTests {
    @Test func loginIssuesAnAccessJWTAndARefreshToken() async throws {
        let f = try await SessionFixture()
        let pair = try await f.manager.login(username: "alice", password: "correct horse")
        #expect(pair.tokenType == "Bearer")
        #expect(pair.expiresIn == 900)
        #expect(pair.scope == "items:read items:write")
        #expect(pair.refreshToken.hasPrefix("rt_") && pair.refreshToken.count == 46)

        let jwt = try await f.verifyAccess(pair.accessToken)
        #expect(jwt.claims.subject == "user-1")
        #expect(jwt.claims.issuer == "https://auth.test")
        #expect(jwt.claims.audience == ["api"])
        #expect(jwt.claims.issuedAt?.date == SessionFixture.start)
        #expect(jwt.claims.expiration?.date == SessionFixture.start.addingTimeInterval(900))
        #expect(jwt.claims.id?.isEmpty == false)
        #expect(jwt.payloadJSON["scope"] == .string("items:read items:write"))
        #expect(jwt.payloadJSON["sid"] == .string(pair.sessionID))

        // The token response serialises with OAuth 2.0 member names (RFC 6749 §5.1).
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(pair)) as? [String: Any]
        #expect(json?["access_token"] as? String == pair.accessToken)
        #expect(json?["refresh_token"] as? String == pair.refreshToken)
        #expect(json?["token_type"] as? String == "Bearer")
    }

    @Test func accessTokenExpiresAfterFifteenMinutes() async throws {
        let f = try await SessionFixture()
        let pair = try await f.manager.login(username: "alice", password: "correct horse")
        f.clock.advance(by: 900 + 61) // past exp and the verifier's 60 s leeway
        await #expect(throws: JWTError.self) { try await f.verifyAccess(pair.accessToken) }
    }

    @Test func unknownUserAndWrongPasswordFailTheSameWay() async throws {
        let f = try await SessionFixture()
        var errors: [SessionError] = []
        for (user, password) in [("alice", "wrong"), ("mallory", "correct horse"), (String(repeating: "a", count: 10_000), "x")] {
            do {
                _ = try await f.manager.login(username: user, password: password)
                Issue.record("login must fail")
            } catch {
                errors.append(error)
            }
        }
        #expect(errors.count == 3)
        #expect(Set(errors).count == 1)
        #expect(errors.first?.code == .invalidCredentials)
        #expect(errors.first?.failureKind == .invalid)
    }

    /// The unknown-user path does the same PBKDF2 work as a wrong password (the dummy hash).
    /// Checked as a ratio with generous bounds: without the dummy hash the unknown user is
    /// answered roughly a hundred times faster.
    @Test func unknownUserTakesAsLongAsAWrongPassword() async throws {
        let f = try await SessionFixture(iterations: 5_000)
        func duration(_ user: String) async -> Duration {
            let start = ContinuousClock.now
            _ = try? await f.manager.login(username: user, password: "wrong")
            return ContinuousClock.now - start
        }
        // Alternate the two and keep each one's best, so load on the machine hits both alike.
        var known = Duration.seconds(1_000), unknown = Duration.seconds(1_000)
        for _ in 0..<3 {
            known = min(known, await duration("alice"))
            unknown = min(unknown, await duration("nobody"))
        }
        #expect(unknown > known * 0.5, "unknown user \(unknown) vs wrong password \(known)")
        #expect(known > unknown * 0.5, "wrong password \(known) vs unknown user \(unknown)")
    }

    @Test func refreshRotatesTheRefreshToken() async throws {
        let f = try await SessionFixture()
        let first = try await f.manager.login(username: "alice", password: "correct horse")
        f.clock.advance(by: 60)
        let second = try await f.manager.refresh(first.refreshToken)
        #expect(second.refreshToken != first.refreshToken)
        #expect(second.accessToken != first.accessToken)
        #expect(second.sessionID == first.sessionID)
        #expect(try await f.verifyAccess(second.accessToken).claims.subject == "user-1")
        let third = try await f.manager.refresh(second.refreshToken)
        #expect(third.sessionID == first.sessionID)
        let family = try #require(try await f.refreshTokens.family(id: first.sessionID))
        #expect(family.generation == 2)
        #expect(family.currentTokenHash != family.usedTokenHashes.last)
    }

    @Test func reuseRevokesTheFamilyAndItsAccessTokens() async throws {
        let f = try await SessionFixture()
        let first = try await f.manager.login(username: "alice", password: "correct horse")
        let second = try await f.manager.refresh(first.refreshToken)
        // The first refresh token again: a copy is in someone else's hands.
        #expect(await sessionErrorCode { try await f.manager.refresh(first.refreshToken) } == .refreshTokenReused)
        // The legitimate holder's newer token is dead too, and so are the access tokens.
        #expect(await sessionErrorCode { try await f.manager.refresh(second.refreshToken) } == .sessionRevoked)
        for token in [first.accessToken, second.accessToken] {
            do {
                _ = try await f.verifyAccess(token)
                Issue.record("a revoked access token verified")
            } catch {
                #expect((error as? JWTError)?.code == .revoked)
            }
        }
        // Another login starts an unrelated, working session.
        let other = try await f.manager.login(username: "alice", password: "correct horse")
        _ = try await f.manager.refresh(other.refreshToken)
    }

    @Test func idleSessionsEnd() async throws {
        let f = try await SessionFixture()
        let pair = try await f.manager.login(username: "alice", password: "correct horse")
        f.clock.advance(by: 7 * 24 * 3600 + 1)
        #expect(await sessionErrorCode { try await f.manager.refresh(pair.refreshToken) } == .sessionExpired)
    }

    @Test func sessionsEndAfterTheirAbsoluteLifetime() async throws {
        let f = try await SessionFixture()
        var pair = try await f.manager.login(username: "alice", password: "correct horse")
        // Refreshing every 6 days keeps the session from idling out, until day 30.
        for _ in 0..<4 {
            f.clock.advance(by: 6 * 24 * 3600)
            pair = try await f.manager.refresh(pair.refreshToken)
        }
        f.clock.advance(by: 6 * 24 * 3600) // day 30
        #expect(await sessionErrorCode { try await f.manager.refresh(pair.refreshToken) } == .sessionExpired)
    }

    @Test(arguments: ["", "rt_", "rt_short", "xx_" + String(repeating: "A", count: 43), "rt_" + String(repeating: "A", count: 42) + "=",
                      "rt_" + String(repeating: "A", count: 43)])
    func malformedOrUnknownRefreshTokens(token: String) async throws {
        let f = try await SessionFixture()
        #expect(await sessionErrorCode { try await f.manager.refresh(token) } == .invalidRefreshToken)
    }

    @Test func logoutWithRefreshTokenRevokesSessionAndAccessTokens() async throws {
        let f = try await SessionFixture()
        let pair = try await f.manager.login(username: "alice", password: "correct horse")
        try await f.manager.logout(refreshToken: pair.refreshToken)
        #expect(await sessionErrorCode { try await f.manager.refresh(pair.refreshToken) } == .sessionRevoked)
        await #expect(throws: JWTError.self) { try await f.verifyAccess(pair.accessToken) }
        // Idempotent.
        try await f.manager.logout(refreshToken: pair.refreshToken, accessToken: pair.accessToken)
    }

    @Test func logoutWithAccessTokenOnlyRevokesItsJTIAndSession() async throws {
        let f = try await SessionFixture()
        let pair = try await f.manager.login(username: "alice", password: "correct horse")
        let jti = try #require(try await f.verifyAccess(pair.accessToken).claims.id)
        try await f.manager.logout(accessToken: pair.accessToken)
        #expect(try await f.revocations.isRevoked(jti))
        #expect(await sessionErrorCode { try await f.manager.refresh(pair.refreshToken) } == .sessionRevoked)
        // Garbage is ignored, not an error.
        try await f.manager.logout(refreshToken: "nonsense", accessToken: "a.b.c")
    }

    @Test func revokeAllSessionsOfAUser() async throws {
        let f = try await SessionFixture()
        let a = try await f.manager.login(username: "alice", password: "correct horse")
        let b = try await f.manager.login(username: "alice", password: "correct horse")
        #expect(try await f.manager.revokeAllSessions(subject: "user-1") == 2)
        for pair in [a, b] {
            #expect(await sessionErrorCode { try await f.manager.refresh(pair.refreshToken) } == .sessionRevoked)
        }
    }

    @Test func opaqueAccessTokens() async throws {
        let f = try await SessionFixture(format: .opaque)
        let verifier = OpaqueTokenVerifier(store: f.opaque, clock: f.clock)
        let first = try await f.manager.login(username: "alice", password: "correct horse")
        #expect(first.accessToken.hasPrefix("oat_"))
        let record = try await verifier.verify(first.accessToken)
        #expect(record.subject == "user-1")
        #expect(record.scopes == ["items:read", "items:write"])
        #expect(record.sessionID == first.sessionID)
        #expect(record.tokenHash != first.accessToken) // stored by hash only

        let second = try await f.manager.refresh(first.refreshToken)
        _ = try await verifier.verify(second.accessToken)

        f.clock.advance(by: 901)
        #expect(await sessionErrorCode { try await verifier.verify(second.accessToken) } == .tokenExpired)
        #expect(await sessionErrorCode { try await verifier.verify("oat_" + String(repeating: "A", count: 43)) } == .invalidToken)
        #expect(await sessionErrorCode { try await verifier.verify("oat_bad") } == .invalidToken)

        // Reuse deletes the family's opaque tokens.
        let third = try await f.manager.refresh(second.refreshToken)
        #expect(await sessionErrorCode { try await f.manager.refresh(second.refreshToken) } == .refreshTokenReused)
        #expect(await sessionErrorCode { try await verifier.verify(third.accessToken) } == .invalidToken)
    }

    @Test func opaqueLogoutDeletesTheToken() async throws {
        let f = try await SessionFixture(format: .opaque)
        let verifier = OpaqueTokenVerifier(store: f.opaque, clock: f.clock)
        let pair = try await f.manager.login(username: "alice", password: "correct horse")
        try await f.manager.logout(accessToken: pair.accessToken)
        #expect(await sessionErrorCode { try await verifier.verify(pair.accessToken) } == .invalidToken)
        #expect(await sessionErrorCode { try await f.manager.refresh(pair.refreshToken) } == .sessionRevoked)
    }

    @Test func invalidConfigurationIsRejected() async throws {
        var configuration = SessionConfiguration(issuer: "i", audience: ["a"])
        configuration.accessTokenFormat = .opaque
        let key = try HMACJWTKey(.hs256, secret: Array(repeating: UInt8(1), count: 32))
        #expect(throws: SessionError.self) {
            try SessionManager(
                users: InMemoryUserStore(), signingKey: key, refreshTokens: InMemoryRefreshTokenStore(),
                revocationList: InMemoryRevocationList(), configuration: configuration,
                passwordHasher: PasswordHasher(iterations: 1)
            )
        }
    }

    @Test func failingStoresFailClosed() async throws {
        struct BrokenUsers: UserStore {
            func user(named username: String) async throws -> UserRecord? { throw CocoaError(.fileReadUnknown) }
        }
        let f = try await SessionFixture()
        let manager = try SessionManager(
            users: BrokenUsers(), signingKey: try HMACJWTKey(.hs256, secret: Array(repeating: UInt8(7), count: 32)),
            refreshTokens: f.refreshTokens, revocationList: f.revocations,
            configuration: SessionConfiguration(issuer: "i", audience: ["a"]), passwordHasher: PasswordHasher(iterations: 1)
        )
        do {
            _ = try await manager.login(username: "alice", password: "correct horse")
            Issue.record("expected a failure")
        } catch {
            #expect(error.code == .unavailable)
            #expect(error.failureKind == .unavailable)
            #expect(error.machineCode == "session.unavailable")
        }
    }
}

@Suite struct SessionConcurrencyTests {
    static let stores: [String] = ["memory", "journal"]

    /// 100 concurrent refreshes with one token: exactly one succeeds; the rest are reuse (or
    /// find the family already revoked by an earlier reuse).
    @Test(arguments: stores)
    func hundredConcurrentRefreshesExactlyOneSucceeds(store: String) async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let refreshTokens: any RefreshTokenStore = store == "memory"
            ? InMemoryRefreshTokenStore()
            : try JournalRefreshTokenStore(fileURL: directory.appendingPathComponent("refresh.journal"))
        let f = try await SessionFixture(refreshTokens: refreshTokens)
        let pair = try await f.manager.login(username: "alice", password: "correct horse")
        let manager = f.manager
        let results = await withTaskGroup(of: Result<TokenPair, SessionError>.self) { group in
            for _ in 0..<100 {
                group.addTask {
                    do throws(SessionError) { return .success(try await manager.refresh(pair.refreshToken)) } catch {
                        return .failure(error)
                    }
                }
            }
            var all: [Result<TokenPair, SessionError>] = []
            for await result in group { all.append(result) }
            return all
        }
        let successes = results.compactMap { try? $0.get() }
        let failures = results.compactMap { result -> SessionError.Code? in
            if case .failure(let error) = result { return error.code }
            return nil
        }
        #expect(successes.count == 1)
        #expect(failures.count == 99)
        #expect(failures.allSatisfy { $0 == .refreshTokenReused || $0 == .sessionRevoked })
        #expect(failures.contains(.refreshTokenReused))
    }
}

func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("token-auth-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
