import Foundation

/// An RSA signature scheme: a padding (PKCS #1 v1.5 or PSS) and a SHA-2 digest.
///
/// The JWS algorithms map one to one (RFC 7518 §3.3, §3.5): `RS256` is
/// ``pkcs1v15SHA256``, `PS256` is ``pssSHA256`` (MGF1 with the same hash, salt as long as the
/// hash), and so on.
public struct RSASignatureScheme: Sendable, Hashable, CustomStringConvertible {
    /// How the digest is encoded into the value that is exponentiated.
    public enum Padding: Sendable, Hashable {
        /// EMSA-PKCS1-v1_5 (RFC 8017 §9.2).
        case pkcs1v15
        /// EMSA-PSS (RFC 8017 §9.1) with MGF1 over the same hash and a salt of the hash length.
        case pss
    }

    /// The SHA-2 function hashing the message (FIPS 180-4).
    public enum Digest: Sendable, Hashable {
        case sha256, sha384, sha512

        /// Output length in bytes.
        public var byteCount: Int {
            switch self {
            case .sha256: 32
            case .sha384: 48
            case .sha512: 64
            }
        }

        /// Hashes the bytes at `data`.
        func hash(_ data: UnsafeRawBufferPointer) -> [UInt8] {
            switch self {
            case .sha256: var h = SHA256(); h.update(bufferPointer: data); return h.finalize()
            case .sha384: var h = SHA384(); h.update(bufferPointer: data); return h.finalize()
            case .sha512: var h = SHA512(); h.update(bufferPointer: data); return h.finalize()
            }
        }

        /// Hashes the concatenation of `parts` (used by PSS for `M'` and by MGF1).
        func hash(_ parts: [UInt8]...) -> [UInt8] {
            switch self {
            case .sha256: var h = SHA256(); for p in parts { h.update(p) }; return h.finalize()
            case .sha384: var h = SHA384(); for p in parts { h.update(p) }; return h.finalize()
            case .sha512: var h = SHA512(); for p in parts { h.update(p) }; return h.finalize()
            }
        }

        /// The DER `DigestInfo` prefix preceding the hash in EMSA-PKCS1-v1_5 (RFC 8017 §9.2,
        /// note 1): `SEQUENCE { SEQUENCE { OID, NULL }, OCTET STRING }` with the parameters
        /// present as an explicit NULL.
        var digestInfoPrefix: [UInt8] {
            switch self {
            case .sha256:
                [0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20]
            case .sha384:
                [0x30, 0x41, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30]
            case .sha512:
                [0x30, 0x51, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40]
            }
        }
    }

    /// The padding.
    public var padding: Padding
    /// The digest.
    public var digest: Digest

    /// Combines a padding and a digest.
    public init(padding: Padding, digest: Digest) {
        self.padding = padding
        self.digest = digest
    }

    /// RSASSA-PKCS1-v1_5 with SHA-256 (JWS `RS256`).
    public static let pkcs1v15SHA256 = RSASignatureScheme(padding: .pkcs1v15, digest: .sha256)
    /// RSASSA-PKCS1-v1_5 with SHA-384 (JWS `RS384`).
    public static let pkcs1v15SHA384 = RSASignatureScheme(padding: .pkcs1v15, digest: .sha384)
    /// RSASSA-PKCS1-v1_5 with SHA-512 (JWS `RS512`).
    public static let pkcs1v15SHA512 = RSASignatureScheme(padding: .pkcs1v15, digest: .sha512)
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256, 32-byte salt (JWS `PS256`).
    public static let pssSHA256 = RSASignatureScheme(padding: .pss, digest: .sha256)
    /// RSASSA-PSS with SHA-384, MGF1-SHA-384, 48-byte salt (JWS `PS384`).
    public static let pssSHA384 = RSASignatureScheme(padding: .pss, digest: .sha384)
    /// RSASSA-PSS with SHA-512, MGF1-SHA-512, 64-byte salt (JWS `PS512`).
    public static let pssSHA512 = RSASignatureScheme(padding: .pss, digest: .sha512)

    public var description: String {
        let bits = digest.byteCount * 8
        return padding == .pkcs1v15 ? "RSASSA-PKCS1-v1_5-SHA\(bits)" : "RSASSA-PSS-SHA\(bits)"
    }
}
