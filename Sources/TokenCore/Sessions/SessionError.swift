/// A session operation failed: a login, a refresh, an opaque-token check, or a store.
///
/// Conforms to ``CredentialError`` so TokenMiddleware answers it in one place: 401 for a bad
/// password or token, 503 when a store cannot be consulted (fail closed).
public struct SessionError: CredentialError, Hashable, CustomStringConvertible {
    /// A stable machine-readable code. Extend it with your own static members.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        /// Creates a code from its text.
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// Unknown user or wrong password; deliberately the same code for both.
        public static let invalidCredentials = Code("invalid_credentials")
        /// The refresh token is unknown or malformed.
        public static let invalidRefreshToken = Code("invalid_refresh_token")
        /// A refresh token that was already used was presented again: the family is revoked
        /// (RFC 9700 §4.14.2).
        public static let refreshTokenReused = Code("refresh_token_reused")
        /// The session passed its absolute lifetime or was idle too long.
        public static let sessionExpired = Code("session_expired")
        /// The session was revoked (logout or reuse detection).
        public static let sessionRevoked = Code("session_revoked")
        /// The opaque access token is unknown, malformed or revoked.
        public static let invalidToken = Code("invalid_token")
        /// The opaque access token has expired.
        public static let tokenExpired = Code("token_expired")
        /// A store could not be consulted or written; the operation is refused.
        public static let unavailable = Code("unavailable")
        /// The configuration or an argument is invalid (a programming error, not a credential).
        public static let invalidConfiguration = Code("invalid_configuration")
    }

    /// What went wrong, for programs.
    public var code: Code
    /// A human-readable reason, safe to show: never a token, password or hash.
    public var reason: String

    /// Creates an error.
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    /// `session.<code>`, for example `session.refresh_token_reused`.
    public var machineCode: String { "session.\(code.rawValue)" }

    /// ``CredentialFailureKind/unavailable`` for store failures, otherwise
    /// ``CredentialFailureKind/invalid``.
    public var failureKind: CredentialFailureKind {
        code == .unavailable ? .unavailable : .invalid
    }

    public var description: String { "SessionError(\(code)): \(reason)" }
}
