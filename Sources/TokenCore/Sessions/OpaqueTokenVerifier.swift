import Foundation

/// Validates opaque access tokens (`oat_…`) by looking their hash up in an
/// ``OpaqueTokenStore``.
///
/// ```swift
/// let verifier = OpaqueTokenVerifier(store: store)
/// let record = try await verifier.verify(token)   // subject, scopes, expiry
/// ```
public struct OpaqueTokenVerifier: Sendable {
    /// Where the records live.
    public let store: any OpaqueTokenStore
    /// The time expiry is checked against.
    public let clock: any WallClock

    /// Creates a verifier.
    public init(store: any OpaqueTokenStore, clock: any WallClock = SystemClock()) {
        self.store = store
        self.clock = clock
    }

    /// Whether `token` looks like an opaque access token (prefix and length), without a lookup.
    /// An authenticator uses it to leave other Bearer tokens (JWTs) to other authenticators.
    public static func isOpaqueAccessToken(_ token: String) -> Bool {
        token.hasPrefix(SessionToken.opaqueAccessPrefix)
    }

    /// Looks `token` up.
    /// - Returns: the stored record.
    /// - Throws: ``SessionError/Code/invalidToken`` for a malformed, unknown or revoked token,
    ///   ``SessionError/Code/tokenExpired`` for an expired one, ``SessionError/Code/unavailable``
    ///   when the store fails.
    public func verify(_ token: String) async throws(SessionError) -> OpaqueTokenRecord {
        guard SessionToken.isWellFormed(token, prefix: SessionToken.opaqueAccessPrefix) else {
            throw SessionError(.invalidToken, "the access token is malformed")
        }
        let hash = SessionToken.hash(token)
        let now = clock.now()
        let record: OpaqueTokenRecord?
        do {
            record = try await store.record(forHash: hash)
        } catch {
            throw SessionError(.unavailable, "the token store cannot be consulted")
        }
        guard let record, ConstantTime.isEqual(Array(record.tokenHash.utf8), Array(hash.utf8)) else {
            throw SessionError(.invalidToken, "the access token is not known")
        }
        guard !record.isExpired(at: now) else { throw SessionError(.tokenExpired, "the access token has expired") }
        return record
    }
}
