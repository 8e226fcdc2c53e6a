import Foundation
import Testing
import TestSupport
import TokenCore

/// ECDSA P-256 / P-384 verification: Wycheproof, RFC 7515 A.3, own differential vectors, key checks.
@Suite struct ECDSATests {
    // MARK: - Wycheproof (../shared/vectors/wycheproof)

    private struct Group: Decodable {
        struct Key: Decodable { var uncompressed: String }
        var publicKey: Key
        var tests: [Wycheproof.Case]
    }

    static let wycheproofFiles = ["ecdsa_secp256r1_sha256_p1363_test.json", "ecdsa_secp384r1_sha384_p1363_test.json"]

    @Test(.enabled(if: Wycheproof.isAvailable(), "needs ../shared/vectors/wycheproof"), arguments: wycheproofFiles)
    func wycheproof(file: String) throws {
        let document = try Wycheproof.load(file, groups: Group.self)
        let tally = try Wycheproof.tally(file, document, cases: \.tests) { group, test in
            let encoded = try Hex.decode(group.publicKey.uncompressed)
            let signature = try Hex.decode(test.sig ?? ""), message = try Hex.decode(test.msg)
            return file.contains("secp256r1")
                ? try P256.PublicKey(uncompressedRepresentation: encoded).isValidSignature(signature, for: message)
                : try P384.PublicKey(uncompressedRepresentation: encoded).isValidSignature(signature, for: message)
        }
        #expect(tally.mismatches.isEmpty, "\(tally.mismatches)")
        #expect(tally.total == document.numberOfTests)
        #expect(tally.counts["valid", default: 0] > 0 && tally.counts["invalid", default: 0] > 0)
        #expect(tally.acceptableAccepted == 0) // none in these files; see Docs/EllipticCurves.md
        print(tally)
    }

    @Test func wycheproofRequiredUnderCI() {
        #expect(TestEnvironment.missingUnderCI(["../shared/vectors/wycheproof": Wycheproof.isAvailable()]).isEmpty)
    }

    // MARK: - RFC 7515 Appendix A.3 (ES256)

    static let rfc7515Input = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"

    static func rfc7515Key() throws -> P256.PublicKey {
        try P256.PublicKey(
            x: Base64URL.decode("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"),
            y: Base64URL.decode("x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0")
        )
    }

    @Test func rfc7515AppendixA3() throws {
        let key = try Self.rfc7515Key()
        let signature = try Base64URL.decode("DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q")
        #expect(key.isValidSignature(signature, for: Array(Self.rfc7515Input.utf8)))
        #expect(key.isValidSignature(signature, forDigest: SHA256.hash(Array(Self.rfc7515Input.utf8))))
        #expect(!key.isValidSignature(signature, for: Array((Self.rfc7515Input + "x").utf8)))
        var flipped = signature
        flipped[63] ^= 1
        #expect(!key.isValidSignature(flipped, for: Array(Self.rfc7515Input.utf8)))
        // Wrong lengths and a DER encoding of the same (r, s) are refused.
        #expect(!key.isValidSignature(Array(signature.dropLast()), for: Array(Self.rfc7515Input.utf8)))
        #expect(!key.isValidSignature(signature + [0], for: Array(Self.rfc7515Input.utf8)))
        #expect(!key.isValidSignature(Self.der(r: Array(signature[0..<32]), s: Array(signature[32...])), for: Array(Self.rfc7515Input.utf8)))
        #expect(key.x == (try Base64URL.decode("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU")))
    }

    /// r = 0, s = 0, r = n and s = n must all fail, whatever the key (CVE-2022-21449).
    @Test func rejectsOutOfRangeScalars() throws {
        let key = try Self.rfc7515Key()
        let message = Array(Self.rfc7515Input.utf8)
        let n = try Hex.decode("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551")
        let zero = [UInt8](repeating: 0, count: 32)
        let one = [UInt8](repeating: 0, count: 31) + [1]
        #expect(!key.isValidSignature(zero + zero, for: message))
        #expect(!key.isValidSignature(zero + one, for: message))
        #expect(!key.isValidSignature(one + zero, for: message))
        #expect(!key.isValidSignature(n + n, for: message))
        #expect(!key.isValidSignature(n + one, for: message))
        #expect(!key.isValidSignature([UInt8](repeating: 0xff, count: 64), for: message))
        #expect(!key.isValidSignature([UInt8](), for: message))
    }

    // MARK: - Key import

    @Test func rejectsInvalidKeys() throws {
        let p = try Hex.decode("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff")
        let gx = try Hex.decode("6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296")
        let gy = try Hex.decode("4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5")
        _ = try P256.PublicKey(x: gx, y: gy) // the generator is a valid key
        var offCurve = gy
        offCurve[31] ^= 1
        #expect(throws: CryptoError.self) { try P256.PublicKey(x: gx, y: offCurve) }
        #expect(throws: CryptoError.self) { try P256.PublicKey(x: gx, y: p) }
        #expect(throws: CryptoError.self) { try P256.PublicKey(x: p, y: gy) }
        #expect(throws: CryptoError.self) { try P256.PublicKey(x: [UInt8](repeating: 0, count: 32), y: [UInt8](repeating: 0, count: 32)) }
        #expect(throws: CryptoError.self) { try P256.PublicKey(x: [0] + gx, y: [0] + gy) }
        #expect(throws: CryptoError.self) { try P256.PublicKey(x: Array(gx.dropFirst()), y: gy) }
        #expect(throws: CryptoError.self) { try P256.PublicKey(uncompressedRepresentation: [0x02] + gx) }
        #expect(throws: CryptoError.self) { try P256.PublicKey(uncompressedRepresentation: [0x03] + gx + gy) }
        #expect(throws: CryptoError.self) { try P384.PublicKey(x: gx, y: gy) }
        #expect(throws: CryptoError.self) { try P384.PublicKey(uncompressedRepresentation: [UInt8]()) }
        let g384x = try Hex.decode("aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7")
        let g384y = try Hex.decode("3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f")
        let key384 = try P384.PublicKey(x: g384x, y: g384y)
        #expect(key384.y == g384y)
        var bad = g384y
        bad[0] ^= 0x80
        #expect(throws: CryptoError.self) { try P384.PublicKey(x: g384x, y: bad) }
    }

    // MARK: - Own differential vectors (scripts/vectors/gen_ec_vectors.py, Python `cryptography`)

    private struct OwnVectors: Decodable {
        struct Case: Decodable {
            var curve: String
            var x: String
            var y: String
            var msg: String
            var sig: String
            var valid: Bool
            var comment: String
        }
        var ecdsa: [Case]
    }

    @Test func generatedVectors() throws {
        let vectors = try JSONDecoder().decode(OwnVectors.self, from: TestEnvironment.fixture("TokenCoreTests", "ecc/ecdsa_vectors.json"))
        #expect(vectors.ecdsa.count >= 100)
        var valid = 0
        for test in vectors.ecdsa {
            let x = try Hex.decode(test.x), y = try Hex.decode(test.y)
            let sig = try Hex.decode(test.sig), msg = try Hex.decode(test.msg)
            let accepted = switch test.curve {
            case "P-256": try P256.PublicKey(x: x, y: y).isValidSignature(sig, for: msg)
            case "P-384": try P384.PublicKey(x: x, y: y).isValidSignature(sig, for: msg)
            default: true
            }
            #expect(accepted == test.valid, "\(test.curve) \(test.comment)")
            if test.valid { valid += 1 }
        }
        print("Own ECDSA vectors: \(valid) valid, \(vectors.ecdsa.count - valid) mutated")
    }

    /// Fresh random keys and messages from Python `cryptography` on every run, same mutations.
    @Test(.enabled(if: TestEnvironment.hasPython("cryptography"), "needs python3 with cryptography (pip install cryptography)"))
    func liveDifferentialAgainstPythonCryptography() throws {
        let script = TestEnvironment.repositoryRoot.appendingPathComponent("scripts/vectors/gen_ec_vectors.py").path
        let result = try TestEnvironment.run("python3 '\(script)' --random 3")
        #expect(result.status == 0, "\(result.stderr)")
        let vectors = try JSONDecoder().decode(OwnVectors.self, from: Data(result.stdout.utf8))
        #expect(vectors.ecdsa.count >= 100)
        for test in vectors.ecdsa {
            let x = try Hex.decode(test.x), y = try Hex.decode(test.y)
            let sig = try Hex.decode(test.sig), msg = try Hex.decode(test.msg)
            let accepted = test.curve == "P-256"
                ? try P256.PublicKey(x: x, y: y).isValidSignature(sig, for: msg)
                : try P384.PublicKey(x: x, y: y).isValidSignature(sig, for: msg)
            #expect(accepted == test.valid, "\(test.curve) \(test.comment) key x=\(test.x) sig=\(test.sig) msg=\(test.msg)")
        }
    }

    @Test func pythonCryptographyRequiredUnderCI() {
        #expect(TestEnvironment.missingUnderCI(["python3 cryptography": TestEnvironment.hasPython("cryptography")]).isEmpty)
    }

    /// Minimal DER SEQUENCE { INTEGER r, INTEGER s } for the "DER is refused" check.
    static func der(r: [UInt8], s: [UInt8]) -> [UInt8] {
        func integer(_ v: [UInt8]) -> [UInt8] {
            var v = Array(v.drop(while: { $0 == 0 }))
            if v.first.map({ $0 >= 0x80 }) ?? true { v.insert(0, at: 0) }
            return [0x02, UInt8(v.count)] + v
        }
        let body = integer(r) + integer(s)
        return [0x30, UInt8(body.count)] + body
    }
}
