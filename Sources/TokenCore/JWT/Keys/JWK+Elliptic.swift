extension JWK {
    /// The ES256, ES384 or EdDSA verification key for an elliptic-curve public key; the point
    /// checks of ``P256``, ``P384`` and ``Ed25519`` run here.
    static func ellipticVerificationKey(_ key: AsymmetricPublicKey, algorithm: JWTAlgorithm, keyID: String?) throws(JWTError) -> any JWTVerificationKey {
        switch key {
        case .ec(let curve, let x, let y):
            return try ECDSAJWTKey(curve: curve, x: x, y: y, keyID: keyID)
        case .ed25519(let x):
            do {
                return EdDSAJWTKey(try Ed25519.PublicKey(rawRepresentation: x), keyID: keyID)
            } catch {
                throw JWTError(.invalidKey, "Ed25519 key: \(error.reason)")
            }
        case .rsa(let rsa):
            return try RSAJWTKey(algorithm, key: rsa, keyID: keyID)
        }
    }
}
