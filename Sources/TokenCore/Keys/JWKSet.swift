/// A JSON Web Key Set (RFC 7517 §5) read into verification keys keyed by `kid`.
///
/// As RFC 7517 §5 asks, keys this library cannot use are ignored rather than failing the set:
/// unknown key types or curves, keys missing members or out of range (an RSA modulus under 2048
/// bits), keys whose `use`/`key_ops` exclude verification (`"use": "enc"`), and `oct` secrets
/// unless ``init(json:allowSecrets:)`` is told to accept them (a secret has no business in a
/// published key set). Each ignored key is listed in ``skipped`` with its reason. The set itself
/// must be a JSON object with a `keys` array of objects, within ``maximumKeyCount`` keys and
/// ``maximumSize`` bytes, and two usable keys may not share a `kid`.
///
/// ```swift
/// let jwks = try JWKSet(json: responseBody)
/// let verifier = JWTVerifier(keys: try jwks.keySet(), options: options)
/// ```
public struct JWKSet: Sendable {
    /// A key that was ignored, and why.
    public struct SkippedKey: Sendable, Hashable {
        /// Position in the `keys` array.
        public var index: Int
        /// Its `kid`, when it had a string one.
        public var keyID: String?
        /// Why it was ignored.
        public var reason: String
    }

    /// The largest JWKS document read.
    public static let maximumSize = 512 * 1024
    /// The most keys a set may hold.
    public static let maximumKeyCount = 256

    /// The usable keys, each already turned into a verification key, in document order.
    public let keys: [any JWTVerificationKey]
    /// Their key ids (parallel to ``keys``).
    public let keyIDs: [String?]
    /// The keys that were ignored.
    public let skipped: [SkippedKey]

    /// Reads a JWKS document.
    /// - Parameters:
    ///   - json: The document.
    ///   - allowSecrets: Whether `oct` (HMAC) keys are accepted; `false` by default.
    ///   - defaultRSA: The algorithm for RSA keys without `alg` (RS256 by default; `nil`
    ///     skips such keys).
    /// - Throws: ``JWTError/Code/invalidKey`` when the document is not a key set, is too large,
    ///   or two usable keys share a `kid`.
    public init(json: some ContiguousBytesLike, allowSecrets: Bool = false, defaultRSA: JWTAlgorithm? = .rs256) throws(JWTError) {
        let object: JSONObject
        do {
            object = try JSONReader(maximumDepth: 8, maximumSize: Self.maximumSize).parseObject(json)
        } catch {
            throw JWTError(.invalidKey, "the JWKS is not a JSON object: \(error.reason)")
        }
        guard let array = object["keys"]?.arrayValue else {
            throw JWTError(.invalidKey, "the JWKS has no keys array (RFC 7517 §5)")
        }
        guard array.count <= Self.maximumKeyCount else {
            throw JWTError(.invalidKey, "the JWKS holds more than \(Self.maximumKeyCount) keys")
        }
        var keys: [any JWTVerificationKey] = []
        var ids: [String?] = []
        var skipped: [SkippedKey] = []
        var seen: Set<String> = []
        for (index, element) in array.enumerated() {
            guard let member = element.objectValue else {
                throw JWTError(.invalidKey, "JWKS keys[\(index)] is not an object")
            }
            let kid = member["kid"]?.stringValue
            let usable: Result<(any JWTVerificationKey, String?), JWTError> = Result { () throws(JWTError) in
                let jwk = try JWK(object: member)
                if case .secret = jwk.material, !allowSecrets {
                    throw JWTError(.invalidKey, "oct secrets are not accepted from a key set")
                }
                guard jwk.allowsVerification else { throw JWTError(.invalidKey, "use/key_ops exclude verification") }
                return (try jwk.verificationKey(defaultRSA: defaultRSA), jwk.keyID)
            }
            switch usable {
            case .failure(let error):
                skipped.append(SkippedKey(index: index, keyID: kid, reason: error.reason))
            case .success(let (key, keyID)):
                if let keyID {
                    guard seen.insert(keyID).inserted else { throw JWTError(.invalidKey, "two keys in the JWKS share a kid") }
                }
                keys.append(key)
                ids.append(keyID)
            }
        }
        self.keys = keys
        self.keyIDs = ids
        self.skipped = skipped
    }

    /// The keys as a ``JWTKeySet``: those with a `kid` are found by it, the others by algorithm.
    public func keySet() throws(JWTError) -> JWTKeySet {
        var set = JWTKeySet()
        for (key, id) in zip(keys, keyIDs) { try set.add(key, keyID: id) }
        return set
    }
}
