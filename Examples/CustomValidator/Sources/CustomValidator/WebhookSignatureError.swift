public import TokenCore

/// Why a webhook signature was refused.
///
/// Conforming to TokenCore's ``CredentialError`` is all it takes for the error middleware to
/// render it as a 401 with `WWW-Authenticate: … error="invalid_token"`: the HTTP mapping lives in
/// one place, not in each authenticator. The `reason` is shown to the caller, so it never
/// contains the signature, the secret or the body.
public struct WebhookSignatureError: CredentialError, CustomStringConvertible {
    /// A stable, extensible failure code.
    public struct Code: RawRepresentable, Hashable, Sendable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The header is not `t=<unix seconds>,v1=<hex>[,v1=<hex>…]`, or is too long.
        public static let malformed = Code(rawValue: "malformed")
        /// The timestamp is further from the clock than the tolerance allows (replay window).
        public static let timestampOutOfTolerance = Code(rawValue: "timestamp_out_of_tolerance")
        /// No `v1` signature matches the body under any configured secret.
        public static let signatureMismatch = Code(rawValue: "signature_mismatch")
    }

    /// What went wrong.
    public var code: Code
    /// A human-readable explanation, safe to send to the caller.
    public var reason: String

    /// Creates an error.
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    /// `webhook.<code>`, e.g. `webhook.signature_mismatch`.
    public var machineCode: String { "webhook." + code.rawValue }
    /// Always ``CredentialFailureKind/invalid``: a signature that is present but wrong is a 401.
    public var failureKind: CredentialFailureKind { .invalid }
    public var description: String { "WebhookSignatureError(\(code.rawValue)): \(reason)" }
}
