/// One JSON Web Key (RFC 7517), read strictly, holding a public key or an HMAC secret.
///
/// Supported key types (RFC 7518 §6, RFC 8037 §2): `RSA` (`n`, `e`), `EC` (`crv` `P-256` or
/// `P-384`, `x`, `y`), `OKP` (`crv` `Ed25519`, `x`) and `oct` (`k`). Reading checks:
/// - members have their JSON types; key values are canonical unpadded base64url; `n` and `e`
///   have no leading zero byte, EC coordinates have exactly the curve's length (RFC 7518
///   §6.2.1.2, §6.3.1.1);
/// - RSA moduli are at least 2048 bits; private members (`d`, `p`, `q`, `dp`, `dq`, `qi`,
///   `oth`) are refused: a verifier should never be handed private keys;
/// - `alg`, when present, must suit the key type and curve (an `RS256` `EC` key is refused);
/// - `use` and `key_ops`, when present, are kept and checked when a verification key is made:
///   `use` must be `sig` and `key_ops` must contain `verify`.
///
/// ```swift
/// let jwk = try JWK(json: #"{"kty":"EC","crv":"P-256","x":"…","y":"…","kid":"k1"}"#)
/// let key = try jwk.verificationKey()   // bound to ES256 by the curve
/// ```
public struct JWK: Sendable {
    /// The key material.
    public enum Material: Sendable {
        /// A public key (`RSA`, `EC`, `OKP`).
        case publicKey(AsymmetricPublicKey)
        /// An HMAC secret (`oct`).
        case secret([UInt8])
    }

    /// `kty` (RFC 7517 §4.1).
    public let keyType: String
    /// `kid` (RFC 7517 §4.5).
    public let keyID: String?
    /// `alg` (RFC 7517 §4.4), already checked against the key type.
    public let algorithm: JWTAlgorithm?
    /// `use` (RFC 7517 §4.2).
    public let use: String?
    /// `key_ops` (RFC 7517 §4.3).
    public let keyOperations: [String]?
    /// The key.
    public let material: Material

    /// The largest JWK text read.
    public static let maximumSize = 64 * 1024

    /// Reads a JWK from JSON text.
    /// - Throws: ``JWTError/Code/invalidKey`` naming the rule that failed.
    public init(json: some ContiguousBytesLike) throws(JWTError) {
        let object: JSONObject
        do {
            object = try JSONReader(maximumDepth: 8, maximumSize: Self.maximumSize).parseObject(json)
        } catch {
            throw JWTError(.invalidKey, "the JWK is not a JSON object: \(error.reason)")
        }
        try self.init(object: object)
    }

    /// Reads a JWK from a parsed JSON object.
    /// - Throws: ``JWTError/Code/invalidKey`` naming the rule that failed.
    public init(object: JSONObject) throws(JWTError) {
        let kty = try Self.requiredString(object, "kty")
        keyType = kty
        keyID = try Self.optionalString(object, "kid")
        use = try Self.optionalString(object, "use")
        if let ops = object["key_ops"] {
            guard let array = ops.arrayValue else { throw JWTError(.invalidKey, "JWK key_ops must be an array") }
            var names: [String] = []
            for op in array {
                guard let name = op.stringValue else { throw JWTError(.invalidKey, "JWK key_ops must hold strings") }
                guard !names.contains(name) else { throw JWTError(.invalidKey, "JWK key_ops repeats a value (RFC 7517 §4.3)") }
                names.append(name)
            }
            keyOperations = names
        } else {
            keyOperations = nil
        }
        let alg = try Self.optionalString(object, "alg").map(JWTAlgorithm.init(rawValue:))

        switch kty {
        case "RSA":
            try Self.refusePrivate(object, ["d", "p", "q", "dp", "dq", "qi", "oth"])
            let n = try Self.unsignedInteger(object, "n")
            let e = try Self.unsignedInteger(object, "e")
            do {
                material = .publicKey(.rsa(try RSAPublicKey(modulus: n, exponent: e)))
            } catch {
                throw JWTError(.invalidKey, "JWK RSA key: \(error.reason)")
            }
        case "EC":
            try Self.refusePrivate(object, ["d"])
            let crv = try Self.requiredString(object, "crv")
            guard let curve = AsymmetricPublicKey.Curve(rawValue: crv) else {
                throw JWTError(.invalidKey, "JWK EC curve must be P-256 or P-384")
            }
            let x = try Self.bytes(object, "x"), y = try Self.bytes(object, "y")
            guard x.count == curve.coordinateByteCount, y.count == curve.coordinateByteCount else {
                throw JWTError(.invalidKey, "JWK \(crv) coordinates must be \(curve.coordinateByteCount) bytes each (RFC 7518 §6.2.1.2)")
            }
            material = .publicKey(.ec(curve: curve, x: x, y: y))
        case "OKP":
            try Self.refusePrivate(object, ["d"])
            guard try Self.requiredString(object, "crv") == "Ed25519" else {
                throw JWTError(.invalidKey, "JWK OKP curve must be Ed25519")
            }
            let x = try Self.bytes(object, "x")
            guard x.count == 32 else { throw JWTError(.invalidKey, "JWK Ed25519 x must be 32 bytes (RFC 8037 §2)") }
            material = .publicKey(.ed25519(x))
        case "oct":
            let k = try Self.bytes(object, "k")
            guard !k.isEmpty else { throw JWTError(.invalidKey, "JWK oct key is empty") }
            material = .secret(k)
        default:
            throw JWTError(.invalidKey, "unsupported JWK key type (RSA, EC, OKP and oct are supported)")
        }
        if let alg {
            guard Self.algorithms(for: material).contains(alg) else {
                throw JWTError(.invalidKey, "JWK alg \(alg.rawValue.prefix(16)) does not suit its key type \(kty)")
            }
        }
        algorithm = alg
    }

    /// Creates a JWK around key material (for keys imported from PEM, to publish or bind).
    public init(material: Material, keyID: String? = nil, algorithm: JWTAlgorithm? = nil) throws(JWTError) {
        self.material = material
        self.keyID = keyID
        use = nil
        keyOperations = nil
        switch material {
        case .publicKey(.rsa): keyType = "RSA"
        case .publicKey(.ec): keyType = "EC"
        case .publicKey(.ed25519): keyType = "OKP"
        case .secret: keyType = "oct"
        }
        if let algorithm, !Self.algorithms(for: material).contains(algorithm) {
            throw JWTError(.invalidKey, "\(algorithm) does not suit a \(keyType) key")
        }
        self.algorithm = algorithm
    }

    /// The JWS algorithms a key of this material may be bound to.
    public static func algorithms(for material: Material) -> [JWTAlgorithm] {
        switch material {
        case .publicKey(.rsa): [.rs256, .rs384, .rs512, .ps256, .ps384, .ps512]
        case .publicKey(.ec(curve: .p256, _, _)): [.es256]
        case .publicKey(.ec(curve: .p384, _, _)): [.es384]
        case .publicKey(.ed25519): [.eddsa]
        case .secret: [.hs256, .hs384, .hs512]
        }
    }

    /// Whether `use` and `key_ops` allow verifying signatures (RFC 7517 §4.2, §4.3).
    public var allowsVerification: Bool {
        if let use, use != "sig" { return false }
        if let keyOperations, !keyOperations.contains("verify") { return false }
        return true
    }

    /// The algorithm this key is bound to: its own `alg`; else `requested`; else the only one
    /// its type allows (ES256 for P-256, ES384 for P-384, EdDSA for Ed25519); else
    /// `defaultRSA` for an RSA key.
    /// - Throws: ``JWTError/Code/invalidKey`` when `requested` contradicts `alg` or the key
    ///   type, or no algorithm can be decided (an `oct` key without `alg`).
    public func boundAlgorithm(requested: JWTAlgorithm? = nil, defaultRSA: JWTAlgorithm? = .rs256) throws(JWTError) -> JWTAlgorithm {
        let allowed = Self.algorithms(for: material)
        if let algorithm {
            if let requested, requested != algorithm {
                throw JWTError(.invalidKey, "the JWK is bound to \(algorithm), not \(requested)")
            }
            return algorithm
        }
        if let requested {
            guard allowed.contains(requested) else { throw JWTError(.invalidKey, "\(requested) does not suit a \(keyType) key") }
            return requested
        }
        if allowed.count == 1, let only = allowed.first { return only }
        if case .publicKey(.rsa) = material, let defaultRSA, allowed.contains(defaultRSA) { return defaultRSA }
        throw JWTError(.invalidKey, "the \(keyType) JWK has no alg; say which algorithm to bind it to")
    }

    /// Makes the verification key for this JWK, bound to ``boundAlgorithm(requested:defaultRSA:)``.
    ///
    /// - Parameters:
    ///   - requested: The algorithm to bind to when the JWK has no `alg`.
    ///   - defaultRSA: The algorithm for an RSA JWK without `alg` when none is requested
    ///     (RS256, the algorithm identity providers use; `nil` to require one).
    /// - Returns: An ``RSAJWTKey``, ``HMACJWTKey`` or elliptic-curve key carrying ``keyID``.
    /// - Throws: ``JWTError/Code/invalidKey`` when `use`/`key_ops` forbid verification, the
    ///   algorithm cannot be decided, or the key fails its curve checks.
    public func verificationKey(requested: JWTAlgorithm? = nil, defaultRSA: JWTAlgorithm? = .rs256) throws(JWTError) -> any JWTVerificationKey {
        guard allowsVerification else {
            throw JWTError(.invalidKey, "the JWK's use or key_ops do not allow verifying signatures")
        }
        let alg = try boundAlgorithm(requested: requested, defaultRSA: defaultRSA)
        switch material {
        case .publicKey(.rsa(let key)):
            return try RSAJWTKey(alg, key: key, keyID: keyID)
        case .secret(let secret):
            return try HMACJWTKey(alg, secret: secret, keyID: keyID)
        case .publicKey(let key):
            return try Self.ellipticVerificationKey(key, algorithm: alg, keyID: keyID)
        }
    }

    // MARK: - Member readers

    static func requiredString(_ object: JSONObject, _ name: String) throws(JWTError) -> String {
        guard let value = try optionalString(object, name) else { throw JWTError(.invalidKey, "JWK member \(name) is missing") }
        return value
    }

    static func optionalString(_ object: JSONObject, _ name: String) throws(JWTError) -> String? {
        guard let value = object[name] else { return nil }
        guard let string = value.stringValue else { throw JWTError(.invalidKey, "JWK member \(name) must be a string") }
        return string
    }

    static func bytes(_ object: JSONObject, _ name: String) throws(JWTError) -> [UInt8] {
        let text = try requiredString(object, name)
        do {
            return try Base64URL.decode(text)
        } catch {
            throw JWTError(.invalidKey, "JWK member \(name) is not canonical base64url (\(error.code))")
        }
    }

    /// A Base64urlUInt (RFC 7518 §2): non-empty, no leading zero byte.
    static func unsignedInteger(_ object: JSONObject, _ name: String) throws(JWTError) -> [UInt8] {
        let value = try bytes(object, name)
        guard let first = value.first else { throw JWTError(.invalidKey, "JWK member \(name) is empty") }
        guard first != 0 || value.count == 1 else {
            throw JWTError(.invalidKey, "JWK member \(name) has a leading zero byte (RFC 7518 §6.3.1)")
        }
        return value
    }

    static func refusePrivate(_ object: JSONObject, _ names: [String]) throws(JWTError) {
        for name in names where object[name] != nil {
            throw JWTError(.invalidKey, "the JWK holds private key material (\(name)); give only the public key")
        }
    }
}
