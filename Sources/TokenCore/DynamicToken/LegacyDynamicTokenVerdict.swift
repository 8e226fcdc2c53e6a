/// The outcome of decoding a legacy dynamic token: a status, and what could be read.
///
/// Mirrors the references' `ValidAuthToken` (valid, status, age, uuid), with two deliberate
/// differences: ``ageMilliseconds`` is the true age also when negative (the JavaScript reference
/// reports −1), and it is `nil` when no timestamp was read.
public struct LegacyDynamicTokenVerdict: Sendable, Hashable {
    /// The verdict.
    public var status: LegacyDynamicTokenStatus
    /// `now − timestamp` in milliseconds, when the timestamp was read.
    public var ageMilliseconds: Int64?
    /// The token's timestamp in Unix milliseconds, when it was read.
    public var timestampMilliseconds: Int64?
    /// The embedded uuid in lowercase hexadecimal without zero padding of its halves, when the
    /// options require one and it was read.
    public var uuid: String?

    /// Creates a verdict (the decoder makes them; this is for tests and adapters).
    public init(status: LegacyDynamicTokenStatus, ageMilliseconds: Int64? = nil, timestampMilliseconds: Int64? = nil, uuid: String? = nil) {
        self.status = status
        self.ageMilliseconds = ageMilliseconds
        self.timestampMilliseconds = timestampMilliseconds
        self.uuid = uuid
    }

    /// Whether the token is accepted.
    public var isValid: Bool { status == .ok }

    /// Returns `self` when valid.
    /// - Throws: ``DynamicTokenError`` with the status's code (`legacy.timed_out`, …).
    public func requireValid() throws(DynamicTokenError) -> LegacyDynamicTokenVerdict {
        guard let code = status.errorCode else { return self }
        throw DynamicTokenError(code, status.reason)
    }
}

/// A legacy verdict, named as both reference libraries name it.
///
/// Each case maps to the JavaScript package's status string (``javaScriptName``) and the Rust
/// crate's (``rustName``), so logs of existing deployments keep their meaning.
public enum LegacyDynamicTokenStatus: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Accepted. JavaScript `ok`, Rust `ok`.
    case ok
    /// Not padded standard base 64, not UTF-8, over the size bound, or the first character is not
    /// an ASCII letter or digit. JavaScript and Rust `invalid`.
    case invalid
    /// The API key does not occur. JavaScript `unmatched_api_key`, Rust `api_key_unmatched`.
    case unmatchedAPIKey
    /// The API key's first occurrence is not at the index the first character designates.
    /// JavaScript `misplaced_api_key`, Rust `api_key_misplaced`.
    case misplacedAPIKey
    /// A uuid is required and absent, malformed, or shorter than 16 hexadecimal digits.
    /// JavaScript `valid_uuid_required`, Rust `uuid_required`.
    case uuidRequired
    /// The uuid part has no split character or its security number is not base 36.
    /// JavaScript `uuid_security_number_missing`, Rust `security_number_required`.
    case securityNumberMissing
    /// The timestamp part is malformed: no split character, a non-alphanumeric timestamp, a
    /// security number that is not base 36, or a value beyond 64 bits. Rust `invalid_imestamp`
    /// (sic); the JavaScript reference has no name for it and reports `invalid`.
    case invalidTimestamp
    /// The timestamp is further than the tolerance from the clock, in either direction.
    /// JavaScript and Rust `timed_out`.
    case timedOut

    /// The status string of the JavaScript `dynamic-token` package.
    public var javaScriptName: String {
        switch self {
        case .ok: "ok"
        case .invalid: "invalid"
        case .unmatchedAPIKey: "unmatched_api_key"
        case .misplacedAPIKey: "misplaced_api_key"
        case .uuidRequired: "valid_uuid_required"
        case .securityNumberMissing: "uuid_security_number_missing"
        case .invalidTimestamp: "invalid"
        case .timedOut: "timed_out"
        }
    }

    /// The status string of the Rust `dynamic-token` crate (`AuthStatus::to_key`).
    public var rustName: String {
        switch self {
        case .ok: "ok"
        case .invalid: "invalid"
        case .unmatchedAPIKey: "api_key_unmatched"
        case .misplacedAPIKey: "api_key_misplaced"
        case .uuidRequired: "uuid_required"
        case .securityNumberMissing: "security_number_required"
        case .invalidTimestamp: "invalid_imestamp"
        case .timedOut: "timed_out"
        }
    }

    /// A human-readable reason, safe to show (never the token or the key).
    public var reason: String {
        switch self {
        case .ok: "the legacy dynamic token is valid"
        case .invalid: "the legacy dynamic token is not a well-formed token"
        case .unmatchedAPIKey: "the legacy dynamic token does not carry the expected API key"
        case .misplacedAPIKey: "the legacy dynamic token carries the API key in the wrong place"
        case .uuidRequired: "the legacy dynamic token must carry a valid uuid"
        case .securityNumberMissing: "the legacy dynamic token's uuid part lacks its security number"
        case .invalidTimestamp: "the legacy dynamic token's timestamp part is malformed"
        case .timedOut: "the legacy dynamic token's timestamp is outside the tolerance"
        }
    }

    /// The ``DynamicTokenError`` code of a rejection, `nil` for ``ok``.
    public var errorCode: DynamicTokenError.Code? {
        switch self {
        case .ok: nil
        case .invalid: .legacyInvalid
        case .unmatchedAPIKey: .legacyUnmatchedAPIKey
        case .misplacedAPIKey: .legacyMisplacedAPIKey
        case .uuidRequired: .legacyUUIDRequired
        case .securityNumberMissing: .legacySecurityNumberMissing
        case .invalidTimestamp: .legacyInvalidTimestamp
        case .timedOut: .legacyTimedOut
        }
    }

    public var description: String { javaScriptName == rustName ? javaScriptName : "\(javaScriptName)/\(rustName)" }
}
