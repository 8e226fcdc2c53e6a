import Foundation
import Testing
import TokenCore

/// HMAC-SHA256/384/512 against RFC 4231 §4, and the verification semantics.
@Suite struct HMACTests {
    struct Case: Sendable, CustomStringConvertible {
        var number: Int
        var key: [UInt8]
        var data: [UInt8]
        /// Tags for SHA-256, SHA-384, SHA-512; test case 5 gives only the first 128 bits.
        var tags: [String]
        var description: String { "RFC 4231 test case \(number)" }
    }

    static let rfc4231: [Case] = [
        Case(number: 1, key: [UInt8](repeating: 0x0b, count: 20), data: Array("Hi There".utf8), tags: [
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
            "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6",
            "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"]),
        Case(number: 2, key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8), tags: [
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649",
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"]),
        Case(number: 3, key: [UInt8](repeating: 0xaa, count: 20), data: [UInt8](repeating: 0xdd, count: 50), tags: [
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
            "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b2a5ab39dc13814b94e3ab6e101a34f27",
            "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb"]),
        Case(number: 4, key: Array(1...25), data: [UInt8](repeating: 0xcd, count: 50), tags: [
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
            "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e6801dd23c4a7d679ccf8a386c674cffb",
            "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3dba91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd"]),
        Case(number: 5, key: [UInt8](repeating: 0x0c, count: 20), data: Array("Test With Truncation".utf8), tags: [
            "a3b6167473100ee06e0c796c2955552b",
            "3abf34c3503b2a23a46efc619baef897",
            "415fad6271580a531d4179bc891d87a6"]),
        Case(number: 6, key: [UInt8](repeating: 0xaa, count: 131),
             data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8), tags: [
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
            "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952",
            "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"]),
        Case(number: 7, key: [UInt8](repeating: 0xaa, count: 131),
             data: Array("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".utf8), tags: [
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
            "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5a678cc31e799176d3860e6110c46523e",
            "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58"]),
    ]

    @Test(arguments: rfc4231)
    func rfc4231Vectors(_ c: Case) throws {
        let tags = [
            HMAC<SHA256>.authenticationCode(for: c.data, using: c.key),
            HMAC<SHA384>.authenticationCode(for: c.data, using: c.key),
            HMAC<SHA512>.authenticationCode(for: c.data, using: c.key),
        ]
        for (tag, expected) in zip(tags, c.tags) {
            let expectedBytes = try Hex.decode(expected)
            #expect(Hex.encode(tag.prefix(expectedBytes.count)) == expected)
            if expectedBytes.count == tag.count {
                #expect(ConstantTime.isEqual(tag, expectedBytes))
            }
        }
        if c.number != 5 {
            #expect(HMAC<SHA256>.isValidAuthenticationCode(try Hex.decode(c.tags[0]), for: c.data, using: c.key))
            #expect(HMAC<SHA384>.isValidAuthenticationCode(try Hex.decode(c.tags[1]), for: c.data, using: c.key))
            #expect(HMAC<SHA512>.isValidAuthenticationCode(try Hex.decode(c.tags[2]), for: c.data, using: c.key))
        } else {
            // A truncated tag is never accepted by the full-length check.
            #expect(!HMAC<SHA256>.isValidAuthenticationCode(try Hex.decode(c.tags[0]), for: c.data, using: c.key))
        }
    }

    @Test func verificationRejectsEveryAlteration() {
        let key = Array("key".utf8), message = Array("message".utf8)
        let tag = HMAC<SHA256>.authenticationCode(for: message, using: key)
        #expect(HMAC<SHA256>.isValidAuthenticationCode(tag, for: message, using: key))
        for i in tag.indices {
            for bit in 0..<8 {
                var bad = tag
                bad[i] ^= UInt8(1 << bit)
                #expect(!HMAC<SHA256>.isValidAuthenticationCode(bad, for: message, using: key))
            }
        }
        #expect(!HMAC<SHA256>.isValidAuthenticationCode(tag.dropLast(), for: message, using: key))
        #expect(!HMAC<SHA256>.isValidAuthenticationCode(tag + [0], for: message, using: key))
        #expect(!HMAC<SHA256>.isValidAuthenticationCode([UInt8](), for: message, using: key))
        #expect(!HMAC<SHA256>.isValidAuthenticationCode(tag, for: message + [0], using: key))
        #expect(!HMAC<SHA256>.isValidAuthenticationCode(tag, for: message, using: Array("kez".utf8)))
        // RFC 2104 zero-pads short keys, so "key" and "key\0" are the same HMAC key: documented, not a bug.
        #expect(HMAC<SHA256>.isValidAuthenticationCode(tag, for: message, using: key + [0]))
    }

    @Test func prototypeIsReusableAndStreamingMatchesOneShot() {
        let key = [UInt8](repeating: 0x42, count: 32)
        let prototype = HMAC<SHA512>(key: key)
        let message = (0..<300).map { UInt8(truncatingIfNeeded: $0) }
        for split in stride(from: 0, through: 300, by: 7) {
            var mac = prototype
            mac.update(message[..<split])
            mac.update(message[split...])
            #expect(mac.finalize() == HMAC<SHA512>.authenticationCode(for: message, using: key))
        }
        var mac = HMAC<SHA256>(key: Data("k".utf8))
        mac.update("hello")
        #expect(mac.isValidAuthenticationCode(HMAC<SHA256>.authenticationCode(for: Array("hello".utf8), using: Array("k".utf8))))
        var out = [UInt8](repeating: 0, count: 16)
        out.withUnsafeMutableBytes { mac.finalize(into: $0) }
        #expect(out == Array(mac.finalize().prefix(16)))
    }

    @Test func keysAroundTheBlockSize() {
        // A key of exactly one block is used as is; one byte longer is hashed (RFC 2104 §2).
        for length in [0, 1, 63, 64, 65, 127, 128, 129] {
            let key = [UInt8](repeating: 0x5a, count: length)
            let hashedKey = HMAC<SHA256>.authenticationCode(for: [1, 2, 3], using: SHA256.hash(key))
            let direct = HMAC<SHA256>.authenticationCode(for: [1, 2, 3], using: key)
            #expect((direct == hashedKey) == (length > 64), "key length \(length)")
        }
    }
}
