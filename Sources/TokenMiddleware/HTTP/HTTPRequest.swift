/// An HTTP request: the minimal model the middleware and authenticators work on.
///
/// A value type. Middleware that learns something about the request (an authenticated
/// principal) stores it in ``storage`` or ``identities`` and passes the modified copy on.
public struct HTTPRequest: Sendable {
    /// The request method.
    public var method: HTTPMethod
    /// The request target in origin form (RFC 9112 §3.2.1): path and optional query, still
    /// percent-encoded, for example `/api/items?page=2`.
    public var target: String
    /// The header fields, in the order received.
    public var headers: HTTPHeaders
    /// The body bytes (the server bounds their size before building the request).
    public var body: [UInt8]
    /// The peer's address as text (`"127.0.0.1:51234"`), when the server knows it.
    public var remoteAddress: String?
    /// Typed per-request values set by middleware.
    public var storage: RequestStorage
    /// The identities established by authentication so far, in the order they were established.
    public var identities: Identities

    /// Creates a request with empty storage and no identities.
    /// - Parameters:
    ///   - method: the request method.
    ///   - target: the origin-form target, path and optional query, still percent-encoded.
    ///   - headers: the header fields.
    ///   - body: the body bytes.
    ///   - remoteAddress: the peer's address, if known.
    public init(
        method: HTTPMethod,
        target: String,
        headers: HTTPHeaders = HTTPHeaders(),
        body: [UInt8] = [],
        remoteAddress: String? = nil
    ) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
        self.storage = RequestStorage()
        self.identities = Identities()
    }

    /// The path part of ``target``, still percent-encoded.
    public var path: Substring {
        // Bytes, not Characters: `?` is ASCII and this runs on every request.
        if let q = target.utf8.firstIndex(of: UInt8(ascii: "?")) { return target[..<q] }
        return target[...]
    }

    /// The query part of ``target`` after `?`, still percent-encoded, or `nil` without one.
    public var query: Substring? {
        guard let q = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return nil }
        return target[target.utf8.index(after: q)...]
    }
}

/// Typed per-request storage, keyed by a key type (the approach of swift-service-context).
///
/// ```swift
/// enum TenantKey: RequestStorageKey { typealias Value = String }
/// request.storage[TenantKey.self] = "acme"
/// ```
public struct RequestStorage: Sendable {
    // A short list searched linearly rather than a dictionary: a request carries a handful of
    // values, and this is written on every request (one allocation, no hashing).
    private var entries: [(key: ObjectIdentifier, value: any Sendable)] = []

    /// Creates empty storage.
    public init() {}

    /// The value stored under `key`, or `nil`; assign `nil` to remove it.
    public subscript<Key: RequestStorageKey>(_ key: Key.Type) -> Key.Value? {
        get {
            let id = ObjectIdentifier(key)
            for entry in entries where entry.key == id { return entry.value as? Key.Value }
            return nil
        }
        set {
            let id = ObjectIdentifier(key)
            let index = entries.firstIndex { $0.key == id }
            switch (index, newValue) {
            case (let index?, let value?): entries[index].value = value
            case (let index?, nil): entries.remove(at: index)
            case (nil, let value?):
                if entries.capacity == 0 { entries.reserveCapacity(4) }
                entries.append((id, value))
            case (nil, nil): break
            }
        }
    }
}

/// A key into ``RequestStorage``: its type is the key, `Value` the stored type.
public protocol RequestStorageKey {
    associatedtype Value: Sendable
}
