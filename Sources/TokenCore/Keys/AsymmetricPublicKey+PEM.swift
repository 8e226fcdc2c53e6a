extension AsymmetricPublicKey {
    /// Reads a PEM `PUBLIC KEY` (SubjectPublicKeyInfo) or `RSA PUBLIC KEY` (PKCS #1) block.
    ///
    /// ```swift
    /// let key = try AsymmetricPublicKey(pem: String(contentsOfFile: "issuer.pem"))
    /// ```
    /// - Throws: ``CryptoError/Code/invalidKey`` for other labels (private keys and
    ///   certificates are refused), malformed PEM or DER, or an unacceptable key.
    public init(pem: String) throws(CryptoError) {
        let document = try PEMDocument(pem)
        switch document.label {
        case "PUBLIC KEY": try self.init(subjectPublicKeyInfo: document.der)
        case "RSA PUBLIC KEY": self = .rsa(try RSAPublicKey(pkcs1DER: document.der))
        default: throw CryptoError(.invalidKey, "PEM label \"\(document.label.prefix(40))\" is not PUBLIC KEY or RSA PUBLIC KEY")
        }
    }
}

extension RSAPublicKey {
    /// Reads a PEM `PUBLIC KEY` or `RSA PUBLIC KEY` block holding an RSA key.
    /// - Throws: ``CryptoError/Code/invalidKey`` when the PEM is malformed or not an RSA key.
    public init(pem: String) throws(CryptoError) {
        guard case .rsa(let key) = try AsymmetricPublicKey(pem: pem) else {
            throw CryptoError(.invalidKey, "the PEM key is not an RSA key")
        }
        self = key
    }
}
