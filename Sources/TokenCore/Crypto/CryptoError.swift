/// An error from a cryptographic primitive or key import.
public struct CryptoError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable error code. Extensible through static members.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code string, such as `"invalid_parameter"`.
        public var rawValue: String
        /// Creates a code; domains may add their own as static members.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The code string.
        public var description: String { rawValue }

        /// The operating system's random generator failed.
        public static let randomUnavailable = Code(rawValue: "random_unavailable")
        /// A parameter (iterations, key length, output length) is outside what the primitive accepts.
        public static let invalidParameter = Code(rawValue: "invalid_parameter")
        /// Key material could not be parsed or is unacceptable (too short, not on the curve, …).
        public static let invalidKey = Code(rawValue: "invalid_key")
        /// A stored hash string could not be parsed.
        public static let malformedHash = Code(rawValue: "malformed_hash")
    }

    /// What kind of failure this is.
    public var code: Code
    /// A human-readable explanation, safe to log: it never contains key material.
    public var reason: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The machine-readable code.
    ///   - reason: A human-readable explanation that never contains secrets or the input.
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    /// `<Type>(<code>): <reason>`, safe to log.
    public var description: String { "CryptoError(\(code)): \(reason)" }
}
