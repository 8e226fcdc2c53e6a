extension JWK {
    /// The ES256, ES384 or EdDSA verification key for an elliptic-curve public key.
    static func ellipticVerificationKey(_ key: AsymmetricPublicKey, algorithm: JWTAlgorithm, keyID: String?) throws(JWTError) -> any JWTVerificationKey {
        throw JWTError(.invalidKey, "\(algorithm) verification keys are not available yet")
    }
}
