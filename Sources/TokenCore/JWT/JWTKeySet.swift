/// The verification keys a verifier trusts, each bound to one algorithm and optionally known by
/// a key id.
///
/// Key selection follows one rule set (RFC 7515 §4.1.4, RFC 8725 §3.1):
/// - a token with `kid` gets the key registered under exactly that id, compared as an opaque
///   string; an unknown `kid` is refused (``JWTError/Code/unknownKey``), never answered with a
///   default key; a key bound to another algorithm than the token's `alg` is refused too;
/// - a token without `kid` is tried against the keys whose algorithm equals its `alg`, in the
///   order they were added;
/// - the header never chooses the key *type*: keys are bound to algorithms before any token is
///   seen, and `jwk`, `jku`, `x5u` and `x5c` headers are never consulted.
///
/// ```swift
/// var keys = JWTKeySet()
/// try keys.add(HMACJWTKey(.hs256, secret: current), keyID: "2026-02")
/// try keys.add(HMACJWTKey(.hs256, secret: previous), keyID: "2026-01")
/// ```
public struct JWTKeySet: Sendable {
    private var byKeyID: [String: any JWTVerificationKey] = [:]
    private var byAlgorithm: [JWTAlgorithm: [any JWTVerificationKey]] = [:]
    /// Every key with its id, in the order added.
    public private(set) var entries: [(keyID: String?, key: any JWTVerificationKey)] = []
    /// `entries` split in two, for the per-token scans: reading one field of a tuple element
    /// copies the whole tuple (an id and an existential), which cost more than the comparison.
    private var keyIDs: [String?] = []
    private var keys: [any JWTVerificationKey] = []

    /// Creates an empty key set.
    public init() {}

    /// Creates a key set from keys that carry their own ids (``HMACJWTKey/keyID``).
    /// - Throws: ``JWTError/Code/invalidKey`` when two keys share a key id.
    public init(_ keys: [HMACJWTKey]) throws(JWTError) {
        for key in keys { try add(key, keyID: key.keyID) }
    }

    /// Adds `key`, known by `keyID` when given.
    /// - Throws: ``JWTError/Code/invalidKey`` when `keyID` is already taken, or the key is bound
    ///   to `none`.
    public mutating func add(_ key: any JWTVerificationKey, keyID: String? = nil) throws(JWTError) {
        guard !key.algorithm.isNone else { throw JWTError(.invalidKey, "a key cannot be bound to alg none") }
        if let keyID {
            guard byKeyID[keyID] == nil else { throw JWTError(.invalidKey, "two keys share one key id") }
            byKeyID[keyID] = key
        }
        byAlgorithm[key.algorithm, default: []].append(key)
        entries.append((keyID, key))
        keyIDs.append(keyID)
        keys.append(key)
    }

    /// The number of keys.
    public var count: Int { entries.count }

    /// Whether the set has no keys.
    public var isEmpty: Bool { entries.isEmpty }

    /// Whether a key is registered under `keyID`.
    public func contains(keyID: String) -> Bool { byKeyID[keyID] != nil }

    /// The key registered under `keyID`, if any. Compared as opaque strings.
    public func key(withID keyID: String) -> (any JWTVerificationKey)? {
        // A short scan beats hashing the id for the few keys a set usually holds.
        if keyIDs.count <= 8 {
            for i in keyIDs.indices where keyIDs[i] == keyID { return keys[i] }
            return nil
        }
        return byKeyID[keyID]
    }

    /// The keys a token with `algorithm` and optional `keyID` may be verified with, by the rules
    /// above. Never empty.
    /// - Throws: ``JWTError/Code/unknownKey`` or ``JWTError/Code/unsupportedAlgorithm``.
    public func candidates(algorithm: JWTAlgorithm, keyID: String?) throws(JWTError) -> [any JWTVerificationKey] {
        guard !algorithm.isNone else { throw JWTError(.unsupportedAlgorithm, "unsecured JWTs (alg none) are never accepted") }
        if let keyID {
            guard let key = key(withID: keyID) else { throw JWTError(.unknownKey, "the token's key id names no configured key") }
            guard key.algorithm == algorithm else {
                throw JWTError(.unsupportedAlgorithm, "the key named by the token's key id is not bound to the token's algorithm")
            }
            return [key]
        }
        guard let keys = byAlgorithm[algorithm], !keys.isEmpty else {
            throw JWTError(.unsupportedAlgorithm, "no configured key is bound to the token's algorithm")
        }
        return keys
    }
}

extension JWTKeySet {
    /// Verifies `signature` over `input` with the candidate keys, without building a candidate
    /// array: the hot path of every verification.
    /// - Throws: ``JWTError/Code/unknownKey``, ``JWTError/Code/unsupportedAlgorithm`` or
    ///   ``JWTError/Code/badSignature``.
    func verify(
        _ signature: UnsafeRawBufferPointer, for input: UnsafeRawBufferPointer, algorithm: JWTAlgorithm, keyID: String?
    ) throws(JWTError) {
        guard !algorithm.isNone else { throw JWTError(.unsupportedAlgorithm, "unsecured JWTs (alg none) are never accepted") }
        if let keyID {
            guard let key = key(withID: keyID) else { throw JWTError(.unknownKey, "the token's key id names no configured key") }
            guard key.algorithm == algorithm else {
                throw JWTError(.unsupportedAlgorithm, "the key named by the token's key id is not bound to the token's algorithm")
            }
            guard key.isValidSignature(signature, for: input) else { throw JWTError(.badSignature, "the signature does not verify") }
            return
        }
        var sawAlgorithm = false
        for i in keys.indices where keys[i].algorithm == algorithm {
            sawAlgorithm = true
            if keys[i].isValidSignature(signature, for: input) { return }
        }
        guard sawAlgorithm else { throw JWTError(.unsupportedAlgorithm, "no configured key is bound to the token's algorithm") }
        throw JWTError(.badSignature, "the signature does not verify")
    }
}

/// Supplies the key set for a token, possibly from a remote source: the asynchronous side of key
/// lookup (a JWKS endpoint that is cached and refreshed).
///
/// ``JWTKeySet`` conforms by returning itself. A remote resolver returns its current set, and may
/// refresh it first when the header's `kid` is not in it (rate-limited, so random key ids cannot
/// amplify requests). Selection within the returned set follows ``JWTKeySet``'s rules; the
/// resolver never picks a key from `jwk`, `jku`, `x5u` or `x5c` headers.
public protocol JWTKeyResolver: Sendable {
    /// Returns the keys to verify a token with `header`.
    /// - Throws: ``JWTError`` (``JWTError/Code/unavailable`` when keys cannot be obtained). Other
    ///   errors are reported as ``JWTError/Code/unavailable``.
    func keySet(for header: JWTHeader) async throws -> JWTKeySet
}

extension JWTKeySet: JWTKeyResolver {
    public func keySet(for header: JWTHeader) async throws -> JWTKeySet { self }
}
