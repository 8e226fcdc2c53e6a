import Testing
import TokenCore

@Suite struct PBKDF2Tests {
    struct Vector: Sendable, CustomStringConvertible {
        var password: String
        var salt: String
        var iterations: Int
        var byteCount: Int
        var expected: String
        var description: String { "P=\(password) S=\(salt) c=\(iterations)" }
    }

    /// RFC 7914 §11, the PBKDF2-HMAC-SHA256 test vectors.
    static let rfc7914: [Vector] = [
        Vector(password: "passwd", salt: "salt", iterations: 1, byteCount: 64,
               expected: "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"),
        Vector(password: "Password", salt: "NaCl", iterations: 80000, byteCount: 64,
               expected: "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d"),
    ]

    @Test(arguments: rfc7914)
    func rfc7914Vectors(_ v: Vector) throws {
        let key = try PBKDF2<SHA256>.deriveKey(
            from: Array(v.password.utf8), salt: Array(v.salt.utf8), iterations: v.iterations, byteCount: v.byteCount)
        #expect(Hex.encode(key) == v.expected)
    }

    @Test func outputLengthsAroundTheDigestSizeArePrefixesOfOneStream() throws {
        // T_1 ‖ T_2 ‖ … : a shorter dkLen is a prefix of a longer one (RFC 8018 §5.2 step 4).
        let full = try PBKDF2<SHA256>.deriveKey(from: Array("pw".utf8), salt: Array("NaCl".utf8), iterations: 3, byteCount: 97)
        for length in [1, 31, 32, 33, 64, 65, 96] {
            let key = try PBKDF2<SHA256>.deriveKey(from: Array("pw".utf8), salt: Array("NaCl".utf8), iterations: 3, byteCount: length)
            #expect(key == Array(full.prefix(length)))
        }
    }

    @Test func rejectsOutOfRangeParameters() {
        for (iterations, byteCount) in [(0, 32), (-1, 32), (1, 0), (1, -5), (1, PBKDF2<SHA256>.maximumByteCount + 1)] {
            #expect(throws: CryptoError.self) {
                try PBKDF2<SHA256>.deriveKey(from: [1], salt: [2], iterations: iterations, byteCount: byteCount)
            }
        }
        do {
            _ = try PBKDF2<SHA512>.deriveKey(from: [1], salt: [2], iterations: 0, byteCount: 64)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .invalidParameter)
        }
    }
}
