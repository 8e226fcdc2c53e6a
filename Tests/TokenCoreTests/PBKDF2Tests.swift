import Testing
import TokenCore

/// SHA-256 seen only through the public protocol (the default `finalize(into:)`), so PBKDF2 and
/// HMAC take their generic paths instead of the SHA-2 fast path.
private struct OpaqueSHA256: HashFunction {
    static let digestByteCount = 32
    static let blockByteCount = 64
    static let name = "opaque-sha256"
    var inner = SHA256()
    mutating func update(bufferPointer: UnsafeRawBufferPointer) { inner.update(bufferPointer: bufferPointer) }
    func finalize() -> [UInt8] { inner.finalize() }
}

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

    @Test func genericPathMatchesTheCompressionFastPath() throws {
        for (iterations, length) in [(1, 32), (2, 20), (17, 65), (1000, 32)] {
            let fast = try PBKDF2<SHA256>.deriveKey(from: Array("pw".utf8), salt: Array("salt".utf8), iterations: iterations, byteCount: length)
            let generic = try PBKDF2<OpaqueSHA256>.deriveKey(from: Array("pw".utf8), salt: Array("salt".utf8), iterations: iterations, byteCount: length)
            #expect(fast == generic, "c=\(iterations) dkLen=\(length)")
        }
        // The generic HMAC path over the opaque hash agrees too (default finalize(into:)).
        #expect(HMAC<OpaqueSHA256>.authenticationCode(for: [1, 2, 3], using: [4]) == HMAC<SHA256>.authenticationCode(for: [1, 2, 3], using: [4]))
    }

    @Test func sha384AndSHA512MatchPython() throws {
        // hashlib.pbkdf2_hmac('sha384'/'sha512', b'password', b'salt', 2, n)
        #expect(Hex.encode(try PBKDF2<SHA384>.deriveKey(from: Array("password".utf8), salt: Array("salt".utf8), iterations: 2, byteCount: 48))
            == "54f775c6d790f21930459162fc535dbf04a939185127016a04176a0730c6f1f4fb48832ad1261baadd2cedd50814b1c8")
        #expect(Hex.encode(try PBKDF2<SHA512>.deriveKey(from: Array("password".utf8), salt: Array("salt".utf8), iterations: 2, byteCount: 64))
            == "e1d9c16aa681708a45f5c7c4e215ceb66e011a2e9f0040713f18aefdb866d53cf76cab2868a39b9f7840edce4fef5a82be67335c77a6068e04112754f27ccf4e")
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
