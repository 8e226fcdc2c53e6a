/// An error decoding text into bytes (base64url, base64, hex, base36).
public struct ByteEncodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable error code, extensible through static members.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code string, such as `"invalid_parameter"`.
        public var rawValue: String
        /// Creates a code; domains may add their own as static members.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The code string.
        public var description: String { rawValue }

        /// A character outside the encoding's alphabet (including whitespace and padding where
        /// none is allowed).
        public static let invalidCharacter = Code(rawValue: "invalid_character")
        /// A length no valid encoding has.
        public static let invalidLength = Code(rawValue: "invalid_length")
        /// Decodable, but not the one canonical encoding of its bytes (non-zero trailing bits,
        /// wrong padding).
        public static let nonCanonical = Code(rawValue: "non_canonical")
        /// The decoded number does not fit the target integer type.
        public static let overflow = Code(rawValue: "overflow")
    }

    /// What kind of failure this is.
    public var code: Code
    /// What went wrong and where, never the input itself.
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
    public var description: String { "ByteEncodingError(\(code)): \(reason)" }
}
