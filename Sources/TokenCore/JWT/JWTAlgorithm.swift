/// A JWS algorithm name: the `alg` header parameter (RFC 7515 §4.1.1, RFC 7518 §3.1).
///
/// Compared case-sensitively, as RFC 7515 requires: `hs256` is not `HS256`. There is
/// deliberately no member for `none`: an unsecured JWS is never accepted, and
/// ``JWTVerifier`` rejects any spelling of it before looking for a key.
///
/// Every verification or signing key is bound to exactly one algorithm when it is configured;
/// the algorithm in a token's header only selects among keys already bound to it.
///
/// ```swift
/// let key = try HMACJWTKey(.hs256, secret: secret)
/// assert(key.algorithm == .hs256)
/// ```
public struct JWTAlgorithm: RawRepresentable, Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The registered name, such as `"RS256"`.
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }

    /// HMAC with SHA-256 (RFC 7518 §3.2).
    public static let hs256 = JWTAlgorithm(rawValue: "HS256")
    /// HMAC with SHA-384 (RFC 7518 §3.2).
    public static let hs384 = JWTAlgorithm(rawValue: "HS384")
    /// HMAC with SHA-512 (RFC 7518 §3.2).
    public static let hs512 = JWTAlgorithm(rawValue: "HS512")
    /// RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 §3.3).
    public static let rs256 = JWTAlgorithm(rawValue: "RS256")
    /// RSASSA-PKCS1-v1_5 with SHA-384 (RFC 7518 §3.3).
    public static let rs384 = JWTAlgorithm(rawValue: "RS384")
    /// RSASSA-PKCS1-v1_5 with SHA-512 (RFC 7518 §3.3).
    public static let rs512 = JWTAlgorithm(rawValue: "RS512")
    /// RSASSA-PSS with SHA-256 and MGF1 with SHA-256 (RFC 7518 §3.5).
    public static let ps256 = JWTAlgorithm(rawValue: "PS256")
    /// RSASSA-PSS with SHA-384 and MGF1 with SHA-384 (RFC 7518 §3.5).
    public static let ps384 = JWTAlgorithm(rawValue: "PS384")
    /// RSASSA-PSS with SHA-512 and MGF1 with SHA-512 (RFC 7518 §3.5).
    public static let ps512 = JWTAlgorithm(rawValue: "PS512")
    /// ECDSA with P-256 and SHA-256 (RFC 7518 §3.4).
    public static let es256 = JWTAlgorithm(rawValue: "ES256")
    /// ECDSA with P-384 and SHA-384 (RFC 7518 §3.4).
    public static let es384 = JWTAlgorithm(rawValue: "ES384")
    /// EdDSA; with this project, Ed25519 only (RFC 8037 §3.1).
    public static let eddsa = JWTAlgorithm(rawValue: "EdDSA")

    /// Whether this is some spelling of `none` (RFC 7518 §3.6), which is never accepted.
    var isNone: Bool {
        rawValue.utf8.count == 4 && rawValue.lowercased() == "none"
    }
}
