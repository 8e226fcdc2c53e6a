/// An error reading JSON text (RFC 8259).
///
/// Reasons name the problem and the byte offset, never the input itself, so they are safe to
/// show even when the JSON came from an untrusted token.
public struct JSONError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable error code. Extensible through static members.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The text is not JSON (RFC 8259 §2–§7 grammar).
        public static let invalidSyntax = Code(rawValue: "invalid_syntax")
        /// A string is not valid UTF-8, or an escape encodes a lone surrogate (RFC 8259 §8.1, §8.2).
        public static let invalidUTF8 = Code(rawValue: "invalid_utf8")
        /// An object repeats a member name (RFC 8259 §4 says names SHOULD be unique; we require it).
        public static let duplicateMember = Code(rawValue: "duplicate_member")
        /// Arrays and objects nest deeper than the reader's limit.
        public static let tooDeep = Code(rawValue: "too_deep")
        /// The text is longer than the reader's limit.
        public static let tooLarge = Code(rawValue: "too_large")
        /// A complete value is followed by something other than whitespace.
        public static let trailingData = Code(rawValue: "trailing_data")
        /// The value has the wrong JSON type for what was asked (for example an array where an
        /// object is required).
        public static let wrongType = Code(rawValue: "wrong_type")
    }

    public var code: Code
    /// What went wrong and at which byte offset; never the input.
    public var reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "JSONError(\(code)): \(reason)" }
}
