/// An error decoding text into bytes (base64url, base64, hex, base36).
public struct ByteEncodingError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
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

    public var code: Code
    /// What went wrong and where, never the input itself.
    public var reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "ByteEncodingError(\(code)): \(reason)" }
}
