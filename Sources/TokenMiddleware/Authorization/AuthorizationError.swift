/// Authorization failed: the request is authenticated but not allowed.
///
/// Thrown by ``AuthorizationMiddleware`` (or by a handler) and rendered by ``ErrorMiddleware``:
/// 403 by default, with `WWW-Authenticate: Bearer error="insufficient_scope", scope="…"` when
/// scopes are missing (RFC 6750 §3.1), or whatever ``denial`` says (404 to hide a route).
public struct AuthorizationError: Error, Sendable, CustomStringConvertible {
    /// A stable machine-readable code. Extend it with your own static members.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        /// Creates a code from its text.
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The principal lacks a required scope (RFC 6750 §3.1 `insufficient_scope`).
        public static let insufficientScope = Code("insufficient_scope")
        /// The principal lacks a required role.
        public static let insufficientRole = Code("insufficient_role")
        /// A custom policy refused the request.
        public static let forbidden = Code("forbidden")
    }

    /// What went wrong, for programs.
    public var code: Code
    /// A human-readable reason, safe to show to the client.
    public var reason: String
    /// The scopes that would grant access, sent as the challenge's `scope` parameter.
    public var requiredScopes: [String]
    /// How the refusal is answered (403, or 404 to hide the route).
    public var denial: AuthorizationDenial
    /// The challenges sent with an `insufficient_scope` 403: those of the schemes that
    /// established the request's identities. When empty, ``ErrorMiddleware`` uses its fallback.
    public var challenges: [AuthenticationChallenge]

    /// Creates an error.
    /// - Parameters:
    ///   - code: the machine-readable code.
    ///   - reason: a human-readable reason.
    ///   - requiredScopes: the scopes that would grant access, if scopes were the problem.
    ///   - denial: how to answer; 403 by default.
    public init(
        _ code: Code,
        reason: String,
        requiredScopes: [String] = [],
        denial: AuthorizationDenial = .forbidden,
        challenges: [AuthenticationChallenge] = []
    ) {
        self.code = code
        self.reason = reason
        self.requiredScopes = requiredScopes
        self.denial = denial
        self.challenges = challenges
    }

    public var description: String { "AuthorizationError(\(code)): \(reason)" }
}

/// How a refused request is answered.
///
/// ``forbidden`` says the truth (403). ``notFound`` answers exactly as an unknown route would
/// (404), so a caller cannot learn that the route exists; it also hides the route from
/// unauthenticated callers, who would otherwise get a telling 401.
public struct AuthorizationDenial: Sendable, Hashable {
    /// The status sent.
    public var status: HTTPStatus
    /// Whether the response pretends the resource does not exist (no challenge, generic body).
    public var concealsResource: Bool

    /// Creates a denial.
    public init(status: HTTPStatus, concealsResource: Bool = false) {
        self.status = status
        self.concealsResource = concealsResource
    }

    /// 403 Forbidden (the default).
    public static let forbidden = AuthorizationDenial(status: .forbidden)
    /// 404 Not Found, indistinguishable from an unknown route.
    public static let notFound = AuthorizationDenial(status: .notFound, concealsResource: true)
}
