import Foundation

/// A parsed, self-describing PBKDF2 password hash in the PHC string format.
///
/// The encoded form is
///
/// ```text
/// $pbkdf2-sha256$i=600000$<salt>$<hash>
/// ```
///
/// following the PHC string format (github.com/P-H-C/phc-string-format): the algorithm
/// identifier, one parameter `i` (the PBKDF2 iteration count, RFC 8018 §5.2's c, in decimal
/// without leading zeros), then the salt and the derived key in standard base64 (RFC 4648 §4)
/// **without** padding. Parsing is strict: every field must be in its one canonical form, so a
/// stored hash has exactly one spelling.
///
/// Use ``PasswordHasher`` to create and verify hashes; this type is the parsed value.
public struct PasswordHash: Sendable {
    /// A PBKDF2 variant that may appear in a stored hash.
    ///
    /// Not user-extensible on purpose: each identifier is bound to an implementation here, so a
    /// stored string can only select among these.
    public struct Algorithm: Sendable, Hashable, CustomStringConvertible {
        enum Kind: Sendable, Hashable { case sha256, sha512 }
        let kind: Kind

        /// PBKDF2-HMAC-SHA256, identifier `pbkdf2-sha256`. OWASP's Password Storage Cheat Sheet
        /// recommends 600,000 iterations.
        public static let pbkdf2SHA256 = Algorithm(kind: .sha256)
        /// PBKDF2-HMAC-SHA512, identifier `pbkdf2-sha512`. OWASP recommends 210,000 iterations.
        public static let pbkdf2SHA512 = Algorithm(kind: .sha512)

        /// The PHC identifier: `pbkdf2-sha256` or `pbkdf2-sha512`.
        public var identifier: String {
            switch kind {
            case .sha256: "pbkdf2-sha256"
            case .sha512: "pbkdf2-sha512"
            }
        }

        /// The iteration count OWASP's Password Storage Cheat Sheet currently recommends.
        public var recommendedIterations: Int {
            switch kind {
            case .sha256: 600_000
            case .sha512: 210_000
            }
        }

        /// The underlying digest length in bytes; also the longest stored hash accepted, since
        /// each further output block would cost another full iteration run.
        public var digestByteCount: Int {
            switch kind {
            case .sha256: SHA256.digestByteCount
            case .sha512: SHA512.digestByteCount
            }
        }

        /// The PHC identifier.
        public var description: String { identifier }

        static let all: [Algorithm] = [.pbkdf2SHA256, .pbkdf2SHA512]

        func deriveKey(
            password: UnsafeRawBufferPointer, salt: [UInt8], iterations: Int, byteCount: Int
        ) throws(CryptoError) -> [UInt8] {
            switch kind {
            case .sha256:
                try PBKDF2<SHA256>.deriveKey(from: password, salt: salt, iterations: iterations, byteCount: byteCount)
            case .sha512:
                try PBKDF2<SHA512>.deriveKey(from: password, salt: salt, iterations: iterations, byteCount: byteCount)
            }
        }
    }

    /// Accepted salt lengths in bytes when parsing. PHC and NIST SP 800-132 ask for at least
    /// 16 bytes; 8 is accepted to verify older hashes, which ``PasswordHasher/needsRehash(_:)`` flags.
    public static let acceptedSaltByteCounts = 8...64
    /// The shortest accepted stored hash, in bytes.
    public static let minimumHashByteCount = 16

    /// The PBKDF2 variant.
    public var algorithm: Algorithm
    /// The PBKDF2 iteration count.
    public var iterations: Int
    /// The salt.
    public var salt: [UInt8]
    /// The derived key that a password must reproduce.
    public var hash: [UInt8]

    /// Creates a hash value from its parts, unchecked; ``PasswordHasher`` produces valid ones.
    public init(algorithm: Algorithm, iterations: Int, salt: [UInt8], hash: [UInt8]) {
        self.algorithm = algorithm
        self.iterations = iterations
        self.salt = salt
        self.hash = hash
    }

    /// Parses an encoded hash, refusing anything non-canonical or too costly to verify.
    ///
    /// - Parameters:
    ///   - encoded: A string such as `$pbkdf2-sha256$i=600000$<salt>$<hash>`.
    ///   - maximumIterations: The largest iteration count to accept. A stored string is input:
    ///     without this bound a hostile one could make a single verification run for hours.
    /// - Throws: ``CryptoError/Code/malformedHash`` for a string that is not a canonical PHC
    ///   PBKDF2 hash (unknown identifier, missing or extra fields, non-canonical number or
    ///   base64, salt or hash length out of range); ``CryptoError/Code/invalidParameter`` when
    ///   the iteration count exceeds `maximumIterations`.
    public init(parsing encoded: String, maximumIterations: Int) throws(CryptoError) {
        guard encoded.utf8.count <= 512 else { throw CryptoError(.malformedHash, "password hash string is too long") }
        let fields = encoded.utf8.split(separator: UInt8(ascii: "$"), omittingEmptySubsequences: false)
        guard fields.count == 5, fields[0].isEmpty else {
            throw CryptoError(.malformedHash, "expected $<algorithm>$i=<iterations>$<salt>$<hash>")
        }
        let identifier = String(decoding: fields[1], as: UTF8.self)
        guard let algorithm = Algorithm.all.first(where: { $0.identifier == identifier }) else {
            throw CryptoError(.malformedHash, "unsupported password hash algorithm")
        }
        let parameter = Array(fields[2])
        guard parameter.count >= 3, parameter[0] == UInt8(ascii: "i"), parameter[1] == UInt8(ascii: "=") else {
            throw CryptoError(.malformedHash, "expected the iteration parameter i=<decimal>")
        }
        let iterations = try Self.parseIterations(parameter[2...], maximum: maximumIterations)
        let salt: [UInt8]
        let hash: [UInt8]
        do {
            salt = try Base64.decodeUnpadded(Array(fields[3]))
            hash = try Base64.decodeUnpadded(Array(fields[4]))
        } catch {
            throw CryptoError(.malformedHash, "salt and hash must be canonical unpadded base64")
        }
        guard Self.acceptedSaltByteCounts.contains(salt.count) else {
            throw CryptoError(.malformedHash, "salt length must be between 8 and 64 bytes")
        }
        guard hash.count >= Self.minimumHashByteCount, hash.count <= algorithm.digestByteCount else {
            throw CryptoError(.malformedHash, "hash length must be between 16 and \(algorithm.digestByteCount) bytes")
        }
        self.init(algorithm: algorithm, iterations: iterations, salt: salt, hash: hash)
    }

    /// The PHC string: `$<identifier>$i=<iterations>$<salt>$<hash>`.
    public var encoded: String {
        "$\(algorithm.identifier)$i=\(iterations)$\(Base64.encodeUnpadded(salt))$\(Base64.encodeUnpadded(hash))"
    }

    /// Parses a canonical positive decimal: digits only, no sign, no leading zero, at most `maximum`.
    private static func parseIterations(_ digits: ArraySlice<UInt8>, maximum: Int) throws(CryptoError) -> Int {
        guard !digits.isEmpty, digits.count <= 10, digits.first != UInt8(ascii: "0") else {
            throw CryptoError(.malformedHash, "iteration count must be a positive decimal without leading zeros")
        }
        var value = 0
        for digit in digits {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else {
                throw CryptoError(.malformedHash, "iteration count must be a positive decimal without leading zeros")
            }
            value = value * 10 + Int(digit &- UInt8(ascii: "0"))
        }
        guard value <= maximum else {
            throw CryptoError(.invalidParameter, "iteration count exceeds the accepted maximum of \(maximum)")
        }
        return value
    }
}
