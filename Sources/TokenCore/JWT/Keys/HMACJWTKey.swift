/// An HMAC secret bound to HS256, HS384 or HS512 (RFC 7518 §3.2), for verifying and signing.
///
/// The secret is absorbed into keyed HMAC states once, at configuration; each token then costs
/// only its own bytes. Secrets shorter than the hash output (32, 48 or 64 bytes) are refused,
/// as RFC 7518 §3.2 requires.
///
/// ```swift
/// let key = try HMACJWTKey(.hs256, secret: secretBytes, keyID: "2026-01")
/// let keys = try JWTKeySet([key])
/// let issuer = JWTIssuer(signer: key, timeToLive: 900)
/// ```
public struct HMACJWTKey: JWTVerificationKey, JWTSigner {
    public let algorithm: JWTAlgorithm
    public let keyID: String?
    private let mac: KeyedMAC

    private enum KeyedMAC: Sendable {
        case sha256(HMAC<SHA256>)
        case sha384(HMAC<SHA384>)
        case sha512(HMAC<SHA512>)
    }

    /// Binds `secret` to `algorithm`.
    /// - Parameters:
    ///   - algorithm: `.hs256`, `.hs384` or `.hs512`.
    ///   - secret: The raw secret bytes (not base64), at least as long as the hash output.
    ///   - keyID: The `kid` the key is known by, written into tokens it signs; `nil` for none.
    /// - Throws: ``JWTError/Code/invalidKey`` for a non-HMAC algorithm or a short secret.
    public init(_ algorithm: JWTAlgorithm, secret: some ContiguousBytesLike, keyID: String? = nil) throws(JWTError) {
        let length = secret.withRawBytes { $0.count }
        let minimum: Int
        switch algorithm {
        case .hs256: minimum = SHA256.digestByteCount
        case .hs384: minimum = SHA384.digestByteCount
        case .hs512: minimum = SHA512.digestByteCount
        default: throw JWTError(.invalidKey, "an HMAC key cannot be bound to \(algorithm)")
        }
        guard length >= minimum else {
            throw JWTError(.invalidKey, "\(algorithm) requires a secret of at least \(minimum) bytes (RFC 7518 §3.2), got \(length)")
        }
        self.algorithm = algorithm
        self.keyID = keyID
        self.mac = secret.withRawBytes { raw in
            switch algorithm {
            case .hs384: .sha384(HMAC(key: raw))
            case .hs512: .sha512(HMAC(key: raw))
            default: .sha256(HMAC(key: raw))
            }
        }
    }

    public func isValidSignature(_ signature: UnsafeRawBufferPointer, for signingInput: UnsafeRawBufferPointer) -> Bool {
        // Computed into a stack buffer and compared in constant time by HMAC itself.
        switch mac {
        case .sha256(var m):
            m.update(bufferPointer: signingInput)
            return m.isValidAuthenticationCode(signature)
        case .sha384(var m):
            m.update(bufferPointer: signingInput)
            return m.isValidAuthenticationCode(signature)
        case .sha512(var m):
            m.update(bufferPointer: signingInput)
            return m.isValidAuthenticationCode(signature)
        }
    }

    public func sign(_ signingInput: UnsafeRawBufferPointer) throws -> [UInt8] {
        authenticationCode(signingInput)
    }

    private func authenticationCode(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        switch mac {
        case .sha256(var m):
            m.update(bufferPointer: input)
            return m.finalize()
        case .sha384(var m):
            m.update(bufferPointer: input)
            return m.finalize()
        case .sha512(var m):
            m.update(bufferPointer: input)
            return m.finalize()
        }
    }
}
