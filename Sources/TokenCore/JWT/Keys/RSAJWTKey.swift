/// An RSA public key bound to one of RS256, RS384, RS512 (RFC 7518 §3.3) or PS256, PS384,
/// PS512 (RFC 7518 §3.5).
///
/// Verification only: tokens this project issues use HMAC, and RSA signing belongs to a signer
/// the application provides. The modulus is at least 2048 bits (``RSAPublicKey`` refuses
/// smaller ones at import).
///
/// ```swift
/// let key = try RSAJWTKey(.rs256, key: RSAPublicKey(pem: pemText), keyID: "2026-01")
/// var keys = JWTKeySet()
/// try keys.add(key, keyID: key.keyID)
/// ```
public struct RSAJWTKey: JWTVerificationKey {
    public let algorithm: JWTAlgorithm
    /// The `kid` this key is known by, if any.
    public let keyID: String?
    /// The RSA public key.
    public let publicKey: RSAPublicKey
    let scheme: RSASignatureScheme

    /// Binds `key` to `algorithm`.
    /// - Parameters:
    ///   - algorithm: `.rs256`, `.rs384`, `.rs512`, `.ps256`, `.ps384` or `.ps512`.
    ///   - key: The public key.
    ///   - keyID: The key id tokens name it by.
    /// - Throws: ``JWTError/Code/invalidKey`` for any other algorithm.
    public init(_ algorithm: JWTAlgorithm, key: RSAPublicKey, keyID: String? = nil) throws(JWTError) {
        guard let scheme = Self.scheme(for: algorithm) else {
            throw JWTError(.invalidKey, "an RSA key cannot be bound to \(algorithm)")
        }
        self.algorithm = algorithm
        self.keyID = keyID
        self.publicKey = key
        self.scheme = scheme
    }

    /// The RSA signature scheme of a JWS algorithm, or `nil` when it is not an RSA algorithm.
    static func scheme(for algorithm: JWTAlgorithm) -> RSASignatureScheme? {
        switch algorithm {
        case .rs256: .pkcs1v15SHA256
        case .rs384: .pkcs1v15SHA384
        case .rs512: .pkcs1v15SHA512
        case .ps256: .pssSHA256
        case .ps384: .pssSHA384
        case .ps512: .pssSHA512
        default: nil
        }
    }

    public func isValidSignature(_ signature: UnsafeRawBufferPointer, for signingInput: UnsafeRawBufferPointer) -> Bool {
        publicKey.isValidSignature(signature, digest: scheme.digest.hash(signingInput), scheme: scheme)
    }
}
