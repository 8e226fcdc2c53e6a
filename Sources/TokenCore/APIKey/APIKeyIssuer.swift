public import Foundation

/// A newly issued API key: the key itself, shown to its owner once, and its stored record.
public struct IssuedAPIKey: Sendable, CustomStringConvertible {
    /// The full key. It exists only here: the store keeps its hash.
    public let key: String
    /// The record the store now holds.
    public let record: APIKeyRecord

    /// Redacted, so logging an `IssuedAPIKey` never leaks the key.
    public var description: String { "IssuedAPIKey(id: \(record.id), prefix: \(record.displayPrefix)…)" }
}

/// Issues, rotates and revokes API keys in a store.
///
/// ```swift
/// let issuer = APIKeyIssuer(store: store)
/// let issued = try await issuer.issue(name: "reports", owner: "acme", scopes: ["reports:read"],
///                                     expiresAt: nil)
/// print(issued.key)   // once; only the hash is kept
/// ```
///
/// An owner may hold any number of active keys, which is what makes rotation painless: issue
/// the new key, move clients over, then revoke the old one or let ``rotate(id:overlap:)`` expire
/// it after an overlap.
public struct APIKeyIssuer: Sendable {
    /// Where records go.
    public let store: any APIKeyStore
    /// The format of new keys.
    public let format: APIKeyFormat
    /// How keys are hashed; the verifier must use the same.
    public let hasher: APIKeyHasher
    let clock: any WallClock
    let random: any RandomSource

    /// Creates an issuer.
    /// - Parameters:
    ///   - store: Where records are kept.
    ///   - format: The key format (``APIKeyFormat/live`` by default).
    ///   - hasher: SHA-256 by default, or HMAC-SHA-256 with a pepper.
    ///   - clock: Stamps creation and revocation times.
    ///   - random: The entropy for keys and ids.
    public init(
        store: any APIKeyStore,
        format: APIKeyFormat = .live,
        hasher: APIKeyHasher = .sha256,
        clock: any WallClock = SystemClock(),
        random: any RandomSource = SystemRandomSource()
    ) {
        self.store = store
        self.format = format
        self.hasher = hasher
        self.clock = clock
        self.random = random
    }

    /// Generates a key, stores its record and returns both.
    ///
    /// - Parameters:
    ///   - name: What the key is for: 1 to 128 printable characters.
    ///   - owner: Who it acts for (the principal's subject): 1 to 128 printable characters.
    ///   - scopes: RFC 6749 §3.3 scope tokens, at most 64.
    ///   - expiresAt: When it stops working, or `nil` for never. Must be in the future.
    /// - Returns: The key (shown once) and its record.
    /// - Throws: ``APIKeyError/Code/invalidArgument`` for a bad field,
    ///   ``APIKeyError/Code/generationFailed`` when the random source fails, or a store error.
    public func issue(name: String, owner: String, scopes: [String], expiresAt: Date? = nil) async throws(APIKeyError) -> IssuedAPIKey {
        let now = Self.wholeSeconds(clock.now())
        if let expiresAt, expiresAt <= now {
            throw APIKeyError(.invalidArgument, "the expiry time must be in the future")
        }
        let key = try format.generate(using: random)
        let idBytes: [UInt8]
        do { idBytes = try random.bytes(count: 12) } catch {
            throw APIKeyError(.generationFailed, "the random source failed: \(error.reason)")
        }
        let record = APIKeyRecord(
            id: "key_" + Base62.encode(idBytes),
            name: name,
            owner: owner,
            scopes: scopes,
            displayPrefix: format.displayPrefix(of: key),
            hash: hasher.digest(of: key),
            hashAlgorithm: hasher.algorithm,
            createdAt: now,
            expiresAt: expiresAt.map(Self.wholeSeconds)
        )
        try record.validate(as: .invalidArgument)
        try await store.insert(record)
        return IssuedAPIKey(key: key, record: record)
    }

    /// Generates a key that expires `lifetime` seconds from now (`nil`: never), stores its record
    /// and returns both. See ``issue(name:owner:scopes:expiresAt:)``.
    public func issue(name: String, owner: String, scopes: [String], lifetime: TimeInterval?) async throws(APIKeyError) -> IssuedAPIKey {
        if let lifetime, !(lifetime > 0 && lifetime.isFinite) {
            throw APIKeyError(.invalidArgument, "the lifetime must be a positive number of seconds")
        }
        let now = Self.wholeSeconds(clock.now())
        return try await issue(name: name, owner: owner, scopes: scopes, expiresAt: lifetime.map { now.addingTimeInterval($0) })
    }

    /// Revokes key `id` now. Other keys of the same owner keep working.
    /// - Returns: The revoked record.
    /// - Throws: ``APIKeyError/Code/notFound`` for an unknown id, or a store error.
    @discardableResult
    public func revoke(id: String) async throws(APIKeyError) -> APIKeyRecord {
        try await store.revoke(id: id, at: Self.wholeSeconds(clock.now()))
    }

    /// Rotates key `id`: issues a successor with the same name, owner and scopes (and the same
    /// remaining lifetime policy: no expiry stays no expiry), then makes the old key expire
    /// after `overlap` seconds so clients can switch without an outage.
    ///
    /// If the process stops between the two steps, both keys stay valid: the safe side.
    /// - Parameters:
    ///   - id: The key to replace; it must be active.
    ///   - overlap: Seconds the old key keeps working (0 ends it now).
    /// - Returns: The new key.
    /// - Throws: ``APIKeyError/Code/notFound``, ``APIKeyError/Code/invalidArgument`` when the
    ///   key is not active or `overlap` is negative, or a store error.
    public func rotate(id: String, overlap: TimeInterval) async throws(APIKeyError) -> IssuedAPIKey {
        guard overlap >= 0, overlap.isFinite else { throw APIKeyError(.invalidArgument, "the overlap must be zero or more seconds") }
        guard let old = try await store.record(id: id) else { throw APIKeyError(.notFound, "no API key has id \(id)") }
        let now = Self.wholeSeconds(clock.now())
        guard old.status(at: now) == .active else { throw APIKeyError(.invalidArgument, "only an active key can be rotated") }
        let lifetime = old.expiresAt.map { $0.timeIntervalSince(old.createdAt) }
        let successor = try await issue(
            name: old.name, owner: old.owner, scopes: old.scopes,
            expiresAt: lifetime.map { now.addingTimeInterval(max($0, 1)) }
        )
        let end = Self.wholeSeconds(now.addingTimeInterval(overlap))
        _ = try await store.update(id: id) { record in
            if record.expiresAt.map({ $0 > end }) ?? true { record.expiresAt = end }
        }
        return successor
    }

    /// Key files store whole seconds; stamping whole seconds keeps memory and file identical.
    static func wholeSeconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }
}
