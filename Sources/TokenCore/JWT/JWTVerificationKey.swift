/// A key that verifies JWS signatures for exactly one algorithm.
///
/// The algorithm is fixed when the key is made (``HMACJWTKey`` for HS256/384/512; RSA, ECDSA and
/// EdDSA public keys conform the same way). ``JWTKeySet`` only ever hands a key a token whose
/// `alg` equals the key's ``algorithm``, so a token's header can never turn an RSA public key
/// into an HMAC secret (algorithm confusion, RFC 8725 §2.1).
///
/// Contract for conforming types:
/// - ``isValidSignature(_:for:)`` is pure and synchronous, returns `false` for any malformed
///   signature (wrong length, out-of-range values) rather than throwing, and never traps on input;
/// - secret-dependent comparisons go through ``ConstantTime/isEqual(_:_:)``;
/// - key-size and parameter policy is enforced when the key is created, not at verification.
public protocol JWTVerificationKey: Sendable {
    /// The one algorithm this key verifies.
    var algorithm: JWTAlgorithm { get }

    /// Returns whether `signature` is a valid signature of `signingInput` under this key.
    /// - Parameters:
    ///   - signature: The decoded third segment of the token.
    ///   - signingInput: The ASCII bytes `BASE64URL(header) '.' BASE64URL(payload)`
    ///     (RFC 7515 §5.2 step 8).
    /// - Returns: `true` only for a valid signature.
    func isValidSignature(_ signature: UnsafeRawBufferPointer, for signingInput: UnsafeRawBufferPointer) -> Bool
}

extension JWTVerificationKey {
    /// Returns whether `signature` is a valid signature of `signingInput`, for callers holding
    /// arrays or `Data`.
    public func isValidSignature(_ signature: some ContiguousBytesLike, for signingInput: some ContiguousBytesLike) -> Bool {
        signature.withRawBytes { s in signingInput.withRawBytes { m in isValidSignature(s, for: m) } }
    }
}
