extension JWTVerifier {
    /// The full asynchronous verification of one token: parse, obtain keys from `keys` (which
    /// may fetch a remote JWKS), verify signature and claims, then consult `revocationList`.
    ///
    /// The order matters: nothing is fetched for a token that fails structural checks, and the
    /// revocation list sees only tokens with a valid signature and valid claims.
    ///
    /// - Parameters:
    ///   - token: The compact serialization.
    ///   - type: The caller's claims type.
    ///   - keys: Where the keys come from: a ``JWTKeySet`` or a remote resolver.
    ///   - options: Validation options.
    ///   - clock: The time source.
    ///   - revocationList: When given, `jti` is required and must not be revoked.
    /// - Returns: The verified token.
    /// - Throws: ``JWTError``; ``JWTError/Code/unavailable`` when keys or the revocation list
    ///   cannot be consulted (the token is refused, never accepted).
    public static func verify<Payload: Decodable & Sendable>(
        _ token: String,
        as type: Payload.Type,
        keys: any JWTKeyResolver,
        options: JWTValidationOptions = JWTValidationOptions(),
        clock: any WallClock = SystemClock(),
        revocationList: (any RevocationList)? = nil
    ) async throws(JWTError) -> VerifiedJWT<Payload> {
        try await verify(token, as: type, keys: keys, options: options, clock: clock, revocationList: revocationList, headerCache: nil)
    }

    /// ``verify(_:as:keys:options:clock:revocationList:)`` with a cache of the protected headers
    /// already accepted under `options` (an authenticator keeps one across requests).
    package nonisolated(nonsending) static func verify<Payload: Decodable & Sendable>(
        _ token: String,
        as type: Payload.Type,
        keys: any JWTKeyResolver,
        options: JWTValidationOptions,
        clock: any WallClock,
        revocationList: (any RevocationList)?,
        headerCache: JWTHeaderCache?
    ) async throws(JWTError) -> VerifiedJWT<Payload> {
        let unverified = try UnverifiedJWT(
            parsing: token, maximumSize: options.maximumTokenSize, maximumDepth: options.maximumJSONDepth,
            understoodCritical: options.understoodCriticalHeaders, headerCache: headerCache
        )
        let keySet: JWTKeySet
        do {
            keySet = try await keys.keySet(for: unverified.header)
        } catch let error as JWTError {
            throw error
        } catch {
            throw JWTError(.unavailable, "the verification keys could not be obtained")
        }
        let verified = try JWTVerifier(oneShotWithKeys: keySet, options: options, clock: clock).verify(unverified, as: type)
        if let revocationList { try await ensureNotRevoked(verified.claims.id, in: revocationList) }
        return verified
    }

    /// Refuses a token whose `jti` is missing or revoked in `revocationList`.
    ///
    /// Runs on the caller's executor (no hop of its own: the list may hop to its actor).
    ///
    /// - Throws: ``JWTError/Code/missingClaim`` without a `jti`, ``JWTError/Code/revoked``, or
    ///   ``JWTError/Code/unavailable`` when the list cannot be consulted (fail closed).
    package nonisolated(nonsending) static func ensureNotRevoked(_ jti: String?, in revocationList: any RevocationList) async throws(JWTError) {
        guard let jti else {
            throw JWTError(.missingClaim, "the jti claim is required to check revocation")
        }
        let revoked: Bool
        do {
            revoked = try await revocationList.isRevoked(jti)
        } catch {
            throw JWTError(.unavailable, "the revocation list could not be consulted")
        }
        guard !revoked else { throw JWTError(.revoked, "the token has been revoked") }
    }
}
