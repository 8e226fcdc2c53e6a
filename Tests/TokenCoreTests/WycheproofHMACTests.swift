import Foundation
import Testing
import TestSupport
import TokenCore

/// Wycheproof's HMAC vectors from `../shared/vectors/wycheproof` (never copied into the repo).
@Suite struct WycheproofHMACTests {
    static let available = Wycheproof.isAvailable("hmac_sha256_test.json")

    struct Group: Decodable {
        var keySize: Int
        var tagSize: Int
        var tests: [Wycheproof.Case]
    }

    @Test func sharedVectorsPresentUnderCI() {
        #expect(TestEnvironment.missingUnderCI(["../shared/vectors/wycheproof (HMAC vectors)": Self.available]).isEmpty)
    }

    @Test(.enabled(if: available, "needs ../shared/vectors/wycheproof/hmac_sha*_test.json (set TOKEN_AUTH_SHARED)"),
          arguments: ["sha256", "sha384", "sha512"])
    func wycheproof(_ hash: String) throws {
        let file = "hmac_\(hash)_test.json"
        let document = try Wycheproof.load(file, groups: Group.self)
        var checked = 0
        let tally = try Wycheproof.tally(file, document, cases: \.tests) { group, test in
            let key = try Hex.decode(test.key ?? ""), message = try Hex.decode(test.msg), tag = try Hex.decode(test.tag ?? "")
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
            if !truncated {
                #expect(fullCheck == ConstantTime.isEqual(full, tag), "tcId \(test.tcId)")
                checked += 1
            }
            return truncated ? ConstantTime.isEqual(full.prefix(group.tagSize / 8), tag) : fullCheck
        }
        #expect(tally.mismatches.isEmpty, "\(tally.mismatches)")
        #expect(tally.total == document.numberOfTests)
        #expect(tally.counts["valid", default: 0] > 0 && tally.counts["invalid", default: 0] > 0 && checked > 0)
        print(tally)
    }
}
