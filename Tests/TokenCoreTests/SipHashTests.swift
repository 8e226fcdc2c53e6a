import Testing
@testable import TokenCore

/// SipHash-2-4 against the reference vectors of its authors (github.com/veorq/SipHash,
/// `vectors.h`): key 00 01 … 0f, message i = the i bytes 00 01 … (i − 1), output bytes in the
/// order the reference prints them. The replay cache's fingerprints rest on the 128-bit variant.
@Suite struct SipHashTests {
    static let key = SipHash24(k0: 0x0706_0504_0302_0100, k1: 0x0f0e_0d0c_0b0a_0908)

    /// (message length, 64-bit output) from `vectors_sip64`. Length 15 is the paper's Appendix A
    /// example (a129ca6149be45e5 as a word).
    static let sip64: [(Int, String)] = [
        (0, "310e0edd47db6f72"), (1, "fd67dc93c539f874"), (7, "37d1018bf50002ab"),
        (8, "6224939a79f5f593"), (15, "e545be4961ca29a1"), (63, "724506eb4c328a95"),
    ]

    /// (message length, 128-bit output) from `vectors_sip128`.
    static let sip128: [(Int, String)] = [
        (0, "a3817f04ba25a8e66df67214c7550293"), (1, "da87c1d86b99af44347659119b22fc45"),
        (15, "5493e99933b0a8117e08ec0f97cfc3d9"), (16, "6ee2a4ca67b054bbfd3315bf85230577"),
        (31, "2939b0183223fafc1723de4f52c43d35"), (63, "5150d1772f50834a503e069a973fbd7c"),
    ]

    static func message(_ count: Int) -> [UInt8] { (0..<count).map { UInt8($0) } }

    static func hex(_ words: UInt64...) -> String {
        words.map { word in
            (0..<8).map { i in
                let byte = UInt8(truncatingIfNeeded: word >> (8 * UInt64(i)))
                return String(byte, radix: 16).leftPadded
            }.joined()
        }.joined()
    }

    @Test("64-bit output matches the reference vectors")
    func sixtyFourBit() {
        for (count, expected) in Self.sip64 {
            let output = Self.message(count).withUnsafeBytes { Self.key.hash64($0) }
            #expect(Self.hex(output) == expected, "length \(count)")
        }
    }

    @Test("128-bit output matches the reference vectors")
    func oneTwentyEightBit() {
        for (count, expected) in Self.sip128 {
            let (first, second) = Self.message(count).withUnsafeBytes { Self.key.hash128($0) }
            #expect(Self.hex(first, second) == expected, "length \(count)")
        }
    }

    @Test("every length from 0 to 40 bytes gives a distinct output, and the key matters")
    func lengthsAndKeys() {
        let other = SipHash24(k0: 1, k1: 0)
        var seen = Set<String>()
        for count in 0...40 {
            let bytes = Self.message(count)
            let (a, b) = bytes.withUnsafeBytes { Self.key.hash128($0) }
            let (c, d) = bytes.withUnsafeBytes { other.hash128($0) }
            #expect((a, b) != (c, d))
            seen.insert(Self.hex(a, b))
        }
        #expect(seen.count == 41)
    }
}

private extension String {
    var leftPadded: String { count == 1 ? "0" + self : self }
}
