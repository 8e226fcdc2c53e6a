import Foundation
public import TokenCore

/// Authenticates requests carrying `Authorization: Bearer <JWT>` (RFC 6750 §2.1).
///
/// Returns `nil` when the request has no Bearer credential (another authenticator may find
/// one). Otherwise the token is verified by ``TokenCore/JWTVerifier`` rules — keys from a
/// ``TokenCore/JWTKeyResolver`` (a ``TokenCore/JWTKeySet`` or a remote JWKS), then signature,
/// claims and the optional revocation list — and a failure throws ``AuthenticationError`` with
/// the ``TokenCore/JWTError`` code (`jwt.expired`, …), which the error middleware turns into
/// `401` with `WWW-Authenticate: Bearer realm="…", error="invalid_token", error_description="…"`.
///
/// The principal has the token's `sub` (required), scopes from a `scope` string (RFC 8693 §4.2)
/// or an `scp` array, attributes `kid`, `iss` and `jti` when present, and the whole
/// ``TokenCore/VerifiedJWT`` as ``Principal/details``.
///
/// ```swift
/// struct Claims: Decodable, Sendable { var sub: String; var name: String }
/// let auth = JWTAuthenticator(keys: keySet, options: options, payload: Claims.self, realm: "api")
/// // in a handler:
/// let jwt = try request.identities.require(VerifiedJWT<Claims>.self)
/// ```
public struct JWTAuthenticator<Payload: Decodable & Sendable>: Authenticator {
    public let name: String
    /// The `realm` of the challenge.
    public let realm: String
    /// Where verification keys come from.
    public let keys: any JWTKeyResolver
    /// What is required of a token; `sub` is always among ``TokenCore/JWTValidationOptions/requiredClaims``.
    public let options: JWTValidationOptions
    /// The time source for claims.
    public let clock: any WallClock
    /// Consulted for each token's `jti` after its signature and claims verify, when set.
    public let revocationList: (any RevocationList)?
    /// Whether a Bearer token that is not shaped like a JWS compact token (three segments
    /// separated by exactly two dots) is left to another authenticator (`nil`) instead of
    /// rejected. `false` by default: a lone JWT authenticator answers garbage with
    /// `error="invalid_token"`. Set it when another Bearer format shares the route, such as an
    /// ``OpaqueTokenAuthenticator``, so each claims only its own tokens. A token with two dots
    /// is always this authenticator's, and fails loudly when invalid.
    public let ignoresNonJWTBearerTokens: Bool
    /// Verified tokens kept for reuse, when set (opt-in; see ``VerifiedCredentialCache``): a hit
    /// skips parsing, signature and claim checks until the token's `exp` (or the cache's
    /// maximum age), while the revocation list is still consulted on every request.
    public let cache: VerifiedCredentialCache?
    /// Binds this authenticator's cache entries to it (and its copies).
    private let cacheOwner = VerifiedCredentialCache.Owner()
    /// How tokens are verified, decided once from ``keys``.
    private let verification: Verification

    /// With a fixed ``TokenCore/JWTKeySet``, one ``TokenCore/JWTVerifier`` built at
    /// initialisation serves every request: no key lookup suspends, and the verifier remembers
    /// the few protected headers its issuers repeat. With a resolver, keys are obtained per
    /// token and a header cache of the same kind is kept here (the options never change).
    private enum Verification: Sendable {
        case fixed(JWTVerifier)
        case resolved(any JWTKeyResolver, JWTHeaderCache)
    }

    /// Creates an authenticator decoding payloads as `Payload`.
    /// - Parameters:
    ///   - keys: A ``TokenCore/JWTKeySet`` or a remote key resolver.
    ///   - options: Validation options.
    ///   - payload: The claims type handlers read from ``TokenCore/VerifiedJWT/payload``.
    ///   - realm: The challenge's `realm`.
    ///   - name: The authenticator's name in principals and logs (default `"jwt"`).
    ///   - clock: The time source.
    ///   - revocationList: When set, `jti` is required and must not be revoked.
    ///   - ignoresNonJWTBearerTokens: Leave Bearer tokens that are not JWS-shaped to another
    ///     authenticator (default `false`); see ``ignoresNonJWTBearerTokens``.
    ///   - cache: Reuse verified tokens until they expire (default `nil`, off); see
    ///     ``VerifiedCredentialCache`` for what a hit skips and what it still checks.
    public init(
        keys: some JWTKeyResolver,
        options: JWTValidationOptions = JWTValidationOptions(),
        payload: Payload.Type,
        realm: String = "api",
        name: String = "jwt",
        clock: any WallClock = SystemClock(),
        revocationList: (any RevocationList)? = nil,
        ignoresNonJWTBearerTokens: Bool = false,
        cache: VerifiedCredentialCache? = nil
    ) {
        self.keys = keys
        var options = options
        // The principal's subject comes from `sub`, so it is required like any configured claim.
        options.requiredClaims.insert("sub")
        self.options = options
        if let keySet = keys as? JWTKeySet {
            verification = .fixed(JWTVerifier(keys: keySet, options: options, clock: clock))
        } else {
            verification = .resolved(keys, JWTHeaderCache())
        }
        self.realm = realm
        self.name = name
        self.clock = clock
        self.revocationList = revocationList
        self.ignoresNonJWTBearerTokens = ignoresNonJWTBearerTokens
        self.cache = cache
    }

    /// `Bearer realm="…"`; the error middleware adds `error` and `error_description` on failure.
    public var challenge: AuthenticationChallenge {
        AuthenticationChallenge(scheme: "Bearer", parameters: [.init("realm", realm)])
    }

    /// The challenge for a rejected credential: `Bearer realm="…", error="invalid_token",
    /// error_description="…"` (RFC 6750 §3), or `error="invalid_request"` for a malformed
    /// request; the plain challenge for a missing credential.
    public func challenge(for error: AuthenticationError) -> AuthenticationChallenge {
        switch error.kind {
        case .missing, .unavailable: challenge
        case .invalid: challenge.with("error", "invalid_token").with("error_description", error.reason)
        case .malformedRequest: challenge.with("error", "invalid_request").with("error_description", error.reason)
        }
    }

    public func authenticate(_ request: HTTPRequest) async throws -> Principal? {
        guard let token = try request.headers.bearerToken() else { return nil }
        if ignoresNonJWTBearerTokens, !Self.isJWSShaped(token) { return nil }
        do throws(JWTError) {
            // The cache path is written out here rather than in a helper: each async call level
            // costs the runtime an executor check (swift_task_switch) on every request. The
            // revocation check is `nonisolated(nonsending)`, so it runs on this executor.
            let now = clock.now()
            if let cache, let entry = cache.entry(for: token, owner: cacheOwner, now: now) {
                if let revocationList {
                    // Entries of this owner were stored after the same check, so they carry a jti.
                    do throws(JWTError) {
                        try await JWTVerifier.ensureNotRevoked(entry.revocationID, in: revocationList)
                    } catch {
                        if error.code == .revoked { cache.remove(token) }
                        throw error
                    }
                }
                return entry.principal
            }
            let verified: VerifiedJWT<Payload>
            switch verification {
            case .fixed(let verifier):
                verified = try verifier.verify(token, as: Payload.self)
                if let revocationList { try await JWTVerifier.ensureNotRevoked(verified.claims.id, in: revocationList) }
            case .resolved(let resolver, let headerCache):
                verified = try await JWTVerifier.verify(
                    token, as: Payload.self, keys: resolver, options: options, clock: clock,
                    revocationList: revocationList, headerCache: headerCache
                )
            }
            let principal = try principal(for: verified)
            if let cache { store(principal, of: verified, token: token, in: cache, now: now) }
            return principal
        } catch {
            throw AuthenticationError(error, authenticator: name)
        }
    }

    /// Caches `principal` until the token's `exp` (no later than `iat` plus the maximum age when
    /// one is configured). Tokens without `exp` are not cached.
    private func store(_ principal: Principal, of verified: VerifiedJWT<Payload>, token: String, in cache: VerifiedCredentialCache, now: Date) {
        guard var until = verified.claims.expiration?.secondsSince1970 else { return }
        if let maximumAge = options.maximumAge {
            guard let iat = verified.claims.issuedAt?.secondsSince1970 else { return }
            until = min(until, iat + maximumAge)
        }
        cache.insert(
            principal, for: token, owner: cacheOwner, revocationID: verified.claims.id,
            validUntil: Date(timeIntervalSince1970: until), now: now
        )
    }

    static func isJWSShaped(_ token: String) -> Bool {
        var dots = 0
        for byte in token.utf8 where byte == UInt8(ascii: ".") { dots += 1 }
        return dots == 2
    }

    /// Builds the principal for a verified token.
    func principal(for jwt: VerifiedJWT<Payload>) throws(JWTError) -> Principal {
        guard let subject = jwt.claims.subject else {
            throw JWTError(.missingClaim, "the sub claim is missing")
        }
        var scopes = Set<String>()
        if let scope = jwt.payloadJSON["scope"] {
            guard case .string(let text) = scope else {
                throw JWTError(.malformedClaim, "the scope claim is not a string (RFC 8693 §4.2)")
            }
            Self.insertScopes(of: text, into: &scopes)
        }
        if let scp = jwt.payloadJSON["scp"] {
            switch scp {
            case .string(let text): Self.insertScopes(of: text, into: &scopes)
            case .array(let values):
                for value in values {
                    guard case .string(let s) = value else { throw JWTError(.malformedClaim, "the scp claim contains a non-string") }
                    scopes.insert(s)
                }
            default: throw JWTError(.malformedClaim, "the scp claim is neither a string nor an array of strings")
            }
        }
        var attributes: [String: String] = [:]
        attributes.reserveCapacity(4)
        attributes["alg"] = jwt.header.algorithm.rawValue
        if let kid = jwt.header.keyID { attributes["kid"] = kid }
        if let iss = jwt.claims.issuer { attributes["iss"] = iss }
        if let jti = jwt.claims.id { attributes["jti"] = jti }
        return Principal(subject: subject, authenticator: name, scopes: scopes, attributes: attributes, details: jwt)
    }
}

extension JWTAuthenticator {
    /// Adds the space-separated scope tokens of `text` to `scopes` (RFC 6749 §3.3: tokens are
    /// printable ASCII, so splitting on the byte 0x20 is exact; runs of spaces add nothing).
    static func insertScopes(of text: String, into scopes: inout Set<String>) {
        let utf8 = text.utf8
        var start = utf8.startIndex
        while start != utf8.endIndex {
            let end = utf8[start...].firstIndex(of: UInt8(ascii: " ")) ?? utf8.endIndex
            if start != end { scopes.insert(String(text[start..<end])) }
            start = end == utf8.endIndex ? end : utf8.index(after: end)
        }
    }
}

extension JWTAuthenticator where Payload == JWTClaims {
    /// Creates an authenticator whose principals carry the registered claims only.
    public init(
        keys: some JWTKeyResolver,
        options: JWTValidationOptions = JWTValidationOptions(),
        realm: String = "api",
        name: String = "jwt",
        clock: any WallClock = SystemClock(),
        revocationList: (any RevocationList)? = nil,
        ignoresNonJWTBearerTokens: Bool = false,
        cache: VerifiedCredentialCache? = nil
    ) {
        self.init(
            keys: keys, options: options, payload: JWTClaims.self, realm: realm, name: name, clock: clock,
            revocationList: revocationList, ignoresNonJWTBearerTokens: ignoresNonJWTBearerTokens, cache: cache
        )
    }
}
