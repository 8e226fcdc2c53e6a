/// An ordered, multi-valued collection of header fields (RFC 9110 §5).
///
/// Names compare case-insensitively (ASCII) but keep their original spelling for output.
/// Repeated fields stay separate entries: nothing here joins two values into one, which matters
/// for fields like `Authorization` where two values make a request malformed.
public struct HTTPHeaders: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    /// One header field as received or to be sent.
    public struct Field: Sendable, Hashable {
        /// The name as spelled by the sender.
        public var name: String
        /// The field value, without surrounding whitespace.
        public var value: String
        /// Creates a field.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    private var fields: [Field] = []

    /// Creates an empty collection.
    public init() {}

    /// Creates a collection from `(name, value)` pairs, kept in order.
    public init(_ fields: [(String, String)]) {
        self.fields = fields.map { Field(name: $0.0, value: $0.1) }
    }

    /// Creates a collection from a literal; repeated names stay separate fields.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    /// Iterates the fields in order.
    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

    /// Number of fields, counting repeats.
    public var count: Int { fields.count }

    /// The first value of field `name`, or `nil`.
    public subscript(_ name: String) -> String? {
        fields.first { Self.namesEqual($0.name, name) }?.value
    }

    /// Every value of field `name`, in order.
    public func values(for name: String) -> [String] {
        fields.compactMap { Self.namesEqual($0.name, name) ? $0.value : nil }
    }

    /// Whether at least one field `name` is present.
    public func contains(_ name: String) -> Bool {
        fields.contains { Self.namesEqual($0.name, name) }
    }

    /// Reserves room for `count` fields, so a parser that adds them one by one allocates once.
    /// - Parameter count: the number of fields expected.
    public mutating func reserveCapacity(_ count: Int) {
        fields.reserveCapacity(count)
    }

    /// Appends a field, keeping any existing ones of the same name.
    public mutating func add(name: String, value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Removes every field `name`, then appends one with `value`.
    public mutating func replaceOrAdd(name: String, value: String) {
        remove(name: name)
        add(name: name, value: value)
    }

    /// Removes every field `name`.
    public mutating func remove(name: String) {
        fields.removeAll { Self.namesEqual($0.name, name) }
    }

    /// ASCII case-insensitive comparison of field names (RFC 9110 §5.1).
    public static func namesEqual(_ a: String, _ b: String) -> Bool {
        let x = a.utf8, y = b.utf8
        guard x.count == y.count else { return false }
        // Native strings (all but bridged ones) are contiguous: a plain indexed loop, which
        // matters because every header lookup on the request path runs this per field.
        if let outer = x.withContiguousStorageIfAvailable({ p in
            y.withContiguousStorageIfAvailable { q in
                for i in 0..<p.count where p[i] != q[i] && foldASCII(p[i]) != foldASCII(q[i]) { return false }
                return true
            }
        }), let equal = outer {
            return equal
        }
        for (p, q) in zip(x, y) where p != q && foldASCII(p) != foldASCII(q) { return false }
        return true
    }

    /// ``namesEqual(_:_:)`` with one side read in place from a field (an auth scheme).
    static func namesEqual(_ bytes: UnsafeBufferPointer<UInt8>, _ name: String) -> Bool {
        let utf8 = name.utf8
        guard bytes.count == utf8.count else { return false }
        for (p, q) in zip(bytes, utf8) where p != q && foldASCII(p) != foldASCII(q) { return false }
        return true
    }

    /// Lower-cases ASCII letters only; anything else must match exactly.
    private static func foldASCII(_ byte: UInt8) -> UInt8 {
        (byte >= 65 && byte <= 90) ? byte | 0x20 : byte
    }
}

extension HTTPHeaders {
    /// Well-known field names, as static members users can extend.
    public enum Name {
        /// `Authorization` (RFC 9110 §11.6.2).
        public static let authorization = "Authorization"
        /// `WWW-Authenticate` (RFC 9110 §11.6.1).
        public static let wwwAuthenticate = "WWW-Authenticate"
        /// `Content-Type`.
        public static let contentType = "Content-Type"
        /// `Content-Length`.
        public static let contentLength = "Content-Length"
        /// `Cookie` (RFC 6265 §5.4).
        public static let cookie = "Cookie"
        /// `Set-Cookie` (RFC 6265 §4.1).
        public static let setCookie = "Set-Cookie"
        /// `Cache-Control`.
        public static let cacheControl = "Cache-Control"
        /// `Connection`.
        public static let connection = "Connection"
        /// `Host`.
        public static let host = "Host"
    }
}
