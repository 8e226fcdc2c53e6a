public import Foundation

/// Turns a presented API key into the ``APIKeyDigest`` stores keep: SHA-256, or HMAC-SHA-256
/// under a server-side pepper.
///
/// Keys carry at least 160 random bits, so a plain SHA-256 cannot be reversed by guessing and no
/// slow password hash is needed (it would only slow every request). A pepper adds defence in
/// depth: a stolen key file is useless without the pepper, which lives elsewhere (configuration,
/// a secret manager). The hasher's ``algorithm`` label is stored with every record, so keys
/// hashed under another pepper are reported as such instead of silently never matching.
///
/// ```swift
/// let hasher = try APIKeyHasher.hmacSHA256(pepper: pepperBytes, pepperID: "2026-11")
/// let digest = hasher.digest(of: presentedKey)
/// ```
public struct APIKeyHasher: Sendable {
    enum Kind: Sendable {
        case sha256
        case hmac(HMAC<SHA256>)
    }

    let kind: Kind
    /// The label stored in ``APIKeyRecord/hashAlgorithm``: `"sha256"` or `"hmac-sha256:<pepperID>"`.
    public let algorithm: String

    /// Plain SHA-256 of the key's UTF-8 bytes (FIPS 180-4).
    public static let sha256 = APIKeyHasher(kind: .sha256, algorithm: "sha256")

    /// HMAC-SHA-256 (RFC 2104) of the key's UTF-8 bytes under `pepper`.
    ///
    /// - Parameters:
    ///   - pepper: At least 32 bytes of secret key material (RFC 2104 §3: not shorter than the
    ///     hash output).
    ///   - pepperID: A short non-secret name for this pepper (`A–Z a–z 0–9 - _ .`, 1 to 64
    ///     characters), stored with each record so a pepper change is detectable.
    /// - Throws: ``APIKeyError/Code/invalidArgument`` for a short pepper or a bad id.
    public static func hmacSHA256(pepper: some ContiguousBytes, pepperID: String) throws(APIKeyError) -> APIKeyHasher {
        let count = pepper.withUnsafeBytes { $0.count }
        guard count >= 32 else { throw APIKeyError(.invalidArgument, "the pepper must be at least 32 bytes") }
        let idBytes = Array(pepperID.utf8)
        guard !idBytes.isEmpty, idBytes.count <= 64,
              idBytes.allSatisfy({ Base62.isDigit($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") })
        else { throw APIKeyError(.invalidArgument, "a pepper id has 1 to 64 characters from A-Z a-z 0-9 - _ .") }
        return APIKeyHasher(kind: .hmac(HMAC<SHA256>(key: pepper)), algorithm: "hmac-sha256:" + pepperID)
    }

    /// The digest of `key`.
    public func digest(of key: String) -> APIKeyDigest {
        key.withBorrowedUTF8 { digest(utf8: UnsafeRawBufferPointer($0)) }
    }

    /// The digest of a key given as UTF-8 bytes, without a heap allocation.
    func digest(utf8 key: UnsafeRawBufferPointer) -> APIKeyDigest {
        withUnsafeTemporaryAllocation(byteCount: 32, alignment: 8) { output in
            switch kind {
            case .sha256:
                var hash = SHA256()
                hash.update(bufferPointer: key)
                hash.finalize(into: output)
            case .hmac(let prototype):
                var mac = prototype
                mac.update(bufferPointer: key)
                mac.finalize(into: output)
            }
            return APIKeyDigest(digest: UnsafeRawBufferPointer(output))
        }
    }
}

extension APIKeyDigest {
    /// Reads the first 32 bytes of `digest` (SHA-256 and HMAC-SHA-256 outputs are exactly 32).
    init(digest: UnsafeRawBufferPointer) {
        func word(_ i: Int) -> UInt64 { UInt64(bigEndian: digest.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)) }
        (w0, w1, w2, w3) = (word(0), word(1), word(2), word(3))
    }
}
