import Foundation

/// The session life cycle: login with a password, short-lived access tokens, refresh-token
/// rotation with reuse detection, logout and revocation.
///
/// - **Login** checks the password with ``PasswordHasher`` (PBKDF2, PHC format). An unknown
///   user is checked against a dummy hash of the same cost, so both failures take the same path
///   and time and give the same ``SessionError/Code/invalidCredentials``.
/// - **Access tokens** are JWTs signed with the HMAC key (`sub`, `iat`, `exp`, `jti`, `iss`,
///   `aud`, `scope`, and `sid`, the session id), 15 minutes by default; or opaque tokens stored by
///   hash (``SessionConfiguration/AccessTokenFormat/opaque``).
/// - **Refresh tokens** are opaque (`rt_` + 256 random bits), stored only as SHA-256 hashes, in
///   a family started at login. Each refresh **rotates**; presenting a used token again is
///   **reuse**: the family is revoked and its access tokens go on the revocation list
///   (RFC 9700 §4.14.2). Families end after 30 days, or 7 idle days.
/// - **Logout** revokes the family and its access tokens.
///
/// ```swift
/// let sessions = try SessionManager(
///     users: users, signingKey: try HMACJWTKey(.hs256, secret: secret),
///     refreshTokens: InMemoryRefreshTokenStore(), revocationList: InMemoryRevocationList(),
///     configuration: SessionConfiguration(issuer: "https://auth.example", audience: ["api"]))
/// let pair = try await sessions.login(username: "alice", password: "…")
/// let next = try await sessions.refresh(pair.refreshToken)
/// try await sessions.logout(refreshToken: next.refreshToken, accessToken: next.accessToken)
/// ```
///
/// Every operation reads the injected clock and random source. All methods throw
/// ``SessionError``; store failures become ``SessionError/Code/unavailable`` (fail closed).
public struct SessionManager: Sendable {
    /// Where login looks users up.
    public let users: any UserStore
    /// Where refresh-token families live.
    public let refreshTokens: any RefreshTokenStore
    /// Where revoked access-token ids go.
    public let revocationList: any RevocationList
    /// The store for opaque access tokens, if that format is used.
    public let opaqueTokens: (any OpaqueTokenStore)?
    /// Lifetimes, issuer and audience.
    public let configuration: SessionConfiguration
    /// Verifies passwords (and shaped the dummy hash).
    public let passwordHasher: PasswordHasher
    /// The time source of every operation.
    public let clock: any WallClock
    /// The randomness for tokens and ids.
    public let random: any RandomSource
    private let signingKey: HMACJWTKey
    /// A hash of a random password with the hasher's parameters: what unknown users are
    /// checked against.
    private let dummyHash: String

    /// Creates a manager.
    /// - Parameters:
    ///   - users: where login looks users up.
    ///   - signingKey: the HMAC key access JWTs are signed with (and verified with, at logout).
    ///   - refreshTokens: where refresh-token families live.
    ///   - revocationList: where revoked access-token ids go; give the same list to the
    ///     `JWTAuthenticator` that checks access tokens.
    ///   - opaqueTokens: the store for opaque access tokens; required when the configuration
    ///     asks for them.
    ///   - configuration: lifetimes, issuer and audience.
    ///   - passwordHasher: checks passwords; its parameters also shape the dummy hash.
    ///   - clock: the time source for every operation.
    ///   - random: the randomness for tokens and ids.
    /// - Throws: ``SessionError/Code/invalidConfiguration`` for non-positive lifetimes or an
    ///   opaque format without a store; ``SessionError/Code/unavailable`` when the dummy hash
    ///   cannot be made.
    public init(
        users: any UserStore,
        signingKey: HMACJWTKey,
        refreshTokens: any RefreshTokenStore,
        revocationList: any RevocationList,
        opaqueTokens: (any OpaqueTokenStore)? = nil,
        configuration: SessionConfiguration,
        passwordHasher: PasswordHasher = PasswordHasher(),
        clock: any WallClock = SystemClock(),
        random: any RandomSource = SystemRandomSource()
    ) throws(SessionError) {
        for lifetime in [configuration.accessTokenTimeToLive, configuration.sessionLifetime, configuration.sessionIdleTimeout] {
            guard lifetime.isFinite, lifetime > 0 else {
                throw SessionError(.invalidConfiguration, "token and session lifetimes must be positive")
            }
        }
        if configuration.accessTokenFormat == .opaque, opaqueTokens == nil {
            throw SessionError(.invalidConfiguration, "opaque access tokens need an OpaqueTokenStore")
        }
        self.users = users
        self.signingKey = signingKey
        self.refreshTokens = refreshTokens
        self.revocationList = revocationList
        self.opaqueTokens = opaqueTokens
        self.configuration = configuration
        self.passwordHasher = passwordHasher
        self.clock = clock
        self.random = random
        do {
            dummyHash = try passwordHasher.hash(random.bytes(count: 32))
        } catch {
            throw SessionError(.unavailable, "the dummy password hash cannot be made: \(error.reason)")
        }
    }

    // MARK: - Verifying access tokens

    /// The keys that verify this manager's access JWTs, for a `JWTAuthenticator`.
    public var accessTokenKeys: JWTKeySet {
        get throws(SessionError) {
            do {
                return try JWTKeySet([signingKey])
            } catch {
                throw SessionError(.invalidConfiguration, "the signing key cannot verify: \(error.reason)")
            }
        }
    }

    /// Validation options matching the access JWTs this manager issues: `iss`, `aud` and
    /// `sub`, `exp`, `iat`, `jti` required, and a lifetime no longer than configured.
    public var accessTokenValidationOptions: JWTValidationOptions {
        var options = JWTValidationOptions()
        options.acceptedIssuers = [configuration.issuer]
        options.acceptedAudiences = Set(configuration.audience)
        options.requiredClaims = ["sub", "exp", "iat", "jti"]
        options.maximumLifetime = configuration.accessTokenTimeToLive
        return options
    }

    // MARK: - Login

    /// Checks `username` and `password` and starts a session.
    ///
    /// Unknown user and wrong password take the same path: one password verification (against
    /// a dummy hash for an unknown user) and the same error.
    /// - Returns: an access token and the session's first refresh token.
    /// - Throws: ``SessionError/Code/invalidCredentials``; ``SessionError/Code/unavailable`` when
    ///   a store fails.
    public func login(username: String, password: String) async throws(SessionError) -> TokenPair {
        var user: UserRecord?
        if username.utf8.count <= configuration.maximumUsernameLength {
            do {
                user = try await users.user(named: username)
            } catch {
                throw SessionError(.unavailable, "the user store cannot be consulted")
            }
        }
        // A malformed stored hash or an over-long password counts as a mismatch.
        let matches = (try? passwordHasher.verify(password, against: user?.passwordHash ?? dummyHash)) ?? false
        guard let user, matches else {
            throw SessionError(.invalidCredentials, "the username or password is incorrect")
        }

        let now = clock.now()
        let sessionID = try randomID()
        let refreshToken = try SessionToken.generate(prefix: SessionToken.refreshPrefix, random: random)
        let scopes = Array(Set(user.scopes)).sorted()
        let (accessToken, issued) = try await issueAccessToken(subject: user.subject, scopes: scopes, sessionID: sessionID, at: now)
        let family = RefreshTokenFamily(
            id: sessionID, subject: user.subject, scopes: scopes, createdAt: now,
            expiresAt: now.addingTimeInterval(configuration.sessionLifetime),
            idleTimeout: configuration.sessionIdleTimeout,
            currentTokenHash: SessionToken.hash(refreshToken), accessTokens: [issued]
        )
        try await store { try await refreshTokens.insert(family) }
        return pair(accessToken: accessToken, refreshToken: refreshToken, scopes: scopes, sessionID: sessionID)
    }

    // MARK: - Refresh

    /// Exchanges a refresh token for a new access token and a new refresh token.
    ///
    /// The presented token is used up. Presenting it again (a stolen copy, or a replay) revokes
    /// the whole session and the access tokens it issued. Of several concurrent refreshes with
    /// one token exactly one succeeds; the rest are reuse.
    /// - Returns: the new pair.
    /// - Throws: ``SessionError/Code/invalidRefreshToken`` (unknown or malformed),
    ///   ``SessionError/Code/refreshTokenReused``, ``SessionError/Code/sessionExpired``,
    ///   ``SessionError/Code/sessionRevoked``, ``SessionError/Code/unavailable``.
    public func refresh(_ refreshToken: String) async throws(SessionError) -> TokenPair {
        guard SessionToken.isWellFormed(refreshToken, prefix: SessionToken.refreshPrefix) else {
            throw SessionError(.invalidRefreshToken, "the refresh token is malformed")
        }
        let presentedHash = SessionToken.hash(refreshToken)
        let now = clock.now()
        // Subject, scopes and id never change; the rotation below decides atomically.
        guard let family = try await store({ try await refreshTokens.family(containing: presentedHash) }) else {
            throw SessionError(.invalidRefreshToken, "the refresh token is not known")
        }
        // Cheap refusals before signing anything; the rotation below stays the authority.
        if family.isRevoked { throw SessionError(.sessionRevoked, "the session has been revoked; log in again") }
        if family.isExpired(at: now) { throw SessionError(.sessionExpired, "the session has expired; log in again") }
        let newToken = try SessionToken.generate(prefix: SessionToken.refreshPrefix, random: random)
        let (accessToken, issued) = try await issueAccessToken(
            subject: family.subject, scopes: family.scopes, sessionID: family.id, at: now, store: false
        )
        let outcome = try await store {
            try await refreshTokens.rotate(
                presentedHash: presentedHash, to: SessionToken.hash(newToken), issuing: issued, at: now
            )
        }
        switch outcome {
        case .rotated(let rotated):
            if configuration.accessTokenFormat == .opaque {
                try await storeOpaque(accessToken, subject: rotated.subject, scopes: rotated.scopes, sessionID: rotated.id, at: now)
            }
            return pair(accessToken: accessToken, refreshToken: newToken, scopes: rotated.scopes, sessionID: rotated.id)
        case .reused(let revoked):
            try await revokeAccessTokens(of: revoked)
            throw SessionError(.refreshTokenReused, "the refresh token was already used; the session is revoked")
        case .expired:
            throw SessionError(.sessionExpired, "the session has expired; log in again")
        case .revoked:
            throw SessionError(.sessionRevoked, "the session has been revoked; log in again")
        case .unknown:
            throw SessionError(.invalidRefreshToken, "the refresh token is not known")
        }
    }

    // MARK: - Logout and revocation

    /// Ends a session: revokes the refresh-token family and every access token it issued
    /// (including `accessToken`'s `jti`).
    ///
    /// Either token identifies the session; unknown, expired or foreign tokens are ignored, so
    /// logging out twice succeeds (as token revocation does, RFC 7009 §2.2).
    /// - Parameters:
    ///   - refreshToken: the session's refresh token, if the client has it.
    ///   - accessToken: the access token used for the request, if any.
    /// - Throws: ``SessionError/Code/unavailable`` when a store fails.
    public func logout(refreshToken: String? = nil, accessToken: String? = nil) async throws(SessionError) {
        let now = clock.now()
        var sessionIDs: [String] = []
        if let refreshToken, SessionToken.isWellFormed(refreshToken, prefix: SessionToken.refreshPrefix) {
            let hash = SessionToken.hash(refreshToken)
            if let family = try await store({ try await refreshTokens.family(containing: hash) }) {
                sessionIDs.append(family.id)
            }
        }
        if let accessToken {
            if SessionToken.isWellFormed(accessToken, prefix: SessionToken.opaqueAccessPrefix), let opaqueTokens {
                let hash = SessionToken.hash(accessToken)
                if let record = try await store({ try await opaqueTokens.record(forHash: hash) }) {
                    if let sid = record.sessionID { sessionIDs.append(sid) }
                    try await store { try await opaqueTokens.remove(hash: hash) }
                }
            } else if let verified = try? JWTVerifier(oneShotWithKeys: accessTokenKeys, options: accessTokenValidationOptions, clock: clock)
                .verify(accessToken) {
                if let jti = verified.claims.id, let exp = verified.claims.expiration {
                    try await store { try await revocationList.revoke(jti, until: exp.date) }
                }
                if case .string(let sid)? = verified.payloadJSON["sid"] { sessionIDs.append(sid) }
            }
        }
        for id in Set(sessionIDs) {
            if let family = try await store({ try await refreshTokens.revokeFamily(id: id, at: now) }) {
                try await revokeAccessTokens(of: family)
            }
        }
    }

    /// Ends every session of `subject` ("log out everywhere", after a password change).
    /// - Returns: how many sessions were revoked.
    /// - Throws: ``SessionError/Code/unavailable`` when a store fails.
    @discardableResult
    public func revokeAllSessions(subject: String) async throws(SessionError) -> Int {
        let now = clock.now()
        let families = try await store { try await refreshTokens.revokeFamilies(subject: subject, at: now) }
        for family in families { try await revokeAccessTokens(of: family) }
        return families.count
    }

    // MARK: - Helpers

    private func pair(accessToken: String, refreshToken: String, scopes: [String], sessionID: String) -> TokenPair {
        TokenPair(
            accessToken: accessToken, expiresIn: Int(configuration.accessTokenTimeToLive),
            refreshToken: refreshToken, scope: scopes.joined(separator: " "), sessionID: sessionID
        )
    }

    /// Issues an access token in the configured format. Opaque tokens are stored at once unless
    /// `store` is false (refresh stores them only after the rotation succeeded).
    private func issueAccessToken(
        subject: String, scopes: [String], sessionID: String, at now: Date, store shouldStore: Bool = true
    ) async throws(SessionError) -> (String, IssuedAccessToken) {
        let expiresAt = now.addingTimeInterval(configuration.accessTokenTimeToLive)
        switch configuration.accessTokenFormat {
        case .opaque:
            let token = try SessionToken.generate(prefix: SessionToken.opaqueAccessPrefix, random: random)
            if shouldStore { try await storeOpaque(token, subject: subject, scopes: scopes, sessionID: sessionID, at: now) }
            return (token, IssuedAccessToken(id: SessionToken.hash(token), expiresAt: expiresAt))
        case .jwt:
            let issuer = JWTIssuer(
                signer: signingKey, timeToLive: configuration.accessTokenTimeToLive,
                issuer: configuration.issuer, audience: configuration.audience,
                clock: FixedClock(date: now), random: random
            )
            var claims = JSONObject()
            claims["sub"] = .string(subject)
            claims["scope"] = .string(scopes.joined(separator: " "))
            claims["sid"] = .string(sessionID)
            do {
                let token = try issuer.issue(claims: claims)
                // Read back the jti and exp the issuer chose, to revoke this token later.
                let issued = try JWTClaims(payload: UnverifiedJWT(parsing: token).payload)
                guard let jti = issued.id, let exp = issued.expiration else {
                    throw SessionError(.unavailable, "the issued access token lacks jti or exp")
                }
                return (token, IssuedAccessToken(id: jti, expiresAt: exp.date))
            } catch let error as SessionError {
                throw error
            } catch {
                throw SessionError(.unavailable, "the access token cannot be issued")
            }
        }
    }

    private func storeOpaque(_ token: String, subject: String, scopes: [String], sessionID: String, at now: Date) async throws(SessionError) {
        guard let opaqueTokens else { throw SessionError(.invalidConfiguration, "no opaque-token store") }
        let record = OpaqueTokenRecord(
            tokenHash: SessionToken.hash(token), subject: subject, scopes: scopes, issuedAt: now,
            expiresAt: now.addingTimeInterval(configuration.accessTokenTimeToLive), sessionID: sessionID
        )
        try await store { try await opaqueTokens.insert(record) }
    }

    /// Puts every live access token of `family` on the revocation list (JWTs) or deletes them
    /// from the opaque store.
    private func revokeAccessTokens(of family: RefreshTokenFamily) async throws(SessionError) {
        let now = clock.now()
        switch configuration.accessTokenFormat {
        case .jwt:
            for token in family.accessTokens where token.expiresAt > now {
                try await store { try await revocationList.revoke(token.id, until: token.expiresAt) }
            }
        case .opaque:
            guard let opaqueTokens else { return }
            try await store { try await opaqueTokens.removeAll(subject: family.subject, sessionID: family.id) }
        }
    }

    private func randomID() throws(SessionError) -> String {
        do {
            return Base64URL.encode(try random.bytes(count: 16))
        } catch {
            throw SessionError(.unavailable, "no randomness for a session id")
        }
    }

    /// Runs a store operation; any failure other than a ``SessionError`` is reported as
    /// ``SessionError/Code/unavailable`` (fail closed, without the store's details).
    @discardableResult
    private func store<T>(_ operation: () async throws -> T) async throws(SessionError) -> T {
        do {
            return try await operation()
        } catch let error as SessionError {
            throw error
        } catch {
            throw SessionError(.unavailable, "a session store cannot be consulted")
        }
    }
}

/// A clock stopped at one instant, so a token's `iat` equals the operation's `now`.
private struct FixedClock: WallClock {
    let date: Date
    func now() -> Date { date }
}
