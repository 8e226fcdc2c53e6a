import Foundation
import Testing
import TestSupport
@testable import TokenCore

@Suite struct APIKeyFormatTests {
    struct KeyVector: Decodable, Sendable, CustomTestStringConvertible {
        var prefix: String
        var random_hex: String
        var key: String
        var sha256_hex: String
        var hmac_sha256_hex: String
        var testDescription: String { key.prefix(16) + "…" }
    }

    struct KeyVectors: Decodable {
        var pepper_hex: String
        var keys: [KeyVector]
    }

    static let vectors: KeyVectors? = {
        guard let data = try? TestEnvironment.fixture("TokenCoreTests", "apikey/keys.json") else { return nil }
        return try? JSONDecoder().decode(KeyVectors.self, from: data)
    }()

    @Test func vectorsArePresent() {
        #expect((Self.vectors?.keys.count ?? 0) >= 10, "run scripts/vectors/gen_apikey_vectors.py")
    }

    @Test(arguments: vectors?.keys ?? [])
    func generationMatchesPythonReference(_ vector: KeyVector) throws {
        let randomBytes = try Hex.decode(vector.random_hex)
        let format = try APIKeyFormat(prefix: vector.prefix, randomByteCount: randomBytes.count)
        // The entropy source is injected: the key is a pure function of its bytes.
        let key = try format.generate(using: APIKeyTestRandom(chunks: [randomBytes]))
        #expect(key == vector.key)
        #expect(key.count == format.keyLength)
        try format.validate(key)
        #expect(APIKeyHasher.sha256.digest(of: key).hex == vector.sha256_hex)
        let pepper = try Hex.decode(try #require(Self.vectors).pepper_hex)
        let hmac = try APIKeyHasher.hmacSHA256(pepper: pepper, pepperID: "p1")
        #expect(hmac.digest(of: key).hex == vector.hmac_sha256_hex)
        #expect(hmac.algorithm == "hmac-sha256:p1")
        // The random part decodes back to exactly the injected bytes.
        let randomPart = key.dropFirst(vector.prefix.count).dropLast(APIKeyFormat.checksumLength)
        #expect(try Base62.decode(randomPart, byteCount: randomBytes.count) == randomBytes)
    }

    @Test func liveKeyShape() throws {
        let format = APIKeyFormat.live
        #expect(format.randomByteCount * 8 >= 160)
        #expect(format.keyLength == 9 + 33 + 6)
        let key = try format.generate(using: SystemRandomSource())
        #expect(key.hasPrefix("tka_live_"))
        #expect(key.count == 48)
        #expect(key.dropFirst(9).utf8.allSatisfy(Base62.isDigit))
        // What a secret scanner would match.
        #expect(key.range(of: "^tka_live_[0-9A-Za-z]{39}$", options: .regularExpression) != nil)
        try format.validate(key)
        #expect(format.displayPrefix(of: key) == String(key.prefix(13)))
    }

    @Test func keysFromTheSystemSourceDiffer() throws {
        var seen = Set<String>()
        for _ in 0..<200 { seen.insert(try APIKeyFormat.live.generate(using: SystemRandomSource())) }
        #expect(seen.count == 200)
    }

    @Test func generationUsesTheInjectedSourceOnly() throws {
        let a = try APIKeyFormat.live.generate(using: APIKeyTestRandom(seed: "s"))
        let b = try APIKeyFormat.live.generate(using: APIKeyTestRandom(seed: "s"))
        let c = try APIKeyFormat.live.generate(using: APIKeyTestRandom(seed: "t"))
        #expect(a == b)
        #expect(a != c)
        expectAPIKeyError(.generationFailed) { try APIKeyFormat.live.generate(using: APIKeyFailingRandom()) }
    }

    @Test func everySingleCharacterTypoIsCaughtByTheChecksum() throws {
        let key = try APIKeyFormat.live.generate(using: APIKeyTestRandom(seed: "typo"))
        var bytes = Array(key.utf8)
        var caught = 0
        for i in 9..<bytes.count {
            let original = bytes[i]
            for replacement in Base62.alphabet where replacement != original {
                bytes[i] = replacement
                let typo = String(decoding: bytes, as: UTF8.self)
                expectAPIKeyError(.badChecksum) { try APIKeyFormat.live.validate(typo) }
                caught += 1
            }
            bytes[i] = original
        }
        #expect(caught == 39 * 61)
    }

    @Test func adjacentTranspositionsAreCaught() throws {
        let key = try APIKeyFormat.live.generate(using: APIKeyTestRandom(seed: "swap"))
        let bytes = Array(key.utf8)
        for i in 9..<(bytes.count - 1) where bytes[i] != bytes[i + 1] {
            var swapped = bytes
            swapped.swapAt(i, i + 1)
            expectAPIKeyError(.badChecksum) { try APIKeyFormat.live.validate(String(decoding: swapped, as: UTF8.self)) }
        }
    }

    @Test func malformedKeysAreNotChecksumErrors() throws {
        let key = try APIKeyFormat.live.generate(using: APIKeyTestRandom(seed: "m"))
        let body = String(key.dropFirst(9))
        let head = String(key.prefix(20))
        let tail = String(key.dropFirst(21))
        var cases: [String] = ["", "tka_live_", String(key.dropLast()), key + "a"]
        cases += ["tka_test_" + body, "TKA_LIVE_" + body, "tka-live-" + body]
        cases += [head + "-" + tail, head + " " + tail, head + "é" + String(key.dropFirst(22))]
        cases += [String(repeating: "a", count: 10_000)]
        for bad in cases {
            expectAPIKeyError(.malformed) { try APIKeyFormat.live.validate(bad) }
        }
    }

    @Test func formatConfigurationIsChecked() throws {
        for prefix in ["", "_", "tka", "1ka_", "tka-live_", "tka_live", "ümlaut_", String(repeating: "a", count: 32) + "_"] {
            expectAPIKeyError(.invalidArgument) { try APIKeyFormat(prefix: prefix) }
        }
        expectAPIKeyError(.invalidArgument) { try APIKeyFormat(prefix: "tka_", randomByteCount: 19) }
        expectAPIKeyError(.invalidArgument) { try APIKeyFormat(prefix: "tka_", randomByteCount: 65) }
        let custom = try APIKeyFormat(prefix: "acme_prod_", randomByteCount: 20)
        #expect(custom.keyLength == 10 + 27 + 6)
    }

    @Test func hasherRules() throws {
        expectAPIKeyError(.invalidArgument) { try APIKeyHasher.hmacSHA256(pepper: [UInt8](repeating: 1, count: 31), pepperID: "p") }
        expectAPIKeyError(.invalidArgument) { try APIKeyHasher.hmacSHA256(pepper: [UInt8](repeating: 1, count: 32), pepperID: "") }
        expectAPIKeyError(.invalidArgument) { try APIKeyHasher.hmacSHA256(pepper: [UInt8](repeating: 1, count: 32), pepperID: "a b") }
        let a = try APIKeyHasher.hmacSHA256(pepper: [UInt8](repeating: 1, count: 32), pepperID: "a")
        let b = try APIKeyHasher.hmacSHA256(pepper: [UInt8](repeating: 2, count: 32), pepperID: "b")
        #expect(a.digest(of: "tka_live_x") != b.digest(of: "tka_live_x"))
        #expect(a.digest(of: "tka_live_x") != APIKeyHasher.sha256.digest(of: "tka_live_x"))
        #expect("\(APIKeyHasher.sha256.digest(of: "k"))" == "APIKeyDigest(…)")
    }

    @Test func errorsAreCredentialErrorsThatNeverEchoTheKey() throws {
        let key = try APIKeyFormat.live.generate(using: APIKeyTestRandom(seed: "echo"))
        var typo = Array(key.utf8)
        typo[20] = typo[20] == UInt8(ascii: "a") ? UInt8(ascii: "b") : UInt8(ascii: "a")
        for candidate in [String(decoding: typo, as: UTF8.self), key + "x", String(key.dropLast())] {
            do {
                try APIKeyFormat.live.validate(candidate)
                Issue.record("accepted a bad key")
            } catch {
                #expect(!error.reason.contains(candidate.dropFirst(9).prefix(8)))
                #expect(error.machineCode.hasPrefix("api_key."))
                #expect(error.failureKind == .invalid)
            }
        }
        #expect(APIKeyError(.ambiguous, "").failureKind == .malformedRequest)
        #expect(APIKeyError(.storeUnavailable, "").failureKind == .unavailable)
        #expect(APIKeyError(.revoked, "").machineCode == "api_key.revoked")
    }
}
