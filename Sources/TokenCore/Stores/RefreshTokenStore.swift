public import Foundation

/// Where refresh-token families live (RFC 9700 §4.14.2: refresh token rotation with reuse
/// detection).
///
/// A *family* starts at login and holds one current refresh token (by hash); every refresh
/// replaces it. Contract for implementations:
/// - ``rotate(presentedHash:to:issuing:at:)`` is **atomic**: of any number of concurrent calls
///   with the same presented hash, at most one returns ``RefreshRotation/rotated(_:)``; the
///   others see the hash as already used and get ``RefreshRotation/reused(_:)``, which revokes
///   the family in the same step. A database implementation does this in one transaction
///   (compare-and-set on the current hash); the in-process ones run inside an actor.
/// - Nothing is acknowledged before it is stored: a durable implementation persists a change
///   before returning.
/// - Failures to consult or write the store throw; callers refuse the operation (fail closed).
/// - Every operation takes the time from the caller, which reads the injected clock.
public protocol RefreshTokenStore: Sendable {
    /// Stores a new family (at login).
    /// - Throws: ``SessionError/Code/unavailable`` when the store is full or cannot be written.
    func insert(_ family: RefreshTokenFamily) async throws

    /// Rotates the family whose *current* token has hash `presentedHash`: `newHash` becomes
    /// current, the presented one is remembered as used, `accessToken` is recorded so reuse can
    /// revoke it, and the idle timer restarts at `now`.
    /// - Returns: what happened; see ``RefreshRotation``.
    func rotate(
        presentedHash: String, to newHash: String, issuing accessToken: IssuedAccessToken, at now: Date
    ) async throws -> RefreshRotation

    /// The family with id `id`, revoked or expired or not (check ``RefreshTokenFamily/isExpired(at:)``),
    /// or `nil` when unknown. Expired families may be dropped at any time.
    func family(id: String) async throws -> RefreshTokenFamily?

    /// The family that issued the token with hash `tokenHash` (current or already used),
    /// revoked or expired or not, or `nil` when unknown.
    func family(containing tokenHash: String) async throws -> RefreshTokenFamily?

    /// Revokes family `id` (logout). Revoking twice keeps the first time.
    /// - Returns: the family as revoked, or `nil` when unknown or expired.
    func revokeFamily(id: String, at now: Date) async throws -> RefreshTokenFamily?

    /// Revokes every live family of `subject` ("log out everywhere", a password change).
    /// - Returns: the families revoked now.
    func revokeFamilies(subject: String, at now: Date) async throws -> [RefreshTokenFamily]
}

/// The outcome of ``RefreshTokenStore/rotate(presentedHash:to:issuing:at:)``.
public enum RefreshRotation: Sendable, Hashable {
    /// The token was current: the family after rotation.
    case rotated(RefreshTokenFamily)
    /// The token had already been used: the family, now revoked. Revoke its access tokens.
    case reused(RefreshTokenFamily)
    /// The family passed its absolute lifetime or idled out; it has been dropped.
    case expired(RefreshTokenFamily)
    /// The family had been revoked before.
    case revoked(RefreshTokenFamily)
    /// No family knows the token.
    case unknown
}

/// An access token a family issued: enough to put it on a revocation list.
public struct IssuedAccessToken: Sendable, Hashable, Codable {
    /// The token's id (`jti`, RFC 7519 §4.1.7, or an opaque token's hash).
    public var id: String
    /// When the token expires; a revocation entry need only last until then.
    public var expiresAt: Date

    /// Creates a record.
    public init(id: String, expiresAt: Date) {
        self.id = id
        self.expiresAt = expiresAt
    }
}

/// One refresh-token family: a login session and its chain of rotated refresh tokens.
public struct RefreshTokenFamily: Sendable, Hashable, Codable {
    /// A random id, also put in the access tokens as `sid`.
    public var id: String
    /// The user the session belongs to.
    public var subject: String
    /// The scopes granted at login, carried into every access token.
    public var scopes: [String]
    /// The login time.
    public var createdAt: Date
    /// The last login or refresh; the idle timeout counts from here.
    public var lastUsedAt: Date
    /// The absolute end of the session, whatever its activity (default 30 days after login).
    public var expiresAt: Date
    /// How long the session may go without a refresh (default 7 days).
    public var idleTimeout: TimeInterval
    /// SHA-256 (hex) of the one refresh token that may be used next.
    public var currentTokenHash: String
    /// Hashes of tokens already used, newest last; presenting one again is reuse. Bounded by
    /// ``RefreshTokenFamily/maximumUsedTokenHashes``: a token older than that is merely unknown.
    public var usedTokenHashes: [String]
    /// Access tokens issued and not yet expired, revoked with the family on reuse.
    public var accessTokens: [IssuedAccessToken]
    /// How many refreshes the family has seen.
    public var generation: Int
    /// When the family was revoked, or `nil`.
    public var revokedAt: Date?

    /// The most used-token hashes a family remembers.
    public static let maximumUsedTokenHashes = 64
    /// The most unexpired access tokens a family tracks.
    public static let maximumAccessTokens = 64

    /// Creates a family at login.
    public init(
        id: String, subject: String, scopes: [String], createdAt: Date, expiresAt: Date,
        idleTimeout: TimeInterval, currentTokenHash: String, accessTokens: [IssuedAccessToken] = []
    ) {
        self.id = id
        self.subject = subject
        self.scopes = scopes
        self.createdAt = createdAt
        self.lastUsedAt = createdAt
        self.expiresAt = expiresAt
        self.idleTimeout = idleTimeout
        self.currentTokenHash = currentTokenHash
        self.usedTokenHashes = []
        self.accessTokens = accessTokens
        self.generation = 0
        self.revokedAt = nil
    }

    /// When the session ends if it is not refreshed before: the earlier of the absolute expiry
    /// and the idle deadline.
    public var idleExpiresAt: Date { min(expiresAt, lastUsedAt.addingTimeInterval(idleTimeout)) }

    /// Whether the session has ended by time at `now`.
    public func isExpired(at now: Date) -> Bool { now >= idleExpiresAt }

    /// Whether the family has been revoked.
    public var isRevoked: Bool { revokedAt != nil }

    /// Every token hash the family answers for.
    var allTokenHashes: [String] { [currentTokenHash] + usedTokenHashes }
}
