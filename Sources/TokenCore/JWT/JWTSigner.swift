/// Something that signs JWS signing inputs for one algorithm: the issuing side of a key.
///
/// ``HMACJWTKey`` conforms. Tokens the project issues use HMAC; to issue RS256 or ES256 tokens,
/// conform a type of your own that wraps, for example, swift-crypto's private keys:
///
/// ```swift
/// struct P256Signer: JWTSigner {
///     let key: P256.Signing.PrivateKey
///     var algorithm: JWTAlgorithm { .es256 }
///     var keyID: String? { "2026-01" }
///     func sign(_ signingInput: UnsafeRawBufferPointer) throws -> [UInt8] {
///         Array(try key.signature(for: signingInput).rawRepresentation)
///     }
/// }
/// ```
public protocol JWTSigner: Sendable {
    /// The algorithm written into the `alg` header.
    var algorithm: JWTAlgorithm { get }
    /// The key id written into the `kid` header, or `nil` for none.
    var keyID: String? { get }

    /// Returns the JWS signature of `signingInput` (RFC 7515 §5.1 step 5): for ECDSA the
    /// fixed-length `r || s` of RFC 7518 §3.4, not DER.
    /// - Throws: Any error; ``JWTIssuer`` reports it as ``JWTError/Code/signingFailed``.
    func sign(_ signingInput: UnsafeRawBufferPointer) throws -> [UInt8]
}
