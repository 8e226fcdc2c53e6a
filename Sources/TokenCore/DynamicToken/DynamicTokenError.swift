/// Why a dynamic token (signed or legacy) was refused, or why a dynamic-token component could
/// not be configured.
///
/// Conforms to ``CredentialError``: the machine code is `"dynamic_token."` followed by the
/// code (`"dynamic_token.replayed"`), and the HTTP layer maps it to a response in one place.
/// The reason never contains the token, a secret or an API key.
public struct DynamicTokenError: CredentialError, Hashable, CustomStringConvertible {
    /// A stable, machine-readable error code. Extensible through static members.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        // MARK: Signed format

        /// The token is not a well-formed signed token (field count, characters, lengths).
        public static let malformed = Code(rawValue: "malformed")
        /// The token or header exceeds the configured size bound.
        public static let tooLarge = Code(rawValue: "too_large")
        /// The token's version is not one this verifier implements.
        public static let unsupportedVersion = Code(rawValue: "unsupported_version")
        /// No active key has the token's key id (unknown or retired).
        public static let unknownKey = Code(rawValue: "unknown_key")
        /// The HMAC does not match: a field, the method, the path or the body differs, or the
        /// key is wrong.
        /// `bad_signature`, with the standard reason.
    public static let badSignature = Code(rawValue: "bad_signature")
        /// The verifier requires the body to be bound and the token does not bind it.
        public static let bodyNotBound = Code(rawValue: "body_not_bound")
        /// The timestamp is older than the past tolerance.
        /// `expired`, with the standard reason.
    public static let expired = Code(rawValue: "expired")
        /// The timestamp is further ahead than the future tolerance.
        /// `not_yet_valid`, with the standard reason.
    public static let notYetValid = Code(rawValue: "not_yet_valid")
        /// The token (key id, nonce) was already accepted once: it is single-use.
        public static let replayed = Code(rawValue: "replayed")
        /// The replay cache is full of live entries and refuses new tokens (fails closed).
        public static let replayCacheFull = Code(rawValue: "replay_cache_full")
        /// The replay cache could not be consulted; the token is refused (fails closed).
        public static let replayCacheUnavailable = Code(rawValue: "replay_cache_unavailable")

        /// The request carries the dynamic-token header more than once (HTTP 400).
        public static let ambiguous = Code(rawValue: "ambiguous")
        /// The token is of a format (signed or legacy) this endpoint does not accept.
        public static let formatNotAccepted = Code(rawValue: "format_not_accepted")

        // MARK: Legacy format (one per reference verdict)

        /// Legacy: not base 64, not UTF-8, oversized, or the first character is not a digit or letter.
        public static let legacyInvalid = Code(rawValue: "legacy.invalid")
        /// Legacy: the API key does not occur in the token.
        public static let legacyUnmatchedAPIKey = Code(rawValue: "legacy.unmatched_api_key")
        /// Legacy: the API key occurs, but not where the timestamp says it must.
        public static let legacyMisplacedAPIKey = Code(rawValue: "legacy.misplaced_api_key")
        /// Legacy: a uuid is required and absent or too short.
        public static let legacyUUIDRequired = Code(rawValue: "legacy.uuid_required")
        /// Legacy: the uuid part's security number is missing or not base 36.
        public static let legacySecurityNumberMissing = Code(rawValue: "legacy.security_number_missing")
        /// Legacy: the timestamp part is malformed.
        public static let legacyInvalidTimestamp = Code(rawValue: "legacy.invalid_timestamp")
        /// Legacy: the timestamp is outside the tolerance, in either direction.
        public static let legacyTimedOut = Code(rawValue: "legacy.timed_out")

        // MARK: Configuration

        /// A signer, verifier, key, key ring, encoder or decoder was given unusable settings.
        /// Raised at configuration or signing time, never because of a client's token.
        public static let invalidConfiguration = Code(rawValue: "invalid_configuration")
    }

    /// What went wrong, as a stable code.
    public var code: Code
    /// A human-readable explanation, safe to show to the client.
    public var reason: String

    /// Creates an error with `code` and a human `reason` (which must not contain the token).
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    /// `"dynamic_token."` followed by the code, for example `"dynamic_token.replayed"`.
    public var machineCode: String { "dynamic_token." + code.rawValue }

    /// Replay-cache and configuration failures are the server's (`unavailable`, refused);
    /// everything else is an invalid credential.
    public var failureKind: CredentialFailureKind {
        switch code {
        case .replayCacheFull, .replayCacheUnavailable, .invalidConfiguration: .unavailable
        case .ambiguous: .malformedRequest
        default: .invalid
        }
    }

    public var description: String { "DynamicTokenError(\(code)): \(reason)" }

    /// `replayed`, with the standard reason.
    public static let replayed = DynamicTokenError(.replayed, "this dynamic token was already used")
    public static let expired = DynamicTokenError(.expired, "the dynamic token's timestamp is too old")
    public static let notYetValid = DynamicTokenError(.notYetValid, "the dynamic token's timestamp is in the future")
    public static let badSignature = DynamicTokenError(.badSignature, "the dynamic token's signature does not match this request")
}
