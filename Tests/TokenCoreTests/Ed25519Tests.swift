import Foundation
import Testing
import TestSupport
import TokenCore

/// Ed25519 verification: Wycheproof, RFC 8032 §7.1, RFC 8037 A.4, own vectors, encoding policy.
@Suite struct Ed25519Tests {
    // MARK: - Wycheproof (../shared/vectors/wycheproof/ed25519_test.json)

    private struct Group: Decodable {
        struct Key: Decodable { var pk: String }
        var publicKey: Key
        var tests: [Wycheproof.Case]
    }

    @Test(.enabled(if: Wycheproof.isAvailable("ed25519_test.json"), "needs ../shared/vectors/wycheproof"))
    func wycheproof() throws {
        let file = "ed25519_test.json"
        let document = try Wycheproof.load(file, groups: Group.self)
        let tally = try Wycheproof.tally(file, document, cases: \.tests) { group, test in
            try Ed25519.PublicKey(rawRepresentation: Hex.decode(group.publicKey.pk))
                .isValidSignature(try Hex.decode(test.sig ?? ""), for: try Hex.decode(test.msg))
        }
        #expect(tally.mismatches.isEmpty, "\(tally.mismatches)")
        #expect(tally.total == document.numberOfTests)
        #expect(tally.counts["valid", default: 0] > 0 && tally.counts["invalid", default: 0] > 0)
        #expect(tally.acceptableAccepted == 0) // none in this file; see Docs/EllipticCurves.md
        print(tally)
    }

    // MARK: - RFC 8032 §7.1 and RFC 8037 Appendix A.4

    struct KnownAnswer: Sendable, CustomTestStringConvertible {
        var name: String
        var publicKey: String
        var message: String
        var signature: String
        var testDescription: String { name }
    }

    static let rfc8032: [KnownAnswer] = [
        KnownAnswer(
            name: "TEST 1", publicKey: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", message: "",
            signature: "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        ),
        KnownAnswer(
            name: "TEST 2", publicKey: "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", message: "72",
            signature: "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        ),
        KnownAnswer(
            name: "TEST 3", publicKey: "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", message: "af82",
            signature: "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
        ),
        KnownAnswer(
            name: "TEST SHA(abc)", publicKey: "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
            message: "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
            signature: "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"
        ),
    ]

    @Test(arguments: rfc8032)
    func rfc8032Section7_1(vector: KnownAnswer) throws {
        let key = try Ed25519.PublicKey(rawRepresentation: Hex.decode(vector.publicKey))
        let message = try Hex.decode(vector.message)
        let signature = try Hex.decode(vector.signature)
        #expect(key.isValidSignature(signature, for: message))
        #expect(key.rawRepresentation == (try Hex.decode(vector.publicKey)))
        #expect(!key.isValidSignature(signature, for: message + [0]))
        for index in [0, 31, 32, 63] {
            var mutated = signature
            mutated[index] ^= 0x01
            #expect(!key.isValidSignature(mutated, for: message), "bit flip in byte \(index)")
        }
        #expect(!key.isValidSignature(Array(signature.dropLast()), for: message))
        #expect(!key.isValidSignature(signature + [0], for: message))
    }

    @Test func rfc8037AppendixA4() throws {
        let key = try Ed25519.PublicKey(rawRepresentation: Base64URL.decode("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"))
        let input = Array("eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc".utf8)
        let signature = try Base64URL.decode("hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg")
        #expect(key.isValidSignature(signature, for: input))
        #expect(!key.isValidSignature(signature, for: input.dropLast()))
    }

    // MARK: - Encoding policy

    static let l = "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010" // L, little-endian

    /// S ≥ L is refused even though [S]B is unchanged by adding L (RFC 8032 §5.1.7, §8.4).
    @Test func rejectsNonCanonicalS() throws {
        let vector = Self.rfc8032[0]
        let key = try Ed25519.PublicKey(rawRepresentation: Hex.decode(vector.publicKey))
        let signature = try Hex.decode(vector.signature)
        let s = Array(signature[32...]), l = try Hex.decode(Self.l)
        var sum = [UInt8](repeating: 0, count: 32)
        var carry = 0
        for i in 0..<32 {
            let v = Int(s[i]) + Int(l[i]) + carry
            sum[i] = UInt8(v & 0xff)
            carry = v >> 8
        }
        #expect(carry == 0)
        #expect(!key.isValidSignature(Array(signature[0..<32]) + sum, for: [UInt8]()))
        #expect(!key.isValidSignature(Array(signature[0..<32]) + l, for: [UInt8]()))
        #expect(!key.isValidSignature(Array(signature[0..<32]) + [UInt8](repeating: 0xff, count: 32), for: [UInt8]()))
    }

    @Test func rejectsInvalidKeys() throws {
        // Identity (y = 1) and the order-2 point (y = −1): small order.
        let identity = [1] + [UInt8](repeating: 0, count: 31)
        #expect(throws: CryptoError.self) { try Ed25519.PublicKey(rawRepresentation: identity) }
        let minusOne = try Hex.decode("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")
        #expect(throws: CryptoError.self) { try Ed25519.PublicKey(rawRepresentation: minusOne) }
        // An order-8 point (from the well-known list of small-order encodings).
        let order8 = try Hex.decode("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a")
        #expect(throws: CryptoError.self) { try Ed25519.PublicKey(rawRepresentation: order8) }
        // y = p + 1 is a non-canonical encoding of the identity; y = p − 1 … all 0xff is y ≥ p.
        let pPlusOne = try Hex.decode("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")
        #expect(throws: CryptoError.self) { try Ed25519.PublicKey(rawRepresentation: pPlusOne) }
        #expect(throws: CryptoError.self) { try Ed25519.PublicKey(rawRepresentation: [UInt8](repeating: 0xff, count: 32)) }
        // Identity with the sign bit set ("negative zero" x).
        #expect(throws: CryptoError.self) { try Ed25519.PublicKey(rawRepresentation: [1] + [UInt8](repeating: 0, count: 30) + [0x80]) }
        // y = 2 has no x on the curve.
        #expect(throws: CryptoError.self) { try Ed25519.PublicKey(rawRepresentation: [2] + [UInt8](repeating: 0, count: 31)) }
        #expect(throws: CryptoError.self) { try Ed25519.PublicKey(rawRepresentation: [UInt8](repeating: 0, count: 31)) }
        // The base point itself is a fine key; its encoding round-trips.
        let base = try Hex.decode("5866666666666666666666666666666666666666666666666666666666666666")
        #expect(try Ed25519.PublicKey(rawRepresentation: base).rawRepresentation == base)
    }

    // MARK: - Own differential vectors (scripts/vectors/gen_ec_vectors.py, Python `cryptography`)

    private struct OwnVectors: Decodable {
        struct Case: Decodable {
            var publicKey: String
            var msg: String
            var sig: String
            var valid: Bool
            var comment: String
        }
        var ed25519: [Case]
    }

    @Test func generatedVectors() throws {
        let vectors = try JSONDecoder().decode(OwnVectors.self, from: TestEnvironment.fixture("TokenCoreTests", "ecc/ed25519_vectors.json"))
        #expect(vectors.ed25519.count >= 80)
        var valid = 0
        for test in vectors.ed25519 {
            let key = try Ed25519.PublicKey(rawRepresentation: Hex.decode(test.publicKey))
            let accepted = key.isValidSignature(try Hex.decode(test.sig), for: try Hex.decode(test.msg))
            #expect(accepted == test.valid, "\(test.comment)")
            if test.valid { valid += 1 }
        }
        print("Own Ed25519 vectors: \(valid) valid, \(vectors.ed25519.count - valid) mutated")
    }

    /// Fresh random keys and messages from Python `cryptography` on every run, same mutations.
    @Test(.enabled(if: TestEnvironment.hasPython("cryptography"), "needs python3 with cryptography (pip install cryptography)"))
    func liveDifferentialAgainstPythonCryptography() throws {
        let script = TestEnvironment.repositoryRoot.appendingPathComponent("scripts/vectors/gen_ec_vectors.py").path
        let result = try TestEnvironment.run("python3 '\(script)' --random 4")
        #expect(result.status == 0, "\(result.stderr)")
        let vectors = try JSONDecoder().decode(OwnVectors.self, from: Data(result.stdout.utf8))
        #expect(vectors.ed25519.count >= 80)
        for test in vectors.ed25519 {
            let key = try Ed25519.PublicKey(rawRepresentation: Hex.decode(test.publicKey))
            let accepted = key.isValidSignature(try Hex.decode(test.sig), for: try Hex.decode(test.msg))
            #expect(accepted == test.valid, "\(test.comment) key=\(test.publicKey) sig=\(test.sig) msg=\(test.msg)")
        }
    }
}
