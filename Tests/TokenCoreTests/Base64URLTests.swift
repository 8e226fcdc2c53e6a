import Foundation
import Testing
@testable import TokenCore

/// Strict base64url (RFC 4648 §5 without padding) and padded base64 (RFC 4648 §4), checked
/// against Foundation's encoder and against every non-canonical form.
@Suite struct Base64URLTests {
    static let urlAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    static let standardAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func bytes(_ n: Int, seed: Int) -> [UInt8] {
        (0..<n).map { UInt8(truncatingIfNeeded: ($0 &+ seed) &* 167 &+ seed &* 13) }
    }

    /// Foundation's padded standard base64 turned into unpadded base64url: an independent encoder.
    static func reference(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    @Test func roundTripsEveryLength0To64() throws {
        for n in 0...64 {
            for seed in [0, 1, 255] {
                let input = Self.bytes(n, seed: seed)
                let encoded = Base64URL.encode(input)
                #expect(encoded == Self.reference(input), "length \(n)")
                #expect(try Base64URL.decode(encoded) == input, "length \(n)")
                #expect(try Base64URL.decode(Substring(encoded)) == input)
                let padded = Base64.encode(input)
                #expect(padded == Data(input).base64EncodedString(), "length \(n)")
                #expect(try Base64.decode(padded) == input, "length \(n)")
            }
        }
        // All 256 byte values, so every 6-bit value appears in every position.
        let all = (0...255).map { UInt8($0) }
        #expect(try Base64URL.decode(Base64URL.encode(all)) == all)
        #expect(try Base64.decode(Base64.encode(all)) == all)
        #expect(Base64URL.encode([0xfb, 0xff]) == "-_8" && Base64.encode([0xfb, 0xff]) == "+/8=")
    }

    /// Every byte value in every position of a 4-character group decodes exactly when it is in
    /// the alphabet, to its alphabet index: the arithmetic decoder equals a table.
    @Test func everyCharacterInEveryPosition() throws {
        for (alphabet, decode) in [
            (Self.urlAlphabet, { (s: [UInt8]) throws(ByteEncodingError) -> [UInt8] in try Base64URL.decode(String(decoding: s, as: UTF8.self)) }),
            (Self.standardAlphabet, { (s: [UInt8]) throws(ByteEncodingError) -> [UInt8] in try Base64.decode(String(decoding: s, as: UTF8.self)) }),
        ] {
            for position in 0..<4 {
                for c in 0..<128 {
                    // "AAA=" is the valid padded encoding of two bytes; padding has its own tests.
                    if alphabet == Self.standardAlphabet, position == 3, c == Int(UInt8(ascii: "=")) { continue }
                    var group = Array("AAAA".utf8)
                    group[position] = UInt8(c)
                    let index = alphabet.firstIndex(of: UInt8(c))
                    do {
                        let decoded = try decode(group)
                        guard let index else { Issue.record("accepted \(c) at \(position)"); continue }
                        let value = UInt32(decoded[0]) << 16 | UInt32(decoded[1]) << 8 | UInt32(decoded[2])
                        #expect(value == UInt32(index) << (6 * (3 - UInt32(position))))
                    } catch {
                        #expect(index == nil, "rejected alphabet character \(c) at \(position)")
                    }
                }
            }
        }
        // Non-ASCII bytes (including UTF-8 of "é") are rejected too.
        #expect(throws: ByteEncodingError.self) { try Base64URL.decode("AAé") }
        #expect(throws: ByteEncodingError.self) { try Base64URL.decode(utf8: UnsafeRawBufferPointer([UInt8]([0x41, 0x41, 0xC1]).withUnsafeBytes { $0 })) }
    }

    static let nonCanonicalURL: [(String, ByteEncodingError.Code)] = [
        ("Zg==", .invalidCharacter),    // padding
        ("Zg=", .invalidCharacter),
        ("Zm8=", .invalidCharacter),
        ("+_8", .invalidCharacter),      // standard alphabet
        ("-/8", .invalidCharacter),
        ("Zm 9vY", .invalidCharacter),   // whitespace (lengths valid, so the character is the error)
        ("Zm9v\nA", .invalidCharacter),
        (" Zm9vY", .invalidCharacter),
        ("Zm9v\tA", .invalidCharacter),
        ("Zm9v\r\n", .invalidCharacter),
        ("Zm9\u{0}", .invalidCharacter),
        ("Z", .invalidLength),           // length ≡ 1 (mod 4)
        ("Zm9vY", .invalidLength),
        ("Zm9vYmFyZ", .invalidLength),
        ("Zh", .nonCanonical),           // trailing bits: "Zg" is canonical for "f"
        ("Zm9", .nonCanonical),          // "Zm8" is canonical for "fo"
        ("Zm-", .nonCanonical),
        ("AB", .nonCanonical),
        ("AAB", .nonCanonical),
    ]

    @Test(arguments: nonCanonicalURL.indices)
    func rejectsNonCanonicalBase64URL(_ i: Int) {
        let (text, code) = Self.nonCanonicalURL[i]
        do {
            let decoded = try Base64URL.decode(text)
            Issue.record("accepted \(text.debugDescription) as \(decoded)")
        } catch {
            #expect(error.code == code, "\(text.debugDescription): \(error)")
        }
    }

    /// For every length, flipping any unused trailing bit of the last character is rejected.
    @Test func everyTrailingBitIsChecked() {
        for n in 0...64 where n % 3 != 0 {
            let encoded = Array(Base64URL.encode(Self.bytes(n, seed: 7)).utf8)
            let last = encoded[encoded.count - 1]
            let index = Self.urlAlphabet.firstIndex(of: last)! // safe: the encoder only emits alphabet characters
            let unusedBits = n % 3 == 1 ? 4 : 2
            for bit in 0..<unusedBits {
                var altered = encoded
                altered[altered.count - 1] = Self.urlAlphabet[index ^ (1 << bit)]
                #expect(throws: ByteEncodingError.self) { try Base64URL.decode(String(decoding: altered, as: UTF8.self)) }
            }
        }
    }

    static let nonCanonicalPadded: [String] = [
        "Zg", "Zg=", "Zm8", "Zg===", "Z===", "====", "=Zg=", "Zg=a", "Z=g=", // missing, extra, misplaced padding
        "Zh==", "Zm9=",                                                      // trailing bits
        "-_8=", "Zm 9", "Zm9v\n===", " Zm9",                                   // URL alphabet, whitespace
        "Zm9vYg==Zm9v",                                                      // padding inside
    ]

    @Test(arguments: nonCanonicalPadded)
    func rejectsNonCanonicalBase64(_ text: String) {
        #expect(throws: ByteEncodingError.self) { try Base64.decode(text) }
    }

    @Test func emptyInputIsEmpty() throws {
        #expect(try Base64URL.decode("") == [])
        #expect(try Base64.decode("") == [])
        #expect(Base64URL.encode([UInt8]()) == "")
        #expect(Base64.encode([UInt8]()) == "")
    }

    /// The table-driven decoder for public JWS segments accepts and rejects exactly what the
    /// branch-free decoder does, with the same bytes and the same error codes.
    @Test func publicDecoderMatchesTheConstantTimeDecoder() {
        var generator = SystemRandomNumberGenerator()
        let characters = Self.urlAlphabet + Array("=+/ .\u{0}\u{7F}".utf8) + [0x80, 0xC3, 0xFF]
        for length in 0..<70 {
            for trial in 0..<40 {
                var text = (0..<length).map { _ in Self.urlAlphabet[Int.random(in: 0..<64, using: &generator)] }
                // Half the inputs get one character from outside the alphabet.
                if trial % 2 == 1, length > 0 {
                    text[Int.random(in: 0..<length, using: &generator)] = characters[Int.random(in: 0..<characters.count, using: &generator)]
                }
                text.withUnsafeBytes { raw in
                    let reference = Result { () throws(ByteEncodingError) in try Base64URL.decode(utf8: raw) }
                    let candidate = Result { () throws(ByteEncodingError) in try Base64URL.decodePublic(utf8: raw) }
                    switch (reference, candidate) {
                    case (.success(let a), .success(let b)): #expect(a == b)
                    case (.failure(let a), .failure(let b)): #expect(a.code == b.code)
                    default: Issue.record("decoders disagree on \(String(decoding: text, as: UTF8.self))")
                    }
                }
            }
        }
    }
}
