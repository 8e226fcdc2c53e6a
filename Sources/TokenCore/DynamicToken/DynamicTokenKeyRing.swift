/// The keys a verifier accepts, by key id: rotation is adding a new key, switching the signers
/// to it, then removing the old one.
///
/// An immutable value: retiring a key is a configuration change (a new ring without it), after
/// which tokens naming its id fail with `unknown_key`.
///
/// ```swift
/// let ring = try DynamicTokenKeyRing([current, previous])
/// let retired = ring.removing(keyID: previous.id)
/// ```
public struct DynamicTokenKeyRing: Sendable {
    private var keys: [String: DynamicTokenKey] {
        didSet { (ids, list) = Self.lists(keys) }
    }
    /// Every key's id as UTF-8 bytes, and the key at the same index, for ``key(utf8:)``
    /// (two plain arrays: a tuple element would be copied through runtime metadata).
    private var ids: [[UInt8]]
    private var list: [DynamicTokenKey]

    /// - Throws: ``DynamicTokenError`` (`invalid_configuration`) when two keys share an id.
    public init(_ keys: [DynamicTokenKey]) throws(DynamicTokenError) {
        var byID: [String: DynamicTokenKey] = [:]
        for key in keys {
            guard byID[key.id] == nil else {
                throw DynamicTokenError(.invalidConfiguration, "two dynamic-token keys share the id \(key.id)")
            }
            byID[key.id] = key
        }
        self.keys = byID
        (self.ids, self.list) = Self.lists(byID)
    }

    private static func lists(_ keys: [String: DynamicTokenKey]) -> ([[UInt8]], [DynamicTokenKey]) {
        let list = Array(keys.values)
        return (list.map { Array($0.id.utf8) }, list)
    }

    /// The key whose id has the UTF-8 bytes `id`, or `nil`: the verifier's lookup, straight
    /// from the token's bytes. Key ids are public, so the comparison need not be constant-time.
    func key(utf8 id: UnsafeBufferPointer<UInt8>) -> DynamicTokenKey? {
        // A ring holds a handful of keys: comparing bytes beats building and hashing a String.
        guard ids.count <= 8 else { return keys[String(decoding: id, as: UTF8.self)] }
        for i in ids.indices where ids[i].count == id.count {
            if ids[i].withUnsafeBufferPointer({ $0.elementsEqual(id) }) { return list[i] }
        }
        return nil
    }

    /// The key with id `id`, or `nil`.
    public subscript(id id: String) -> DynamicTokenKey? { keys[id] }

    /// The ids of every key, sorted.
    public var keyIDs: [String] { keys.keys.sorted() }

    /// Whether the ring holds no key (a verifier with an empty ring rejects everything).
    public var isEmpty: Bool { keys.isEmpty }

    /// A ring with `key` added.
    /// - Throws: ``DynamicTokenError`` (`invalid_configuration`) when its id is already present.
    public func adding(_ key: DynamicTokenKey) throws(DynamicTokenError) -> DynamicTokenKeyRing {
        guard keys[key.id] == nil else {
            throw DynamicTokenError(.invalidConfiguration, "a dynamic-token key with id \(key.id) is already present")
        }
        var copy = self
        copy.keys[key.id] = key
        return copy
    }

    /// A ring without the key `keyID` (retirement). Unknown ids are ignored.
    public func removing(keyID: String) -> DynamicTokenKeyRing {
        var copy = self
        copy.keys[keyID] = nil
        return copy
    }
}
