/// Why an API key was refused, or why an API-key store operation failed.
///
/// Verification failures have distinct codes so clients and logs can tell a typo
/// (``Code/badChecksum``) from a key that never existed (``Code/unknown``), was withdrawn
/// (``Code/revoked``) or ran out (``Code/expired``). The ``reason`` never contains the key, its
/// hash or any other secret: it is safe to send to the client.
///
/// ```swift
/// do { _ = try await verifier.verify(presented) }
/// catch where error.code == .revoked { … }
/// ```
public struct APIKeyError: CredentialError, Hashable, CustomStringConvertible {
    /// A stable, machine-readable code. Extensible through static members.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// Not shaped like a key of an accepted format: wrong prefix, length or characters.
        public static let malformed = Code(rawValue: "malformed")
        /// Shaped like a key, but its CRC-32 checksum does not match: a typo or a truncated copy.
        /// Detected before any lookup.
        public static let badChecksum = Code(rawValue: "bad_checksum")
        /// Well-formed, but no stored key has its hash.
        public static let unknown = Code(rawValue: "unknown")
        /// The key was revoked.
        public static let revoked = Code(rawValue: "revoked")
        /// The key's expiry time has passed.
        public static let expired = Code(rawValue: "expired")
        /// Too many failed attempts from this client; refused without a lookup.
        public static let throttled = Code(rawValue: "throttled")
        /// The request carries an API key in more than one place (RFC 6750 §2 forbids more than
        /// one method for the same reason: which one counts would be ambiguous).
        public static let ambiguous = Code(rawValue: "ambiguous")
        /// The key store could not be read or written.
        public static let storeUnavailable = Code(rawValue: "store_unavailable")
        /// The key file exists but is not a valid key file; it is left untouched.
        public static let storeCorrupt = Code(rawValue: "store_corrupt")
        /// No key has the given id (administrative operations).
        public static let notFound = Code(rawValue: "not_found")
        /// A key with the same id or hash already exists.
        public static let duplicate = Code(rawValue: "duplicate")
        /// A name, owner, scope, prefix, pepper or duration is unacceptable.
        public static let invalidArgument = Code(rawValue: "invalid_argument")
        /// The random source failed, so no key was generated.
        public static let generationFailed = Code(rawValue: "generation_failed")
    }

    /// What went wrong.
    public var code: Code
    /// A human-readable explanation, safe to show and log: never the key or a hash.
    public var reason: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: The machine-readable code.
    ///   - reason: An explanation that must not contain the key.
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    /// `"api_key."` followed by the code, for example `"api_key.revoked"`.
    public var machineCode: String { "api_key." + code.rawValue }

    /// ``CredentialFailureKind/malformedRequest`` for ``Code/ambiguous``,
    /// ``CredentialFailureKind/unavailable`` when the store could not be consulted (fail closed),
    /// otherwise ``CredentialFailureKind/invalid``.
    public var failureKind: CredentialFailureKind {
        switch code {
        case .ambiguous: .malformedRequest
        case .storeUnavailable, .storeCorrupt: .unavailable
        default: .invalid
        }
    }

    public var description: String { "APIKeyError(\(code)): \(reason)" }
}
