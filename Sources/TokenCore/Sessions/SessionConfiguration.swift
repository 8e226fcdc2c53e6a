public import Foundation

/// Lifetimes and claims for the tokens a ``SessionManager`` issues.
public struct SessionConfiguration: Sendable {
    /// What kind of access token to issue.
    public enum AccessTokenFormat: Sendable, Hashable {
        /// A JWT signed with the manager's HMAC key, verified without a lookup.
        case jwt
        /// An opaque `oat_…` token stored by hash in an ``OpaqueTokenStore``, verified by lookup.
        case opaque
    }

    /// The access token format (default ``AccessTokenFormat/jwt``).
    public var accessTokenFormat: AccessTokenFormat = .jwt
    /// Access-token lifetime (default 15 minutes).
    public var accessTokenTimeToLive: TimeInterval = 15 * 60
    /// Absolute lifetime of a session (refresh-token family) from login (default 30 days).
    public var sessionLifetime: TimeInterval = 30 * 24 * 3600
    /// How long a session may go unrefreshed before it ends (default 7 days).
    public var sessionIdleTimeout: TimeInterval = 7 * 24 * 3600
    /// The `iss` claim of access tokens (RFC 7519 §4.1.1).
    public var issuer: String
    /// The `aud` claim of access tokens (RFC 7519 §4.1.3).
    public var audience: [String]
    /// The longest username accepted; longer ones fail like an unknown user (same work).
    public var maximumUsernameLength = 256

    /// Creates a configuration with the default lifetimes.
    /// - Parameters:
    ///   - issuer: the `iss` of access tokens.
    ///   - audience: the `aud` of access tokens.
    public init(issuer: String, audience: [String]) {
        self.issuer = issuer
        self.audience = audience
    }
}
