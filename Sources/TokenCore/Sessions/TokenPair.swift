import Foundation

/// What login and refresh return: an access token and the refresh token that renews it.
///
/// `Codable` with the member names of an OAuth 2.0 token response (RFC 6749 §5.1), so a server
/// can answer with it directly.
public struct TokenPair: Sendable, Hashable, Codable {
    /// The access token: a JWT, or an opaque `oat_…` token.
    public var accessToken: String
    /// Always `Bearer` (RFC 6750).
    public var tokenType: String
    /// Seconds until the access token expires.
    public var expiresIn: Int
    /// The new refresh token (`rt_…`); the one presented to refresh is now used up.
    public var refreshToken: String
    /// The granted scopes, space-separated (RFC 6749 §3.3).
    public var scope: String
    /// The session (refresh-token family) id.
    public var sessionID: String

    /// Creates a pair.
    public init(accessToken: String, expiresIn: Int, refreshToken: String, scope: String, sessionID: String) {
        self.accessToken = accessToken
        self.tokenType = "Bearer"
        self.expiresIn = expiresIn
        self.refreshToken = refreshToken
        self.scope = scope
        self.sessionID = sessionID
    }

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case tokenType = "token_type"
        case expiresIn = "expires_in"
        case refreshToken = "refresh_token"
        case scope
        case sessionID = "session_id"
    }
}
