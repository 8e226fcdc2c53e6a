public import Foundation

/// A shared secret for signed dynamic tokens, with the key id that names it on the wire.
///
/// The secret is absorbed into a keyed HMAC-SHA256 prototype at initialisation (RFC 2104 §2) and
/// not kept otherwise; `description` and `dump` show only the id. A key is bound to its
/// algorithm: signed dynamic tokens are HMAC-SHA256 only, and a token cannot choose otherwise.
///
/// ```swift
/// let key = try DynamicTokenKey(id: "2026-11", secret: secretBytes)   // ≥ 32 random bytes
/// ```
public struct DynamicTokenKey: Sendable, CustomStringConvertible, CustomReflectable {
    /// The key id: 1 to 64 characters from `A–Z a–z 0–9 - _`.
    public var id: String { storage.id }
    /// The id and the 224-byte keyed HMAC state behind one reference, so that handing a key
    /// around (the key ring's lookup on every verification) copies a pointer, not the state.
    final class Storage: Sendable {
        let id: String
        let mac: HMAC<SHA256>

        init(id: String, mac: HMAC<SHA256>) {
            self.id = id
            self.mac = mac
        }
    }

    let storage: Storage

    /// The smallest accepted secret: 32 bytes, the HMAC-SHA256 output length (RFC 2104 §3).
    public static let minimumSecretLength = 32
    /// The largest accepted secret.
    public static let maximumSecretLength = 1024

    /// - Parameters:
    ///   - id: The key id sent in every token made with this key.
    ///   - secret: 32 to 1 024 bytes; generate them with a CSPRNG (`openssl rand -hex 32`).
    /// - Throws: ``DynamicTokenError`` (`invalid_configuration`) for a malformed id or a secret
    ///   of the wrong length.
    public init(id: String, secret: some ContiguousBytes) throws(DynamicTokenError) {
        guard SignedDynamicToken.isKeyID(id) else {
            throw DynamicTokenError(.invalidConfiguration, "a dynamic-token key id must be 1 to 64 characters of A-Z a-z 0-9 - _")
        }
        let length = secret.withUnsafeBytes { $0.count }
        guard (Self.minimumSecretLength...Self.maximumSecretLength).contains(length) else {
            throw DynamicTokenError(.invalidConfiguration, "a dynamic-token secret must be 32 to 1024 bytes (it is \(length))")
        }
        self.storage = Storage(id: id, mac: HMAC<SHA256>(key: secret))
    }

    /// Creates a key from a hexadecimal secret (64 or more hex digits).
    /// - Throws: ``DynamicTokenError`` (`invalid_configuration`) for invalid hex or a bad length.
    public init(id: String, hexSecret: String) throws(DynamicTokenError) {
        let bytes: [UInt8]
        do { bytes = try Hex.decode(hexSecret) } catch {
            throw DynamicTokenError(.invalidConfiguration, "the dynamic-token secret is not valid hexadecimal")
        }
        try self.init(id: id, secret: bytes)
    }

    public var description: String { "DynamicTokenKey(id: \(id))" }
    public var customMirror: Mirror { Mirror(self, children: ["id": id]) }
}
