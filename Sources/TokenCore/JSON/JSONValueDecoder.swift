import Foundation

/// Decodes a caller's `Decodable` type from a parsed ``JSONValue``.
///
/// The values have already passed ``JSONReader``'s strict checks, so decoding is a walk over
/// the tree: no second parse, no dictionary building, and duplicate names cannot exist. Numbers
/// convert exactly or fail: `1.5` does not decode as an `Int`, `300` not as a `UInt8`.
///
/// `Date` decodes from a JSON number of seconds since 1970-01-01T00:00:00Z (the JWT NumericDate
/// of RFC 7519 §2), not Foundation's reference-date default.
///
/// ```swift
/// struct Claims: Decodable { var sub: String; var name: String? }
/// let claims = try JSONValueDecoder().decode(Claims.self, from: value)
/// ```
public struct JSONValueDecoder: Sendable {
    public init() {}

    /// Decodes `type` from `value`.
    /// - Throws: `DecodingError` naming the coding path on a missing key or type mismatch.
    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try JSONValueDecoding(value: value, codingPath: []).decodeValue(type)
    }
}

/// The `Decoder` for one value: a small class because `Decoder` containers must share it.
final class JSONValueDecoding: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    /// Where a keyed container's next member search starts: just after the previous hit.
    /// Synthesized `init(from:)` asks for keys in declaration order, which is usually the
    /// order an issuer wrote them, so most lookups hit on the first comparison.
    var memberHint = 0
    /// The members when the value is an object, else empty: kept here so a keyed container
    /// is one reference, which the standard library's container box copies on every call.
    let members: [JSONObject.Member]

    init(value: JSONValue, codingPath: [any CodingKey]) {
        self.value = value
        self.codingPath = codingPath
        if case .object(let object) = value { members = object.members } else { members = [] }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object = value else {
            throw DecodingError.typeMismatch(
                [String: Any].self,
                .init(codingPath: codingPath, debugDescription: "expected an object, found \(value.typeName)")
            )
        }
        return KeyedDecodingContainer(JSONKeyedContainer<Key>(decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else {
            throw DecodingError.typeMismatch(
                [Any].self,
                .init(codingPath: codingPath, debugDescription: "expected an array, found \(value.typeName)")
            )
        }
        return JSONUnkeyedContainer(elements: elements, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    /// Decodes `type` from this decoder's value, handling `Date` as a NumericDate. A type that
    /// is not a leaf decodes from this decoder itself, not from a second one for the same value.
    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONScalar.decode(type, from: value, codingPath: codingPath, decoder: self)
    }
}

extension JSONValueDecoding: SingleValueDecodingContainer {
    func decodeNil() -> Bool { value.isNull }
    func decode(_ type: Bool.Type) throws -> Bool { try JSONScalar.bool(value, codingPath) }
    func decode(_ type: String.Type) throws -> String { try JSONScalar.string(value, codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try JSONScalar.double(value, codingPath) }
    func decode(_ type: Float.Type) throws -> Float { Float(try JSONScalar.double(value, codingPath)) }
    func decode(_ type: Int.Type) throws -> Int { try JSONScalar.integer(value, codingPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { try JSONScalar.integer(value, codingPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { try JSONScalar.integer(value, codingPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { try JSONScalar.integer(value, codingPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { try JSONScalar.integer(value, codingPath) }
    func decode(_ type: UInt.Type) throws -> UInt { try JSONScalar.integer(value, codingPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try JSONScalar.integer(value, codingPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try JSONScalar.integer(value, codingPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try JSONScalar.integer(value, codingPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try JSONScalar.integer(value, codingPath) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeValue(type) }
}

/// Scalar conversions shared by the containers.
enum JSONScalar {
    static func mismatch<T>(_ type: T.Type, _ value: JSONValue, _ path: [any CodingKey]) -> DecodingError {
        DecodingError.typeMismatch(type, .init(codingPath: path, debugDescription: "expected \(T.self), found \(value.typeName)"))
    }

    // Paths are autoclosures: building one allocates, and only a failure needs it.
    static func bool(_ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws -> Bool {
        guard case .bool(let b) = value else { throw mismatch(Bool.self, value, path()) }
        return b
    }

    static func string(_ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws -> String {
        guard case .string(let s) = value else { throw mismatch(String.self, value, path()) }
        return s
    }

    static func double(_ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws -> Double {
        guard case .number(let n) = value else { throw mismatch(Double.self, value, path()) }
        let d = n.doubleValue
        guard d.isFinite else {
            throw DecodingError.dataCorrupted(.init(codingPath: path(), debugDescription: "number out of range for Double"))
        }
        return d
    }

    static func integer<I: FixedWidthInteger>(_ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws -> I {
        guard case .number(let n) = value else { throw mismatch(I.self, value, path()) }
        if let exact = n.int64Value, let result = I(exactly: exact) { return result }
        // Integral values written with a fraction or exponent (`3.0`, `1e3`), or beyond Int64 for
        // UInt64, convert only when exact.
        let d = n.doubleValue
        if d.isFinite, let result = I(exactly: d), n.int64Value == nil { return result }
        throw DecodingError.dataCorrupted(.init(codingPath: path(), debugDescription: "number \(n.literal.prefix(24)) does not fit \(I.self)"))
    }

    static func decode<T: Decodable>(
        _ type: T.Type, from value: JSONValue, codingPath: @autoclosure () -> [any CodingKey], decoder: JSONValueDecoding? = nil
    ) throws -> T {
        // Fast paths for the common leaf types avoid building a decoder per value. Each result
        // is returned by `unsafeBitCast` after the exact type check above it (`T.self == X.self`
        // means T is X), which costs nothing where `as? T` would call the dynamic-cast runtime.
        if T.self == String.self, case .string(let s) = value { return unsafeBitCast(s, to: T.self) }
        if T.self == NumericDate.self, case .number(let n) = value {
            guard let date = NumericDate(n) else {
                throw DecodingError.dataCorrupted(.init(codingPath: codingPath(), debugDescription: "NumericDate out of range"))
            }
            return unsafeBitCast(date, to: T.self)
        }
        if T.self == Date.self {
            guard case .number(let n) = value else { throw mismatch(Date.self, value, codingPath()) }
            guard let date = NumericDate(n) else {
                throw DecodingError.dataCorrupted(.init(codingPath: codingPath(), debugDescription: "date out of range"))
            }
            return unsafeBitCast(date.date, to: T.self)
        }
        return try T(from: decoder ?? JSONValueDecoding(value: value, codingPath: codingPath()))
    }
}

/// A keyed container over an object's members.
struct JSONKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    /// The decoder of the object this container reads: it holds the members and the search hint.
    let decoder: JSONValueDecoding

    var codingPath: [any CodingKey] { decoder.codingPath }

    var allKeys: [Key] { decoder.members.compactMap { Key(stringValue: $0.name) } }

    func contains(_ key: Key) -> Bool { member(key, advancing: false) != nil }

    /// The value of member `key`, searched from the decoder's hint and wrapping around, so a
    /// lookup costs one comparison when keys are asked for in document order and never more
    /// than a plain scan otherwise. A hit moves the hint past the member when `advancing`
    /// (a decode), onto it otherwise (`contains`, which is usually followed by a decode).
    @inline(__always)
    func member(_ key: Key, advancing: Bool) -> JSONValue? {
        let name = key.stringValue
        let members = decoder.members
        let count = members.count
        var i = decoder.memberHint
        if i >= count { i = 0 }
        var remaining = count
        while remaining > 0 {
            if JSONObject.sameName(members[i].name, name) {
                decoder.memberHint = advancing ? i &+ 1 : i
                return members[i].value
            }
            i &+= 1
            if i == count { i = 0 }
            remaining &-= 1
        }
        return nil
    }

    func require(_ key: Key) throws -> JSONValue {
        guard let value = member(key, advancing: true) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no member '\(key.stringValue)'"))
        }
        return value
    }

    func path(_ key: Key) -> [any CodingKey] { codingPath + [key] }

    func decodeNil(forKey key: Key) throws -> Bool { try require(key).isNull }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try JSONScalar.bool(require(key), path(key)) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        let value = try require(key)
        if case .string(let s) = value { return s }
        throw JSONScalar.mismatch(String.self, value, path(key))
    }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try JSONScalar.double(require(key), path(key)) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try JSONScalar.double(require(key), path(key))) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try JSONScalar.integer(require(key), path(key)) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try JSONScalar.integer(require(key), path(key)) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try JSONScalar.integer(require(key), path(key)) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try JSONScalar.integer(require(key), path(key)) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try JSONScalar.integer(require(key), path(key)) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try JSONScalar.integer(require(key), path(key)) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try JSONScalar.integer(require(key), path(key)) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try JSONScalar.integer(require(key), path(key)) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try JSONScalar.integer(require(key), path(key)) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try JSONScalar.integer(require(key), path(key)) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try JSONScalar.decode(type, from: require(key), codingPath: path(key))
    }

    // `decodeIfPresent` treats an absent member and `null` alike, as Foundation does.
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        guard let value = member(key, advancing: true) else { return nil }
        switch value {
        case .string(let s): return s
        case .null: return nil
        default: throw JSONScalar.mismatch(String.self, value, path(key))
        }
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let value = member(key, advancing: true), !value.isNull else { return nil }
        return try JSONScalar.decode(type, from: value, codingPath: path(key))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try JSONValueDecoding(value: require(key), codingPath: path(key)).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try JSONValueDecoding(value: require(key), codingPath: path(key)).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        JSONValueDecoding(value: decoder.value["super"] ?? .null, codingPath: codingPath + [JSONIndexKey(stringValue: "super")])
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        JSONValueDecoding(value: member(key, advancing: true) ?? .null, codingPath: path(key))
    }
}

/// An unkeyed container over an array's elements.
struct JSONUnkeyedContainer: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(elements: [JSONValue], codingPath: [any CodingKey]) {
        self.elements = elements
        self.codingPath = codingPath
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    mutating func next<T>(_ type: T.Type) throws -> (JSONValue, [any CodingKey]) {
        guard currentIndex < elements.count else {
            throw DecodingError.valueNotFound(type, .init(codingPath: codingPath, debugDescription: "array has no more elements"))
        }
        let path = codingPath + [JSONIndexKey(intValue: currentIndex)]
        let value = elements[currentIndex]
        currentIndex += 1
        return (value, path)
    }

    mutating func decodeNil() throws -> Bool {
        guard currentIndex < elements.count else {
            throw DecodingError.valueNotFound(Any?.self, .init(codingPath: codingPath, debugDescription: "array has no more elements"))
        }
        if elements[currentIndex].isNull {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, path) = try next(type)
        return try JSONScalar.decode(type, from: value, codingPath: path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let (value, path) = try next([String: Any].self)
        return try JSONValueDecoding(value: value, codingPath: path).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (value, path) = try next([Any].self)
        return try JSONValueDecoding(value: value, codingPath: path).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let (value, path) = try next(Any.self)
        return JSONValueDecoding(value: value, codingPath: path)
    }
}

/// A coding key for array positions and synthesized names.
struct JSONIndexKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) {
        self.stringValue = "Index \(intValue)"
        self.intValue = intValue
    }
}
