import Foundation
import Testing
import TestSupport
import TokenCore

/// SHA-2, HMAC and PBKDF2 against Python's hashlib/hmac, through the fixture that
/// `scripts/vectors/gen_hash_vectors.py` generated from a fixed seed.
@Suite struct DifferentialHashTests {
    struct Fixture: Decodable {
        struct Digests: Decodable {
            var length: Int
            var sha256: String
            var sha384: String
            var sha512: String
        }
        struct Case: Decodable {
            var key: String
            var message: String
            var sha256: String
            var sha384: String
            var sha512: String
            var hmac_sha256: String
            var hmac_sha384: String
            var hmac_sha512: String
        }
        struct PBKDF2Case: Decodable {
            var hash: String
            var password: String
            var salt: String
            var iterations: Int
            var length: Int
            var derived: String
        }
        struct PHCCase: Decodable {
            var password: String
            var encoded: String
        }
        var lengths: [Digests]
        var long: [Digests]
        var cases: [Case]
        var pbkdf2: [PBKDF2Case]
        var phc: [PHCCase]
    }

    static func load() throws -> Fixture {
        try JSONDecoder().decode(Fixture.self, from: TestEnvironment.fixture("TokenCoreTests", "crypto/hash_vectors.json"))
    }

    /// The generator's message: byte i is (31·i + 7) mod 256.
    static func pattern(_ n: Int) -> [UInt8] {
        (0..<n).map { UInt8(truncatingIfNeeded: 31 &* $0 &+ 7) }
    }

    @Test func everyLengthFrom0To300AndLongMessages() throws {
        let fixture = try Self.load()
        #expect(fixture.lengths.map(\.length) == Array(0...300))
        for d in fixture.lengths + fixture.long {
            let message = Self.pattern(d.length)
            #expect(Hex.encode(SHA256.hash(message)) == d.sha256, "sha256 length \(d.length)")
            #expect(Hex.encode(SHA384.hash(message)) == d.sha384, "sha384 length \(d.length)")
            #expect(Hex.encode(SHA512.hash(message)) == d.sha512, "sha512 length \(d.length)")
        }
        // Streaming the long messages in 1000-byte and odd-sized pieces.
        for d in fixture.long {
            let message = Self.pattern(d.length)
            var a = SHA256(), b = SHA512()
            var offset = 0, step = 1
            while offset < message.count {
                let end = min(message.count, offset + step)
                a.update(message[offset..<end]); b.update(message[offset..<end])
                offset = end
                step = step * 3 % 1531 + 1
            }
            #expect(Hex.encode(a.finalize()) == d.sha256 && Hex.encode(b.finalize()) == d.sha512, "streamed length \(d.length)")
        }
        print("differential: \(fixture.lengths.count + fixture.long.count) message lengths checked")
    }

    @Test func randomKeysAndMessages() throws {
        let fixture = try Self.load()
        #expect(fixture.cases.count >= 300)
        for (i, c) in fixture.cases.enumerated() {
            let key = try Hex.decode(c.key), message = try Hex.decode(c.message)
            #expect(Hex.encode(SHA256.hash(message)) == c.sha256, "case \(i)")
            #expect(Hex.encode(SHA384.hash(message)) == c.sha384, "case \(i)")
            #expect(Hex.encode(SHA512.hash(message)) == c.sha512, "case \(i)")
            #expect(Hex.encode(HMAC<SHA256>.authenticationCode(for: message, using: key)) == c.hmac_sha256, "case \(i)")
            #expect(Hex.encode(HMAC<SHA384>.authenticationCode(for: message, using: key)) == c.hmac_sha384, "case \(i)")
            #expect(Hex.encode(HMAC<SHA512>.authenticationCode(for: message, using: key)) == c.hmac_sha512, "case \(i)")
            #expect(HMAC<SHA256>.isValidAuthenticationCode(try Hex.decode(c.hmac_sha256), for: message, using: key))
        }
        print("differential: \(fixture.cases.count) random (key, message) cases checked with 6 functions each")
    }

    @Test func pbkdf2AndPHCStrings() throws {
        let fixture = try Self.load()
        for c in fixture.pbkdf2 {
            let password = try Hex.decode(c.password), salt = try Hex.decode(c.salt)
            let derived = c.hash == "sha256"
                ? try PBKDF2<SHA256>.deriveKey(from: password, salt: salt, iterations: c.iterations, byteCount: c.length)
                : try PBKDF2<SHA512>.deriveKey(from: password, salt: salt, iterations: c.iterations, byteCount: c.length)
            #expect(Hex.encode(derived) == c.derived, "\(c.hash) c=\(c.iterations) dkLen=\(c.length)")
        }
        let hasher = PasswordHasher()
        for c in fixture.phc {
            #expect(try hasher.verify(c.password, against: c.encoded), "\(c.encoded)")
            #expect(try !hasher.verify(c.password + "x", against: c.encoded))
            #expect(try PasswordHash(parsing: c.encoded, maximumIterations: 10_000).encoded == c.encoded)
        }
        print("differential: \(fixture.pbkdf2.count) PBKDF2 and \(fixture.phc.count) PHC cases checked")
    }
}
