import Testing
import TokenCore

/// A deterministic salt source: 0, 1, 2, … .
private struct CountingRandomSource: RandomSource {
    func fill(_ buffer: UnsafeMutableRawBufferPointer) throws(CryptoError) {
        for i in buffer.indices { buffer[i] = UInt8(truncatingIfNeeded: i) }
    }
}

/// A random source whose operating-system call always fails.
private struct FailingRandomSource: RandomSource {
    func fill(_ buffer: UnsafeMutableRawBufferPointer) throws(CryptoError) {
        throw CryptoError(.randomUnavailable, "test: no entropy")
    }
}

@Suite struct PasswordHasherTests {
    /// Computed by Python's `hashlib.pbkdf2_hmac` with salt bytes 0…15 and password "correct horse".
    static let pythonSHA256 = "$pbkdf2-sha256$i=1000$AAECAwQFBgcICQoLDA0ODw$yRTMTwbMbo9G0VfjobWqerzuuxe7BETNTErBbKKumGQ"
    static let pythonSHA512 = "$pbkdf2-sha512$i=1000$AAECAwQFBgcICQoLDA0ODw$Xpx07WjVx4vCIvrmBRj8uOoVVtGqJqtUv2J5bhizSQs7osCteF7W4A61dZDqSIqQjO+dxO6p5FT/Uy7QRBXSXA"

    @Test func defaultsFollowOWASP() {
        let hasher = PasswordHasher()
        #expect(hasher.algorithm == .pbkdf2SHA256)
        #expect(hasher.iterations == 600_000)
        #expect(PasswordHasher.defaultIterations == 600_000)
        #expect(hasher.saltByteCount == 16)
        #expect(PasswordHasher(algorithm: .pbkdf2SHA512).iterations == 210_000)
        #expect(hasher.maximumIterations >= hasher.iterations)
    }

    @Test func hashMatchesAnIndependentImplementation() throws {
        let hasher = PasswordHasher(iterations: 1000, randomSource: CountingRandomSource())
        #expect(try hasher.hash("correct horse") == Self.pythonSHA256)
        let sha512 = PasswordHasher(algorithm: .pbkdf2SHA512, iterations: 1000, randomSource: CountingRandomSource())
        #expect(try sha512.hash("correct horse") == Self.pythonSHA512)
    }

    @Test func verifiesHashesFromPython() throws {
        let hasher = PasswordHasher()
        #expect(try hasher.verify("correct horse", against: Self.pythonSHA256))
        #expect(try hasher.verify("correct horse", against: Self.pythonSHA512))
        #expect(try !hasher.verify("correct horsf", against: Self.pythonSHA256))
        #expect(try !hasher.verify("", against: Self.pythonSHA512))
    }

    @Test func roundTripWithSystemSaltsAndDistinctSalts() throws {
        let hasher = PasswordHasher(iterations: 2000)
        let a = try hasher.hash("s3cret")
        let b = try hasher.hash("s3cret")
        #expect(a != b, "two hashes of one password must have different salts")
        #expect(a.hasPrefix("$pbkdf2-sha256$i=2000$"))
        #expect(try hasher.verify("s3cret", against: a))
        #expect(try hasher.verify(Array("s3cret".utf8), against: b))
        #expect(try !hasher.verify("s3cret ", against: a))
        let parsed = try PasswordHash(parsing: a, maximumIterations: 2000)
        #expect(parsed.salt.count == 16 && parsed.hash.count == 32 && parsed.iterations == 2000)
        #expect(parsed.encoded == a)
    }

    @Test func needsRehash() {
        let hasher = PasswordHasher(iterations: 1000)
        #expect(!hasher.needsRehash(Self.pythonSHA256))
        #expect(PasswordHasher(iterations: 1001).needsRehash(Self.pythonSHA256), "fewer iterations than the policy")
        #expect(hasher.needsRehash(Self.pythonSHA512), "another algorithm")
        #expect(PasswordHasher(algorithm: .pbkdf2SHA512, iterations: 1000).needsRehash(Self.pythonSHA256))
        #expect(PasswordHasher(iterations: 1000, saltByteCount: 32).needsRehash(Self.pythonSHA256), "shorter salt")
        #expect(hasher.needsRehash("$pbkdf2-sha256$i=1000$AAECAwQFBgcICQoLDA0ODw$yRTMTwbMbo9G0VfjobWqeg"), "16-byte hash")
        #expect(hasher.needsRehash("not a hash"))
        #expect(PasswordHasher(iterations: 1000, maximumIterations: 999).needsRehash(Self.pythonSHA256))
    }

    static let malformed: [String] = [
        "",
        "$",
        "pbkdf2-sha256$i=1000$AAECAwQFBgcICQoLDA0ODw$yRTMTwbMbo9G0VfjobWqerzuuxe7BETNTErBbKKumGQ",   // no leading $
        "$pbkdf2-sha1$i=1000$AAECAwQFBgcICQoLDA0ODw$yRTMTwbMbo9G0VfjobWqerzuuxe7BETNTErBbKKumGQ",    // unsupported
        "$PBKDF2-SHA256$i=1000$AAECAwQFBgcICQoLDA0ODw$yRTMTwbMbo9G0VfjobWqerzuuxe7BETNTErBbKKumGQ",  // case
        "$pbkdf2-sha256$1000$AAECAwQFBgcICQoLDA0ODw$yRTMTwbMbo9G0VfjobWqerzuuxe7BETNTErBbKKumGQ",    // no i=
        "$pbkdf2-sha256$i=$AAECAwQFBgcICQoLDA0ODw$yRTMTwbMbo9G0VfjobWqerzuuxe7BETNTErBbKKumGQ",
        "$pbkdf2-sha256$i=0$AAECAwQFBgcICQoLDA0ODw$yRTMTwbMbo9G0VfjobWqerzuuxe7BETNTErBbKKumGQ",
        "$pbkdf2-sha256$i=01000$AAECAwQFBgcICQoLDA0ODw$yRTMTwbMbo9G0VfjobWqerzuuxe7BETNTErBbKKumGQ",
        "$pbkdf2-sha256$i=+1000$AAECAwQFBgcICQoLDA0ODw$yRTMTwbMbo9G0VfjobWqerzuuxe7BETNTErBbKKumGQ",
        "$pbkdf2-sha256$i=1e3$AAECAwQFBgcICQoLDA0ODw$yRTMTwbMbo9G0VfjobWqerzuuxe7BETNTErBbKKumGQ",
        "$pbkdf2-sha256$i=99999999999999999999$AAECAwQFBgcICQoLDA0ODw$yRTMTwbMbo9G0VfjobWqerzuuxe7BETNTErBbKKumGQ",
        "$pbkdf2-sha256$i=1000,l=32$AAECAwQFBgcICQoLDA0ODw$yRTMTwbMbo9G0VfjobWqerzuuxe7BETNTErBbKKumGQ",
        "$pbkdf2-sha256$i=1000$AAECAwQFBgcICQoLDA0ODw==$yRTMTwbMbo9G0VfjobWqerzuuxe7BETNTErBbKKumGQ",  // padding
        "$pbkdf2-sha256$i=1000$AAECAwQFBgcICQoLDA0ODw$yRTMTwbMbo9G0VfjobWqerzuuxe7BETNTErBbKKumGR",   // trailing bits
        "$pbkdf2-sha256$i=1000$AAECAwQFBgcICQoLDA0ODw$yRTMTwbMbo9G0VfjobWqerzuuxe7BETNTErBbKKumGQ$",  // extra field
        "$pbkdf2-sha256$i=1000$AAECAwQFBgcICQoLDA0ODw",                                               // missing hash
        "$pbkdf2-sha256$i=1000$AAECAwQFBgcICQoLDA0ODw$yRTMTwbMbo9G0VfjobWqerzuuxe7BETNTErBbKKum_Q",   // url alphabet
        "$pbkdf2-sha256$i=1000$AAECAwQFBg$yRTMTwbMbo9G0VfjobWqerzuuxe7BETNTErBbKKumGQ",             // 7-byte salt
        "$pbkdf2-sha256$i=1000$AAECAwQFBgcICQoLDA0ODw$yRTMTwbMbo9G0VfjobWq",                       // 15-byte hash
        "$pbkdf2-sha256$i=1000$AAECAwQFBgcICQoLDA0ODw$yRTMTwbMbo9G0VfjobWqerzuuxe7BETNTErBbKKumGQA", // 33-byte hash
        "$pbkdf2-sha256$i=1000$AAECAwQFBgcICQoLDA0ODw$ yRTMTwbMbo9G0VfjobWqerzuuxe7BETNTErBbKKumGQ",  // whitespace
    ]

    @Test(arguments: malformed.enumerated().map { $0 })
    func rejectsMalformedStrings(_ index: Int, _ encoded: String) {
        do {
            _ = try PasswordHash(parsing: encoded, maximumIterations: 2_000_000)
            Issue.record("accepted malformed hash #\(index)")
        } catch {
            #expect(error.code == .malformedHash, "#\(index): \(error)")
        }
        #expect(throws: CryptoError.self) { try PasswordHasher().verify("correct horse", against: encoded) }
    }

    @Test func acceptsTheShortestAllowedSaltAndHash() throws {
        // 8-byte salt and 16-byte hash: accepted for old hashes, flagged by needsRehash.
        let old = "$pbkdf2-sha256$i=1000$AAECAwQFBgc$yRTMTwbMbo9G0VfjobWqeg"
        let parsed = try PasswordHash(parsing: old, maximumIterations: 1000)
        #expect(parsed.salt == [0, 1, 2, 3, 4, 5, 6, 7] && parsed.hash.count == 16)
        #expect(PasswordHasher(iterations: 1000).needsRehash(old))
    }

    @Test func hostileIterationCountIsRefusedBeforeAnyWork() {
        // 2^31 iterations would run for many minutes; the bound makes this instant.
        let hostile = "$pbkdf2-sha256$i=2147483647$AAECAwQFBgcICQoLDA0ODw$yRTMTwbMbo9G0VfjobWqerzuuxe7BETNTErBbKKumGQ"
        do {
            _ = try PasswordHasher().verify("correct horse", against: hostile)
            Issue.record("accepted a hostile iteration count")
        } catch {
            #expect(error.code == .invalidParameter)
        }
        let justOver = "$pbkdf2-sha256$i=2000001$AAECAwQFBgcICQoLDA0ODw$yRTMTwbMbo9G0VfjobWqerzuuxe7BETNTErBbKKumGQ"
        #expect(throws: CryptoError.self) { try PasswordHasher().verify("x", against: justOver) }
    }

    @Test func boundsPasswordLengthAndConfiguration() {
        let long = [UInt8](repeating: 0x61, count: PasswordHasher.defaultMaximumPasswordByteCount + 1)
        #expect(throws: CryptoError.self) { try PasswordHasher(iterations: 1000).hash(long) }
        #expect(throws: CryptoError.self) { try PasswordHasher().verify(long, against: Self.pythonSHA256) }
        #expect(throws: CryptoError.self) { try PasswordHasher(iterations: 0).hash("x") }
        #expect(throws: CryptoError.self) { try PasswordHasher(iterations: 3_000_000).hash("x") }
        #expect(throws: CryptoError.self) { try PasswordHasher(iterations: 1000, saltByteCount: 8).hash("x") }
    }

    @Test func randomFailureSurfacesAsAnError() {
        do {
            _ = try PasswordHasher(iterations: 1000, randomSource: FailingRandomSource()).hash("x")
            Issue.record("hashing without a salt source succeeded")
        } catch {
            #expect(error.code == .randomUnavailable)
        }
    }
}
