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
        let unverified = try UnverifiedJWT(parsing: token, options: options)
        let keySet: JWTKeySet
        do {
            keySet = try await keys.keySet(for: unverified.header)
        } catch let error as JWTError {
            throw error
        } catch {
            throw JWTError(.unavailable, "the verification keys could not be obtained")
        }
        let verified = try JWTVerifier(oneShotWithKeys: keySet, options: options, clock: clock).verify(unverified, as: type)
        if let revocationList {
            guard let jti = verified.claims.id else {
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
        return verified
    }
}
