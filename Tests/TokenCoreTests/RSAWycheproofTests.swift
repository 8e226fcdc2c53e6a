import Foundation
import Testing
import TestSupport
import TokenCore

/// Wycheproof RSA PKCS #1 v1.5 and RSA-PSS verification vectors from `../shared`.
///
/// Decision on `acceptable`: the only such cases in these files are PKCS #1 v1.5 signatures
/// whose DigestInfo omits the NULL parameters (flag `MissingNull`). We rebuild the one encoded
/// message RFC 8017 §9.2 defines (with NULL) and compare it whole, so we reject them, and the
/// test asserts that we do.
@Suite struct RSAWycheproofTests {
    static let pkcs1Files = [
        "rsa_signature_2048_sha256_test.json", "rsa_signature_2048_sha384_test.json", "rsa_signature_2048_sha512_test.json",
        "rsa_signature_3072_sha256_test.json", "rsa_signature_3072_sha384_test.json", "rsa_signature_3072_sha512_test.json",
        "rsa_signature_4096_sha256_test.json", "rsa_signature_4096_sha384_test.json", "rsa_signature_4096_sha512_test.json",
    ]
    static let pssFiles = [
        "rsa_pss_2048_sha256_mgf1_32_test.json", "rsa_pss_2048_sha384_mgf1_48_test.json",
        "rsa_pss_3072_sha256_mgf1_32_test.json", "rsa_pss_4096_sha256_mgf1_32_test.json",
        "rsa_pss_4096_sha512_mgf1_64_test.json",
    ]
    static let available = Wycheproof.isAvailable()

    @Test func wycheproofIsPresentUnderCI() {
        #expect(TestEnvironment.missingUnderCI(["../shared/vectors/wycheproof": Self.available]).isEmpty)
    }

    @Test(.enabled(if: available, "needs ../shared/vectors/wycheproof"), arguments: pkcs1Files)
    func pkcs1v15(_ file: String) throws {
        try run(file, padding: .pkcs1v15)
    }

    @Test(.enabled(if: available, "needs ../shared/vectors/wycheproof"), arguments: pssFiles)
    func pss(_ file: String) throws {
        try run(file, padding: .pss)
    }

    func run(_ file: String, padding: RSASignatureScheme.Padding) throws {
        let document = try Wycheproof.load(file, groups: Group.self)
        let tally = try Wycheproof.tally(file, document, cases: \.tests) { group, test in
            let digest = try #require(Self.digest(group.sha))
            if padding == .pss {
                // JWS fixes MGF1 over the same hash and a salt as long as the hash.
                #expect(group.mgfSha == group.sha && group.sLen == digest.byteCount, "unexpected PSS parameters in \(file)")
            }
            let key = try RSAPublicKey(derEncoded: try Hex.decode(group.publicKeyDer))
            #expect(key.modulusBitCount == group.keySize)
            let scheme = RSASignatureScheme(padding: padding, digest: digest)
            return key.isValidSignature(try Hex.decode(test.sig ?? ""), for: try Hex.decode(test.msg), scheme: scheme)
        }
        #expect(tally.mismatches.isEmpty, "\(tally.mismatches)")
        // Our decision on `acceptable` (see the suite comment): MissingNull is the only kind, rejected.
        #expect(tally.acceptableFlags.isSubset(of: ["MissingNull"]), "\(file): undecided acceptable cases \(tally.acceptableFlags)")
        #expect(tally.acceptableAccepted == 0, "\(file): an acceptable case we chose to reject was accepted")
        #expect(tally.total == document.numberOfTests)
        #expect(tally.counts["valid", default: 0] > 0 && tally.counts["invalid", default: 0] > 0)
        print(tally)
    }

    static func digest(_ name: String) -> RSASignatureScheme.Digest? {
        switch name {
        case "SHA-256": .sha256
        case "SHA-384": .sha384
        case "SHA-512": .sha512
        default: nil
        }
    }
}

/// A group of Wycheproof's RSA signature files (PKCS #1 v1.5 and PSS share the shape).
struct Group: Decodable {
    var keySize: Int
    var sha: String
    var mgfSha: String?
    var sLen: Int?
    var publicKeyDer: String
    var tests: [Wycheproof.Case]
}
