import Foundation
import Testing
import TestSupport
import TokenCore

/// Wycheproof's HMAC vectors from `../shared/vectors/wycheproof` (never copied into the repo).
@Suite struct WycheproofHMACTests {
    static let folder = "vectors/wycheproof"
    static let available = TestEnvironment.hasShared(folder + "/hmac_sha256_test.json")

    struct File: Decodable {
        struct Group: Decodable {
            var keySize: Int
            var tagSize: Int
            var tests: [Test]
        }
        struct Test: Decodable {
            var tcId: Int
            var comment: String
            var key: String
            var msg: String
            var tag: String
            var result: String
        }
        var algorithm: String
        var numberOfTests: Int
        var testGroups: [Group]
    }

    @Test func sharedVectorsPresentUnderCI() {
        #expect(TestEnvironment.missingUnderCI(["../shared/vectors/wycheproof (HMAC vectors)": Self.available]).isEmpty)
    }

    @Test(.enabled(if: available, "needs ../shared/vectors/wycheproof/hmac_sha*_test.json (set TOKEN_AUTH_SHARED)"),
          arguments: ["sha256", "sha384", "sha512"])
    func wycheproof(_ hash: String) throws {
        let url = TestEnvironment.shared.appendingPathComponent("\(Self.folder)/hmac_\(hash)_test.json")
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: url))
        var valid = 0, invalid = 0
        for group in file.testGroups {
            for test in group.tests {
                let key = try Hex.decode(test.key), message = try Hex.decode(test.msg), tag = try Hex.decode(test.tag)
                let full: [UInt8]
                let fullCheck: Bool
                switch hash {
                case "sha256":
                    full = HMAC<SHA256>.authenticationCode(for: message, using: key)
                    fullCheck = HMAC<SHA256>.isValidAuthenticationCode(tag, for: message, using: key)
                case "sha384":
                    full = HMAC<SHA384>.authenticationCode(for: message, using: key)
                    fullCheck = HMAC<SHA384>.isValidAuthenticationCode(tag, for: message, using: key)
                default:
                    full = HMAC<SHA512>.authenticationCode(for: message, using: key)
                    fullCheck = HMAC<SHA512>.isValidAuthenticationCode(tag, for: message, using: key)
                }
                // Truncated-tag groups (tagSize < digest) compare the prefix, as Wycheproof intends.
                let truncated = group.tagSize / 8 < full.count
                let accepted = truncated
                    ? ConstantTime.isEqual(full.prefix(group.tagSize / 8), tag)
                    : fullCheck
                #expect(accepted == (test.result == "valid"), "tcId \(test.tcId) (\(test.comment))")
                if !truncated { #expect(fullCheck == ConstantTime.isEqual(full, tag), "tcId \(test.tcId)") }
                if test.result == "valid" { valid += 1 } else { invalid += 1 }
            }
        }
        #expect(valid + invalid == file.numberOfTests)
        #expect(valid > 0 && invalid > 0)
        print("Wycheproof hmac_\(hash): \(valid) valid and \(invalid) invalid vectors checked")
    }
}
