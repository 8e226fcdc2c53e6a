public import Foundation

/// Verifies presented API keys: format and checksum first (no I/O), then a lookup by hash,
/// then revocation and expiry.
///
/// ```swift
/// let verifier = APIKeyVerifier(store: store, formats: [.live])
/// let record = try await verifier.verify(presentedKey)   // throws APIKeyError
/// ```
///
/// The order matters for security and cost: a malformed or mistyped key is refused by
/// ``checkedDigest(of:)`` without touching the store; a well-formed key is hashed and looked up
/// by its digest, so no comparison ever runs over secret bytes.
public struct APIKeyVerifier: Sendable {
    /// The store consulted.
    public let store: any APIKeyStore
    /// The accepted formats (prefixes); a key of any other shape is `malformed`.
    public let formats: [APIKeyFormat]
    /// Must match the issuer's.
    public let hasher: APIKeyHasher
    package let clock: any WallClock
    let usageGranularity: TimeInterval

    /// Creates a verifier.
    /// - Parameters:
    ///   - store: Where records are looked up.
    ///   - formats: Accepted key formats, for example `[.live]` in production.
    ///   - hasher: The issuer's hasher.
    ///   - clock: Decides expiry.
    ///   - usageGranularity: A key's last-used time is recorded at most this often (seconds),
    ///     so a busy key does not cost a store call per request.
    public init(
        store: any APIKeyStore,
        formats: [APIKeyFormat] = [.live],
        hasher: APIKeyHasher = .sha256,
        clock: any WallClock = SystemClock(),
        usageGranularity: TimeInterval = 60
    ) {
        self.store = store
        self.formats = formats
        self.hasher = hasher
        self.clock = clock
        self.usageGranularity = usageGranularity
    }

    /// Returns the record of an active key.
    ///
    /// - Parameter key: The key as presented.
    /// - Returns: The key's record (with scopes and owner).
    /// - Throws: ``APIKeyError`` with ``APIKeyError/Code/malformed``,
    ///   ``APIKeyError/Code/badChecksum``, ``APIKeyError/Code/unknown``,
    ///   ``APIKeyError/Code/revoked``, ``APIKeyError/Code/expired``, or a store error.
    public func verify(_ key: String) async throws(APIKeyError) -> APIKeyRecord {
        let digest = try checkedDigest(of: key)
        guard let record = try await store.record(matching: digest), record.hashAlgorithm == hasher.algorithm else {
            throw APIKeyError(.unknown, "the API key is not known")
        }
        let now = clock.now()
        switch record.status(at: now) {
        case .revoked: throw APIKeyError(.revoked, "the API key has been revoked")
        case .expired: throw APIKeyError(.expired, "the API key has expired")
        case .active: break
        }
        if record.lastUsedAt.map({ now.timeIntervalSince($0) >= usageGranularity }) ?? true {
            await store.recordUse(id: record.id, at: APIKeyIssuer.wholeSeconds(now))
        }
        return record
    }

    /// Re-checks a key that ``verify(_:)`` accepted earlier, without hashing it again: for a
    /// cache of verified keys (`VerifiedCredentialCache` in TokenMiddleware), whose entry holds
    /// the record returned then.
    ///
    /// The store is consulted exactly as by ``verify(_:)``, so a revocation, an expiry or a
    /// change made since (in this process or, for a file store, in another) takes effect at once.
    ///
    /// - Parameter earlier: The record ``verify(_:)`` returned for the key.
    /// - Returns: The current record when the key is still active and its record unchanged
    ///   (apart from its last-used time); `nil` when the record is gone or changed in any other
    ///   way, so the caller verifies the key in full.
    /// - Throws: ``APIKeyError/Code/revoked`` or ``APIKeyError/Code/expired``, or a store error.
    public func reverify(_ earlier: APIKeyRecord) async throws(APIKeyError) -> APIKeyRecord? {
        guard let record = try await store.record(id: earlier.id), record.hash == earlier.hash,
              record.hashAlgorithm == hasher.algorithm else { return nil }
        let now = clock.now()
        switch record.status(at: now) {
        case .revoked: throw APIKeyError(.revoked, "the API key has been revoked")
        case .expired: throw APIKeyError(.expired, "the API key has expired")
        case .active: break
        }
        var current = record, before = earlier
        current.lastUsedAt = nil
        before.lastUsedAt = nil
        guard current == before else { return nil }
        if record.lastUsedAt.map({ now.timeIntervalSince($0) >= usageGranularity }) ?? true {
            await store.recordUse(id: record.id, at: APIKeyIssuer.wholeSeconds(now))
        }
        return record
    }

    /// Checks `key`'s format and checksum against the accepted formats and returns its digest,
    /// synchronously and without any lookup.
    ///
    /// - Throws: ``APIKeyError/Code/malformed`` or ``APIKeyError/Code/badChecksum``.
    public func checkedDigest(of key: String) throws(APIKeyError) -> APIKeyDigest {
        let result: Result<APIKeyDigest, APIKeyError> = key.withBorrowedUTF8 { utf8 in
            let raw = UnsafeRawBufferPointer(utf8)
            guard raw.count <= APIKeyFormat.maximumKeyLength else {
                return .failure(APIKeyError(.malformed, "the API key is too long"))
            }
            // The prefix runs through the last "_", which base62 never contains.
            guard let underscore = raw.lastIndex(of: UInt8(ascii: "_")) else {
                return .failure(APIKeyError(.malformed, "the API key has no prefix"))
            }
            let prefix = UnsafeRawBufferPointer(rebasing: raw[0...underscore])
            for format in formats where format.prefix.utf8.elementsEqual(prefix) {
                if let failure = format.validate(utf8: raw) { return .failure(failure) }
                return .success(hasher.digest(utf8: raw))
            }
            return .failure(APIKeyError(.malformed, "the API key does not have an accepted prefix"))
        }
        return try result.get()
    }
}
