public import Foundation

/// Hashes and verifies passwords with PBKDF2-HMAC (RFC 8018) in the PHC string format.
///
/// Defaults follow OWASP's Password Storage Cheat Sheet for PBKDF2: HMAC-SHA256 with 600,000
/// iterations, a 16-byte salt from the operating system and a 32-byte derived key.
///
/// ```swift
/// let hasher = PasswordHasher()
/// let stored = try hasher.hash("correct horse battery staple")
/// // "$pbkdf2-sha256$i=600000$<salt>$<hash>"
/// if try hasher.verify("correct horse battery staple", against: stored) {
///     if hasher.needsRehash(stored) { /* store try hasher.hash(password) */ }
/// }
/// ```
///
/// Passwords are the bytes given: no Unicode normalisation is applied, so normalise (for
/// example to NFC) before hashing if your users type on different systems.
public struct PasswordHasher: Sendable {
    /// OWASP's recommendation for PBKDF2-HMAC-SHA256: 600,000 iterations.
    public static let defaultIterations = 600_000
    /// The default bound on iterations accepted from a stored string: a little over three times
    /// the default, leaving room for future increases while capping a hostile string's cost.
    public static let defaultMaximumIterations = 2_000_000
    /// The default salt length in bytes (128 bits, as NIST SP 800-132 §5.1 asks at least).
    public static let defaultSaltByteCount = 16
    /// The default bound on password length in bytes.
    public static let defaultMaximumPasswordByteCount = 4096

    /// The PBKDF2 variant new hashes use.
    public var algorithm: PasswordHash.Algorithm
    /// The iteration count new hashes use; stored hashes with fewer need a rehash.
    public var iterations: Int
    /// The salt length new hashes use, in bytes (16...64).
    public var saltByteCount: Int
    /// The largest iteration count accepted, both for new hashes and from stored strings.
    public var maximumIterations: Int
    /// The longest password accepted, in bytes.
    public var maximumPasswordByteCount: Int
    /// Where salts come from.
    public var randomSource: any RandomSource

    /// Creates a hasher.
    ///
    /// - Parameters:
    ///   - algorithm: The PBKDF2 variant for new hashes (default PBKDF2-HMAC-SHA256).
    ///   - iterations: The iteration count for new hashes; `nil` takes the algorithm's OWASP
    ///     recommendation (600,000 for SHA-256, 210,000 for SHA-512).
    ///   - saltByteCount: The salt length for new hashes (default 16).
    ///   - maximumIterations: The bound on iterations, checked before any work (default 2,000,000).
    ///   - maximumPasswordByteCount: The bound on password length (default 4096 bytes).
    ///   - randomSource: The salt source (default ``SystemRandomSource``).
    public init(
        algorithm: PasswordHash.Algorithm = .pbkdf2SHA256,
        iterations: Int? = nil,
        saltByteCount: Int = PasswordHasher.defaultSaltByteCount,
        maximumIterations: Int = PasswordHasher.defaultMaximumIterations,
        maximumPasswordByteCount: Int = PasswordHasher.defaultMaximumPasswordByteCount,
        randomSource: any RandomSource = SystemRandomSource()
    ) {
        self.algorithm = algorithm
        self.iterations = iterations ?? algorithm.recommendedIterations
        self.saltByteCount = saltByteCount
        self.maximumIterations = maximumIterations
        self.maximumPasswordByteCount = maximumPasswordByteCount
        self.randomSource = randomSource
    }

    /// Hashes `password` with a fresh random salt.
    ///
    /// - Parameter password: The password's bytes.
    /// - Returns: The PHC string to store, such as `$pbkdf2-sha256$i=600000$<salt>$<hash>`.
    /// - Throws: ``CryptoError/Code/invalidParameter`` for an out-of-range configuration or a
    ///   password longer than ``maximumPasswordByteCount``; ``CryptoError/Code/randomUnavailable``
    ///   when no salt can be drawn.
    public func hash(_ password: some ContiguousBytes) throws(CryptoError) -> String {
        guard iterations >= 1, iterations <= maximumIterations else {
            throw CryptoError(.invalidParameter, "iteration count must be between 1 and the maximum of \(maximumIterations)")
        }
        guard PasswordHash.acceptedSaltByteCounts.contains(saltByteCount), saltByteCount >= 16 else {
            throw CryptoError(.invalidParameter, "salt length must be between 16 and 64 bytes")
        }
        let salt = try randomSource.bytes(count: saltByteCount)
        let derived = try withPassword(password) { (raw) throws(CryptoError) in
            try algorithm.deriveKey(password: raw, salt: salt, iterations: iterations, byteCount: algorithm.digestByteCount)
        }
        return PasswordHash(algorithm: algorithm, iterations: iterations, salt: salt, hash: derived).encoded
    }

    /// Hashes the UTF-8 bytes of `password` with a fresh random salt.
    public func hash(_ password: String) throws(CryptoError) -> String {
        try hash(Array(password.utf8))
    }

    /// Checks `password` against a stored hash, comparing in constant time.
    ///
    /// - Parameters:
    ///   - password: The candidate password's bytes.
    ///   - encoded: The stored PHC string.
    /// - Returns: Whether the password matches.
    /// - Throws: ``CryptoError/Code/malformedHash`` when `encoded` cannot be parsed;
    ///   ``CryptoError/Code/invalidParameter`` when its iteration count exceeds
    ///   ``maximumIterations`` or the password exceeds ``maximumPasswordByteCount`` (checked
    ///   before any hashing, so a hostile stored string or password cannot exhaust the CPU).
    public func verify(_ password: some ContiguousBytes, against encoded: String) throws(CryptoError) -> Bool {
        let stored = try PasswordHash(parsing: encoded, maximumIterations: maximumIterations)
        let derived = try withPassword(password) { (raw) throws(CryptoError) in
            try stored.algorithm.deriveKey(password: raw, salt: stored.salt, iterations: stored.iterations, byteCount: stored.hash.count)
        }
        return ConstantTime.isEqual(derived, stored.hash)
    }

    /// Checks the UTF-8 bytes of `password` against a stored hash, in constant time.
    public func verify(_ password: String, against encoded: String) throws(CryptoError) -> Bool {
        try verify(Array(password.utf8), against: encoded)
    }

    /// Whether a stored hash should be replaced by a fresh ``hash(_:)`` at the next successful
    /// login: it uses another algorithm, fewer iterations, a shorter salt or a shorter derived
    /// key than this hasher would produce, or it cannot be parsed at all.
    ///
    /// - Parameter encoded: The stored PHC string.
    /// - Returns: `true` when the stored hash is weaker than, or different from, the current policy.
    public func needsRehash(_ encoded: String) -> Bool {
        guard let stored = try? PasswordHash(parsing: encoded, maximumIterations: maximumIterations) else { return true }
        return stored.algorithm != algorithm
            || stored.iterations < iterations
            || stored.salt.count < saltByteCount
            || stored.hash.count < algorithm.digestByteCount
    }

    private func withPassword<R>(
        _ password: some ContiguousBytes,
        _ body: (UnsafeRawBufferPointer) throws(CryptoError) -> R
    ) throws(CryptoError) -> R {
        let result: Result<R, CryptoError> = password.withUnsafeBytes { raw in
            guard raw.count <= maximumPasswordByteCount else {
                return .failure(CryptoError(.invalidParameter, "password is longer than \(maximumPasswordByteCount) bytes"))
            }
            do throws(CryptoError) { return .success(try body(raw)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}
