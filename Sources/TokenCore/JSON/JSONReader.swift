/// A strict JSON reader (RFC 8259) for untrusted input: tokens, JWKs, JWKS documents.
///
/// It accepts exactly the RFC 8259 grammar and nothing more, and adds the limits an
/// authentication library needs:
/// - the text must be valid UTF-8 (RFC 8259 §8.1); a byte-order mark is rejected; `\u` escapes
///   must not encode lone surrogates;
/// - an object must not repeat a member name (RFC 8259 §4 leaves duplicates to implementations,
///   which disagree: Foundation keeps the first, most others the last; an attacker can exploit
///   that disagreement, so we reject);
/// - nesting is limited to ``maximumDepth`` and the text to ``maximumSize`` bytes;
/// - nothing but whitespace may follow the value;
/// - numbers keep their literal (``JSONNumber``): huge or fractional values never trap.
///
/// ```swift
/// let reader = JSONReader(maximumDepth: 8, maximumSize: 64 * 1024)
/// let jwks = try reader.parseObject(responseBody)
/// for key in jwks["keys"]?.arrayValue ?? [] { … }
/// ```
public struct JSONReader: Sendable {
    /// Arrays and objects may nest at most this deep (a bare scalar has depth 0, `{}` depth 1).
    public var maximumDepth: Int
    /// The text may be at most this many bytes.
    public var maximumSize: Int

    /// Creates a reader.
    /// - Parameters:
    ///   - maximumDepth: Nesting limit, clamped to 1…512 so parsing can never exhaust the stack.
    ///   - maximumSize: Size limit in bytes (default 1 MiB).
    public init(maximumDepth: Int = 64, maximumSize: Int = 1 << 20) {
        self.maximumDepth = min(max(maximumDepth, 1), 512)
        self.maximumSize = max(maximumSize, 0)
    }

    /// Parses one JSON value from `bytes`.
    /// - Throws: ``JSONError`` naming the first problem and its byte offset.
    public func parse(_ bytes: some ContiguousBytesLike) throws(JSONError) -> JSONValue {
        try bytes.withRawBytes { raw throws(JSONError) in try parse(raw) }
    }

    /// Parses one JSON value from `bytes`.
    /// - Throws: ``JSONError`` naming the first problem and its byte offset.
    public func parse(_ bytes: UnsafeRawBufferPointer) throws(JSONError) -> JSONValue {
        guard bytes.count <= maximumSize else {
            throw JSONError(.tooLarge, "JSON text of \(bytes.count) bytes exceeds the limit of \(maximumSize)")
        }
        var parser = JSONParser(bytes: bytes, maximumDepth: min(max(maximumDepth, 1), 512))
        return try parser.parseDocument()
    }

    /// Parses `bytes`, which must hold a JSON object.
    /// - Throws: ``JSONError``; ``JSONError/Code/wrongType`` when the value is not an object.
    public func parseObject(_ bytes: some ContiguousBytesLike) throws(JSONError) -> JSONObject {
        try bytes.withRawBytes { raw throws(JSONError) in try parseObject(raw) }
    }

    /// Parses `bytes`, which must hold a JSON object.
    /// - Throws: ``JSONError``; ``JSONError/Code/wrongType`` when the value is not an object.
    public func parseObject(_ bytes: UnsafeRawBufferPointer) throws(JSONError) -> JSONObject {
        let value = try parse(bytes)
        guard case .object(let object) = value else {
            throw JSONError(.wrongType, "expected a JSON object, found \(value.typeName)")
        }
        return object
    }
}

/// Byte containers the JSON reader accepts without copying: `[UInt8]`, `ArraySlice<UInt8>`,
/// `Data` (through `ContiguousBytes`) and `String` (its UTF-8).
///
/// A small protocol of its own because typed throws cannot pass through
/// `ContiguousBytes.withUnsafeBytes`.
public protocol ContiguousBytesLike {
    /// Calls `body` with the bytes.
    func withRawBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R
}

extension Array: ContiguousBytesLike where Element == UInt8 {
    public func withRawBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        let result: Result<R, E> = withUnsafeBytes { raw in Result { () throws(E) -> R in try body(raw) } }
        return try result.get()
    }
}

extension ArraySlice: ContiguousBytesLike where Element == UInt8 {
    public func withRawBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        let result: Result<R, E> = withUnsafeBytes { raw in Result { () throws(E) -> R in try body(raw) } }
        return try result.get()
    }
}

extension String: ContiguousBytesLike {
    public func withRawBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        var copy = self
        let result: Result<R, E> = copy.withUTF8 { utf8 in
            Result { () throws(E) -> R in try body(UnsafeRawBufferPointer(utf8)) }
        }
        return try result.get()
    }
}

#if canImport(Foundation)
public import struct Foundation.Data

extension Data: ContiguousBytesLike {
    public func withRawBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        let result: Result<R, E> = withUnsafeBytes { raw in Result { () throws(E) -> R in try body(raw) } }
        return try result.get()
    }
}
#endif
