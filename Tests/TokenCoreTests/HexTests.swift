import Testing
import TokenCore

@Suite struct HexTests {
    @Test func roundTripsEveryByte() throws {
        let all = (0...255).map { UInt8($0) }
        let encoded = Hex.encode(all)
        #expect(encoded == all.map { String(format: "%02x", $0) }.joined())
        #expect(try Hex.decode(encoded) == all)
        #expect(try Hex.decode(encoded.uppercased()) == all)
        #expect(Hex.encode([UInt8]()) == "")
        #expect(try Hex.decode("") == [])
    }

    @Test func everyCharacterIsClassified() {
        let digits = Array("0123456789abcdefABCDEF".utf8)
        for c in 0..<256 {
            let text = String(decoding: [UInt8(c), UInt8(ascii: "0")], as: UTF8.self)
            let accepted = (try? Hex.decode(text)) != nil
            #expect(accepted == digits.contains(UInt8(c)), "character \(c)")
        }
    }

    @Test func rejectsOddLengthAndNonHex() {
        for text in ["0", "abc", "0x00", "0g", " 00", "00 ", "zz"] {
            #expect(throws: ByteEncodingError.self) { try Hex.decode(text) }
        }
    }
}
