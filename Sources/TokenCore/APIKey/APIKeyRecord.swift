public import Foundation

/// What a store keeps about one API key: never the key itself, only its hash.
///
/// Records are plain data. The key file stores them as JSON (dates in ISO 8601, whole
/// seconds; the hash in hex), so an operator can read a listing without any secret in it.
public struct APIKeyRecord: Sendable, Hashable, Codable {
    /// A stable, non-secret identifier such as `key_3fK9x2LmQ7pR1sTv`, used to revoke the key.
    public var id: String
    /// A human label: what the key is for (`"reporting job"`).
    public var name: String
    /// Who the key acts for; becomes the principal's subject.
    public var owner: String
    /// Granted scopes (RFC 6749 §3.3 scope tokens), sorted and unique.
    public var scopes: [String]
    /// The key's non-secret beginning (`tka_live_4QmZ`), for listings and logs.
    public var displayPrefix: String
    /// The key's digest under ``hashAlgorithm``; lookups go by it.
    public var hash: APIKeyDigest
    /// The ``APIKeyHasher/algorithm`` that produced ``hash``.
    public var hashAlgorithm: String
    /// When the key was issued.
    public var createdAt: Date
    /// When the key stops working, or `nil` for never.
    public var expiresAt: Date?
    /// When the key was revoked, or `nil`.
    public var revokedAt: Date?
    /// When the key was last accepted, to a granularity of a minute or so, or `nil`.
    public var lastUsedAt: Date?

    /// Creates a record. ``APIKeyIssuer`` is the usual way to get one.
    public init(
        id: String, name: String, owner: String, scopes: [String], displayPrefix: String,
        hash: APIKeyDigest, hashAlgorithm: String, createdAt: Date,
        expiresAt: Date? = nil, revokedAt: Date? = nil, lastUsedAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.owner = owner
        self.scopes = Array(Set(scopes)).sorted()
        self.displayPrefix = displayPrefix
        self.hash = hash
        self.hashAlgorithm = hashAlgorithm
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.lastUsedAt = lastUsedAt
    }

    /// Where a key stands at a given time.
    public enum Status: String, Sendable, Hashable {
        case active
        case expired
        case revoked
    }

    /// The key's status at `date`. Revocation wins over expiry. A key is expired from its
    /// ``expiresAt`` instant on (the same boundary as JWT `exp`, RFC 7519 §4.1.4).
    public func status(at date: Date) -> Status {
        if revokedAt != nil { return .revoked }
        if let expiresAt, date >= expiresAt { return .expired }
        return .active
    }

    // MARK: - Codable

    enum CodingKeys: String, CodingKey {
        case id, name, owner, scopes
        case displayPrefix = "display_prefix"
        case hash
        case hashAlgorithm = "hash_algorithm"
        case createdAt = "created_at"
        case expiresAt = "expires_at"
        case revokedAt = "revoked_at"
        case lastUsedAt = "last_used_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(String.self, forKey: .id),
            name: try c.decode(String.self, forKey: .name),
            owner: try c.decode(String.self, forKey: .owner),
            scopes: try c.decode([String].self, forKey: .scopes),
            displayPrefix: try c.decode(String.self, forKey: .displayPrefix),
            hash: try APIKeyDigest(hex: c.decode(String.self, forKey: .hash)),
            hashAlgorithm: try c.decode(String.self, forKey: .hashAlgorithm),
            createdAt: try c.decode(Date.self, forKey: .createdAt),
            expiresAt: try c.decodeIfPresent(Date.self, forKey: .expiresAt),
            revokedAt: try c.decodeIfPresent(Date.self, forKey: .revokedAt),
            lastUsedAt: try c.decodeIfPresent(Date.self, forKey: .lastUsedAt)
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(owner, forKey: .owner)
        try c.encode(scopes, forKey: .scopes)
        try c.encode(displayPrefix, forKey: .displayPrefix)
        try c.encode(hash.hex, forKey: .hash)
        try c.encode(hashAlgorithm, forKey: .hashAlgorithm)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encodeIfPresent(expiresAt, forKey: .expiresAt)
        try c.encodeIfPresent(revokedAt, forKey: .revokedAt)
        try c.encodeIfPresent(lastUsedAt, forKey: .lastUsedAt)
    }
}

// MARK: - Field rules

extension APIKeyRecord {
    /// The longest name, owner or id accepted.
    static let maximumLabelLength = 128
    /// The most scopes one key may carry.
    static let maximumScopeCount = 64
    /// The longest scope token accepted.
    static let maximumScopeLength = 128

    /// Checks the fields a person or a file supplies: labels printable and bounded, scopes valid
    /// RFC 6749 §3.3 scope tokens.
    ///
    /// - Throws: `code` (``APIKeyError/Code/invalidArgument`` on creation,
    ///   ``APIKeyError/Code/storeCorrupt`` when loading a file) naming the offending field.
    func validate(as code: APIKeyError.Code) throws(APIKeyError) {
        for (field, value) in [("id", id), ("name", name), ("owner", owner), ("display prefix", displayPrefix), ("hash algorithm", hashAlgorithm)] {
            guard Self.isPrintableLabel(value) else {
                throw APIKeyError(code, "\(field) must be 1 to \(Self.maximumLabelLength) printable characters")
            }
        }
        guard scopes.count <= Self.maximumScopeCount else {
            throw APIKeyError(code, "at most \(Self.maximumScopeCount) scopes")
        }
        for scope in scopes where !Self.isScopeToken(scope) {
            throw APIKeyError(code, "a scope must be 1 to \(Self.maximumScopeLength) characters of RFC 6749 scope-token syntax (no spaces, quotes or backslashes)")
        }
    }

    /// 1 to 128 characters with no control characters (names end up in terminals and logs).
    static func isPrintableLabel(_ value: String) -> Bool {
        let count = value.unicodeScalars.count
        guard count >= 1, count <= maximumLabelLength else { return false }
        return value.unicodeScalars.allSatisfy { !$0.properties.generalCategory.isControlOrFormat }
    }

    /// RFC 6749 §3.3: `scope-token = 1*( %x21 / %x23-5B / %x5D-7E )`.
    static func isScopeToken(_ value: String) -> Bool {
        let bytes = value.utf8
        guard !bytes.isEmpty, bytes.count <= maximumScopeLength else { return false }
        return bytes.allSatisfy { $0 == 0x21 || (0x23...0x5B).contains($0) || (0x5D...0x7E).contains($0) }
    }
}

extension Unicode.GeneralCategory {
    fileprivate var isControlOrFormat: Bool {
        switch self {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .unassigned: true
        default: false
        }
    }
}
