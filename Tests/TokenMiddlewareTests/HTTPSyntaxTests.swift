import Testing
@testable import TokenMiddleware

/// The bit-set character classes against the grammar they encode, for every byte value.
@Suite struct HTTPSyntaxTests {
    private static func isAlphaNumeric(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
    }

    @Test func tokenCharactersMatchRFC9110() {
        let specials = Set("!#$%&'*+-.^_`|~".utf8)
        for value in 0...255 {
            let byte = UInt8(value)
            let expected = Self.isAlphaNumeric(byte) || specials.contains(byte)
            #expect(HTTPSyntax.isTokenCharacter(byte) == expected, "byte \(value)")
        }
    }

    @Test func b64TokenCharactersMatchRFC6750() {
        let specials = Set("-._~+/".utf8)
        for value in 0...255 {
            let byte = UInt8(value)
            let expected = Self.isAlphaNumeric(byte) || specials.contains(byte)
            #expect(HTTPSyntax.b64TokenCharacters.contains(byte) == expected, "byte \(value)")
            // As a one-byte token, and followed by padding.
            for suffix in ["", "=", "=="] {
                var token = [byte]
                token.append(contentsOf: suffix.utf8)
                let accepted = token.withUnsafeBufferPointer { HTTPSyntax.isB64Token($0) }
                #expect(accepted == expected, "byte \(value) + \(suffix)")
            }
        }
    }

    @Test(arguments: [
        ("a", true), ("abc==", true), ("a-b.c_d~e+f/g", true),
        ("", false), ("=", false), ("==", false), ("a=b", false), ("a==b=", false), ("=a", false),
    ])
    func b64TokenPaddingOnlyAtTheEnd(text: String, accepted: Bool) {
        let bytes = Array(text.utf8)
        #expect(bytes.withUnsafeBufferPointer { HTTPSyntax.isB64Token($0) } == accepted)
    }
}

extension HTTPSyntaxTests {
    @Test func controlCharactersAreAllButHTABBelowSpaceAndDEL() {
        for value in 0...255 {
            let byte = UInt8(value)
            let expected = (byte < 0x20 && byte != 0x09) || byte == 0x7F
            // Alone, and after a run of ordinary bytes (the scan has no early exit to test).
            for prefix in [[], [UInt8](repeating: 0x41, count: 37)] {
                let bytes = prefix + [byte]
                #expect(bytes.withUnsafeBufferPointer { HTTPSyntax.containsControlCharacter($0) } == expected, "byte \(value)")
            }
        }
    }
}
