/// Why a JWT was refused, or why a JWT key, signer or issuer could not be configured.
///
/// Each failure has a distinct ``Code``; ``machineCode`` prefixes it with `jwt.`
/// (`"jwt.expired"`). Reasons are safe to show to the client: they never contain the token, a
/// header or claim value taken from it, or key material.
public struct JWTError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable error code. Extensible through static members.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// Not a well-formed compact JWS: size, segments, base64url, UTF-8, JSON, header rules
        /// (RFC 7515 §5.2).
        public static let malformed = Code(rawValue: "malformed")
        /// `alg` names no algorithm any configured key is bound to, or is `none`.
        public static let unsupportedAlgorithm = Code(rawValue: "unsupported_algorithm")
        /// `kid` names no configured key.
        public static let unknownKey = Code(rawValue: "unknown_key")
        /// The signature does not verify.
        public static let badSignature = Code(rawValue: "bad_signature")
        /// `exp` has passed (RFC 7519 §4.1.4).
        public static let expired = Code(rawValue: "expired")
        /// `nbf` is in the future (RFC 7519 §4.1.5).
        public static let notYetValid = Code(rawValue: "not_yet_valid")
        /// `iat` is in the future (RFC 7519 §4.1.6).
        public static let issuedInFuture = Code(rawValue: "issued_in_future")
        /// `iat` is older than the configured maximum age.
        public static let tooOld = Code(rawValue: "too_old")
        /// `exp` is further ahead than the configured maximum lifetime.
        public static let lifetimeTooLong = Code(rawValue: "lifetime_too_long")
        /// `aud` matches none of the accepted audiences (RFC 7519 §4.1.3).
        public static let wrongAudience = Code(rawValue: "wrong_audience")
        /// `iss` is not an accepted issuer (RFC 7519 §4.1.1).
        public static let wrongIssuer = Code(rawValue: "wrong_issuer")
        /// `sub` fails the configured predicate (RFC 7519 §4.1.2).
        public static let wrongSubject = Code(rawValue: "wrong_subject")
        /// The `typ` header is not the expected type (RFC 7515 §4.1.9, RFC 8725 §3.11).
        public static let wrongType = Code(rawValue: "wrong_type")
        /// A required claim is absent.
        public static let missingClaim = Code(rawValue: "missing_claim")
        /// A claim is present with the wrong JSON type (`exp` as a string), or the payload does not
        /// decode into the caller's claims type.
        public static let malformedClaim = Code(rawValue: "malformed_claim")
        /// The token's `jti` is on the revocation list.
        public static let revoked = Code(rawValue: "revoked")
        /// The revocation list or the key source could not be consulted; the token is refused.
        public static let unavailable = Code(rawValue: "unavailable")
        /// A key, signer or issuer was configured wrongly (a short HMAC secret, a key bound to
        /// another algorithm, a duplicate `kid`).
        public static let invalidKey = Code(rawValue: "invalid_key")
        /// Making a token failed (the signer or the random source failed, claims would not encode).
        public static let signingFailed = Code(rawValue: "signing_failed")
    }

    public var code: Code
    /// A human-readable reason, safe to show.
    public var reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "JWTError(\(code)): \(reason)" }

    /// Shorthand for a ``Code/malformed`` error.
    static func malformed(_ reason: String) -> JWTError { JWTError(.malformed, reason) }
}

extension JWTError: CredentialError {
    /// `"jwt."` followed by the code, such as `"jwt.expired"`.
    public var machineCode: String { "jwt." + code.rawValue }

    public var failureKind: CredentialFailureKind {
        code == .unavailable ? .unavailable : .invalid
    }
}
