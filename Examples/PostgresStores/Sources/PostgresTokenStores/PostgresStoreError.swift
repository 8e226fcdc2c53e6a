import Foundation

/// A PostgreSQL-backed store could not do its work: the database is unreachable, too slow, or
/// its schema is not one this build understands.
///
/// The stores never let such a failure pass as an answer: a replay check, a revocation lookup,
/// a rotation or an API-key lookup that cannot reach the database throws, and the verifier
/// refuses the credential (fail closed, HTTP 503 through TokenMiddleware's `ErrorMiddleware`).
/// Each store reports it in its protocol's domain: ``PostgresReplayCache`` as
/// `ReplayCacheError.unavailable`, ``PostgresRevocationList`` as `JWTError.unavailable`, the
/// session stores as `SessionError.unavailable`, ``PostgresAPIKeyStore`` as
/// `APIKeyError.storeUnavailable`; the original error is logged, never sent to a client.
public struct PostgresStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable code. Extensible through static members.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The database could not be reached or answered with an error.
        public static let unavailable = Code(rawValue: "unavailable")
        /// The database did not answer within the configured timeout.
        public static let timeout = Code(rawValue: "timeout")
        /// The database holds a schema version newer than this build knows.
        public static let schemaTooNew = Code(rawValue: "schema_too_new")
        /// A setting (URL, schema name, interval) is invalid.
        public static let invalidConfiguration = Code(rawValue: "invalid_configuration")
        /// A stored row cannot be read back (a value out of range, a malformed hash).
        public static let corruptRow = Code(rawValue: "corrupt_row")
    }

    /// What went wrong, as a stable code.
    public var code: Code
    /// A human-readable explanation; never a password, a token or a key.
    public var reason: String

    /// Creates an error with `code` and a human `reason`.
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "PostgresStoreError(\(code)): \(reason)" }
}
