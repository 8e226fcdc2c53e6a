extension AsymmetricPublicKey {
    // Object identifiers, as their DER contents bytes.
    static let rsaEncryptionOID: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01] // 1.2.840.113549.1.1.1
    static let rsassaPSSOID: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0A] // 1.2.840.113549.1.1.10
    static let ecPublicKeyOID: [UInt8] = [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01] // 1.2.840.10045.2.1
    static let p256OID: [UInt8] = [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07] // 1.2.840.10045.3.1.7
    static let p384OID: [UInt8] = [0x2B, 0x81, 0x04, 0x00, 0x22] // 1.3.132.0.34
    static let ed25519OID: [UInt8] = [0x2B, 0x65, 0x70] // 1.3.101.112

    /// Reads a DER `SubjectPublicKeyInfo` (RFC 5280 §4.1.2.7).
    ///
    /// Accepted: `rsaEncryption` with NULL parameters (RFC 3279 §2.3.1) around a PKCS #1
    /// `RSAPublicKey`; `id-ecPublicKey` with the named curve P-256 or P-384 and an uncompressed
    /// point (RFC 5480); `id-Ed25519` with absent parameters (RFC 8410 §4). Everything else,
    /// including `id-RSASSA-PSS` keys with parameters, compressed points and explicit curve
    /// parameters, is refused.
    /// - Parameter der: The DER bytes.
    /// - Throws: ``CryptoError/Code/invalidKey`` naming the rule that failed.
    public init(subjectPublicKeyInfo der: some Collection<UInt8>) throws(CryptoError) {
        var outer = try DERReader(der)
        var spki = try outer.readSequence("SubjectPublicKeyInfo")
        try outer.expectEnd("SubjectPublicKeyInfo")
        var algorithm = try spki.readSequence("AlgorithmIdentifier")
        let key = try spki.readBitStringBytes("subjectPublicKey")
        try spki.expectEnd("SubjectPublicKeyInfo")
        let oid = Array(try algorithm.readObjectIdentifier("algorithm"))
        switch oid {
        case Self.rsaEncryptionOID:
            try algorithm.readNull("rsaEncryption parameters")
            try algorithm.expectEnd("AlgorithmIdentifier")
            self = .rsa(try RSAPublicKey(pkcs1DER: key))
        case Self.ecPublicKeyOID:
            let curveOID = Array(try algorithm.readObjectIdentifier("namedCurve"))
            try algorithm.expectEnd("AlgorithmIdentifier")
            let curve: Curve
            switch curveOID {
            case Self.p256OID: curve = .p256
            case Self.p384OID: curve = .p384
            default: throw CryptoError(.invalidKey, "unsupported elliptic curve (only P-256 and P-384)")
            }
            self = try .uncompressedPoint(Array(key), curve: curve)
        case Self.ed25519OID:
            try algorithm.expectEnd("AlgorithmIdentifier (Ed25519 takes no parameters)")
            guard key.count == 32 else { throw CryptoError(.invalidKey, "Ed25519 public key must be 32 bytes") }
            self = .ed25519(Array(key))
        case Self.rsassaPSSOID:
            throw CryptoError(.invalidKey, "id-RSASSA-PSS keys are not supported; use an rsaEncryption key bound to PS256/384/512")
        default:
            throw CryptoError(.invalidKey, "unsupported public key algorithm")
        }
    }

    /// Splits an uncompressed SEC 1 point `04 ‖ x ‖ y` (SEC 1 §2.3.3).
    static func uncompressedPoint(_ bytes: [UInt8], curve: Curve) throws(CryptoError) -> AsymmetricPublicKey {
        let size = curve.coordinateByteCount
        guard bytes.count == 1 + 2 * size, bytes[0] == 0x04 else {
            throw CryptoError(.invalidKey, "\(curve.rawValue) public key must be an uncompressed point of \(1 + 2 * size) bytes")
        }
        return .ec(curve: curve, x: Array(bytes[1...size]), y: Array(bytes[(1 + size)...]))
    }
}

extension RSAPublicKey {
    /// Reads a DER PKCS #1 `RSAPublicKey` (RFC 8017 appendix A.1.1):
    /// `SEQUENCE { modulus INTEGER, publicExponent INTEGER }`.
    /// - Throws: ``CryptoError/Code/invalidKey`` for malformed DER or an unacceptable key.
    public init(pkcs1DER der: some Collection<UInt8>) throws(CryptoError) {
        var outer = try DERReader(der)
        var sequence = try outer.readSequence("RSAPublicKey")
        try outer.expectEnd("RSAPublicKey")
        let n = try sequence.readUnsignedInteger("modulus")
        let e = try sequence.readUnsignedInteger("publicExponent")
        try sequence.expectEnd("RSAPublicKey")
        try self.init(modulus: n, exponent: e)
    }

    /// Reads a DER `SubjectPublicKeyInfo` holding an RSA key, or a bare PKCS #1 `RSAPublicKey`.
    /// - Throws: ``CryptoError/Code/invalidKey`` when it is neither, or holds another key type.
    public init(derEncoded der: some Collection<UInt8>) throws(CryptoError) {
        let bytes = Array(der)
        if let key = try? AsymmetricPublicKey(subjectPublicKeyInfo: bytes) {
            guard case .rsa(let rsa) = key else { throw CryptoError(.invalidKey, "the key is not an RSA key") }
            self = rsa
            return
        }
        do {
            try self.init(pkcs1DER: bytes)
        } catch {
            // Report the SubjectPublicKeyInfo error when that is what the bytes look like.
            _ = try AsymmetricPublicKey(subjectPublicKeyInfo: bytes)
            throw error
        }
    }
}
