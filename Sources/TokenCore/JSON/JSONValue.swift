/// A parsed JSON value (RFC 8259 §3).
///
/// Produced by ``JSONReader``, which guarantees what the type alone cannot: strings are valid
/// Unicode, object member names are unique, and nesting is bounded. Objects keep their members
/// in document order (``JSONObject``); numbers keep their literal (``JSONNumber``) so no
/// precision is lost before the caller decides how to read them.
///
/// ```swift
/// let jwk = try JSONReader().parseObject(bytes)
/// guard case .string(let kty)? = jwk["kty"] else { throw … }
/// ```
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The string, when this is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The number, when this is a number.
    public var numberValue: JSONNumber? {
        if case .number(let n) = self { return n }
        return nil
    }

    /// The Boolean, when this is `true` or `false`.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The elements, when this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The object, when this is an object.
    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// Whether this is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The member named `name`, when this is an object that has one.
    public subscript(_ name: String) -> JSONValue? {
        if case .object(let o) = self { return o[name] }
        return nil
    }

    /// A short name of the JSON type, for error messages: `"string"`, `"object"`, …
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

/// A JSON number, kept as its literal text plus an exact integer reading when it has one.
///
/// RFC 8259 §6 leaves number precision to implementations; keeping the literal lets each caller
/// choose. ``int64Value`` is exact; ``doubleValue`` is IEEE 754 binary64, which is exact for
/// integers up to 2^53 and never traps (values beyond its range read as ±infinity).
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The literal, when it is not the canonical spelling of ``int64Value``. Most numbers in
    /// tokens are plain integers (`exp`, `iat`), whose literal is rebuilt on demand rather than
    /// copied into a string at every parse. `nil` only when `int64Value` is set.
    private let writtenLiteral: String?
    /// The value when the literal is an integer (no fraction, no exponent) that fits `Int64`.
    public let int64Value: Int64?
    /// Whether the literal has neither a fraction nor an exponent.
    public let isIntegerLiteral: Bool

    /// The number as written in the document, already validated against RFC 8259 §6.
    public var literal: String {
        if let writtenLiteral { return writtenLiteral }
        return int64Value.map { String($0) } ?? "0" // set whenever writtenLiteral is nil
    }

    /// Creates a number from a literal already known to be valid JSON.
    init(validatedLiteral literal: String, integer: Int64?, isIntegerLiteral: Bool) {
        self.writtenLiteral = literal
        self.int64Value = integer
        self.isIntegerLiteral = isIntegerLiteral
    }

    /// Creates a number from an integer literal known to be written canonically (as
    /// `String(value)` would write it: JSON forbids leading zeros, so only `-0` is not).
    init(canonicalInteger value: Int64) {
        writtenLiteral = nil
        int64Value = value
        isIntegerLiteral = true
    }

    /// Creates a number from an integer.
    public init(_ value: Int64) {
        self.init(canonicalInteger: value)
    }

    /// Creates a number from a finite double, or `nil` for infinity and NaN (JSON has neither).
    public init?(_ value: Double) {
        guard value.isFinite else { return nil }
        if value == value.rounded(), abs(value) < 9.0e15 {
            self.init(Int64(value)) // safe: |value| < 2^63 checked on the line above
        } else {
            self.init(validatedLiteral: "\(value)", integer: nil, isIntegerLiteral: false)
        }
    }

    /// The value as a binary64 double: exact for integers up to 2^53; ±infinity for literals
    /// beyond the double range, 0 for literals below its smallest subnormal.
    public var doubleValue: Double {
        if let int64Value { return Double(int64Value) }
        return Double(literal) ?? .nan
    }

    public var description: String { literal }
}

/// A JSON object: members in document order, names unique (``JSONReader`` rejects duplicates).
///
/// Lookup is a linear scan, which for the handful of members in a token header, a claims set or
/// a JWK beats hashing.
public struct JSONObject: Sendable, Hashable, Sequence {
    /// One `name: value` pair.
    public struct Member: Sendable, Hashable {
        public var name: String
        public var value: JSONValue
        public init(name: String, value: JSONValue) {
            self.name = name
            self.value = value
        }
    }

    /// The members in document order.
    public private(set) var members: [Member]

    /// Creates an empty object.
    public init() { members = [] }

    /// Creates an object from members whose names the caller guarantees unique.
    init(uniqueMembers: [Member]) { members = uniqueMembers }

    /// Creates an object from `(name, value)` pairs.
    /// - Throws: ``JSONError/Code/duplicateMember`` when a name repeats.
    public init(_ pairs: [(String, JSONValue)]) throws(JSONError) {
        members = []
        members.reserveCapacity(pairs.count)
        for (name, value) in pairs {
            guard self[name] == nil else { throw JSONError(.duplicateMember, "member name repeated") }
            members.append(Member(name: name, value: value))
        }
    }

    /// The number of members.
    public var count: Int { members.count }

    /// Whether the object has no members.
    public var isEmpty: Bool { members.isEmpty }

    /// The value of member `name`, or `nil`. Setting `nil` removes the member; setting a value
    /// replaces the existing member in place or appends a new one.
    public subscript(_ name: String) -> JSONValue? {
        get {
            // By index: iterating `members` would copy (retain and release) every member passed.
            for i in members.indices where Self.sameName(members[i].name, name) { return members[i].value }
            return nil
        }
        set {
            if let index = members.firstIndex(where: { $0.name == name }) {
                if let newValue { members[index].value = newValue } else { members.remove(at: index) }
            } else if let newValue {
                members.append(Member(name: name, value: newValue))
            }
        }
    }

    public func makeIterator() -> IndexingIterator<[Member]> { members.makeIterator() }

    /// Whether two member names are the same name: `String ==`, canonical equivalence, as the
    /// parser's duplicate check and the large-object `Set` use. No shortcut on UTF-8 length:
    /// `"\u{E9}"` and `"e\u{301}"` are the same name in different lengths.
    @inline(__always)
    static func sameName(_ a: String, _ b: String) -> Bool {
        a == b
    }
}
