import Foundation
import Testing
import TokenCore

@Suite struct JSONReaderTests {
    let reader = JSONReader()

    func parse(_ text: String) throws -> JSONValue { try reader.parse(Array(text.utf8)) }

    func code(_ text: String, reader: JSONReader = JSONReader()) -> JSONError.Code? {
        do {
            _ = try reader.parse(Array(text.utf8))
            return nil
        } catch {
            return error.code
        }
    }

    func code(bytes: [UInt8]) -> JSONError.Code? {
        do {
            _ = try reader.parse(bytes)
            return nil
        } catch {
            return error.code
        }
    }

    /// Strings are scanned eight bytes at a time until a word holds a quote, a backslash, a
    /// control character or a non-ASCII byte: each of those must be found at every offset of a
    /// word, in strings shorter and longer than one word.
    @Test(arguments: 0..<19)
    func findsSpecialBytesAtEveryOffset(_ offset: Int) throws {
        let plain = String(repeating: "a", count: 18)
        func insert(_ piece: String) -> String {
            String(plain.prefix(offset)) + piece + String(plain.dropFirst(offset))
        }
        // An escaped quote and an escaped backslash decode to themselves.
        #expect(try parse("\"" + insert("\\\"") + "\"") == .string(insert("\"")))
        #expect(try parse("\"" + insert("\\\\") + "\"") == .string(insert("\\")))
        // Non-ASCII UTF-8 is kept; a raw control character is refused.
        #expect(try parse("\"" + insert("é") + "\"") == .string(insert("é")))
        #expect(code("\"" + insert("\u{01}") + "\"") == .invalidSyntax)
        #expect(code("\"" + insert("\u{1F}") + "\"") == .invalidSyntax)
        // The closing quote itself at every offset: a string of `offset` bytes, then more members.
        let object = try parse("{\"" + String(plain.prefix(offset)) + "\": 1, \"z\": \"" + String(plain.prefix(offset)) + "\"}")
        #expect(object[String(plain.prefix(offset))] == .number(JSONNumber(1)))
        #expect(object["z"] == .string(String(plain.prefix(offset))))
        // Invalid UTF-8 after a run of plain words is still refused.
        #expect(code(bytes: Array("\"".utf8) + Array(insert("").utf8) + [0xC3, 0x28, 0x22]) == .invalidUTF8)
    }

    /// Common member names come back as static strings: the same text, and a name that only
    /// starts like one (or is longer) is read in full.
    @Test func readsCommonAndUncommonMemberNames() throws {
        let names = ["alg", "kid", "typ", "cty", "crit", "b64", "iss", "sub", "aud", "exp", "nbf", "iat", "jti",
                     "azp", "sid", "scp", "scope", "roles", "email", "nonce", "groups", "name", "kty", "use", "crv",
                     "x5c", "x5t", "keys", "n", "e", "x", "y",
                     "algo", "al", "issuer", "subject", "scopes", "a\"", "", "x5t#S256", "ninechars", "\u{7F}"]
        for name in names {
            let escaped = name.replacingOccurrences(of: "\"", with: "\\\"")
            let value = try parse("{\"" + escaped + "\": true}")
            #expect(value.objectValue?.members.map(\.name) == [name], "\(name)")
        }
        #expect(code("{\"alg\": 1, \"alg\": 2}") == .duplicateMember)
        #expect(code("{\"alg\": 1, \"al\\u0067\": 2}") == .duplicateMember)
    }

    @Test func parsesEveryValueType() throws {
        let value = try parse(#" { "s": "x\n\u00e9\ud83d\ude00", "n": -12.5e2, "i": 42, "t": true, "f": false, "z": null, "a": [1, [], {}] } "#)
        #expect(value["s"] == .string("x\né😀"))
        #expect(value["n"]?.numberValue?.doubleValue == -1250)
        #expect(value["n"]?.numberValue?.literal == "-12.5e2")
        #expect(value["i"]?.numberValue?.int64Value == 42)
        #expect(value["t"] == .bool(true))
        #expect(value["f"] == .bool(false))
        #expect(value["z"] == .null)
        #expect(value["a"]?.arrayValue?.count == 3)
        #expect(value.objectValue?.members.map(\.name) == ["s", "n", "i", "t", "f", "z", "a"])
    }

    @Test func keepsRawUTF8Strings() throws {
        #expect(try parse("\"héllo ✓\"") == .string("héllo ✓"))
    }

    @Test(arguments: [
        #"{"a":1,"a":2}"#,
        #"{"a":1,"b":{"c":1,"c":1}}"#,
        #"{"a":1,"\u0061":2}"#, // the same name, once escaped
        "{\"\u{E9}\":1,\"e\u{301}\":2}", // canonically equivalent names, of different UTF-8 lengths
    ])
    func rejectsDuplicateMembers(_ text: String) {
        #expect(code(text) == .duplicateMember)
    }

    @Test func rejectsDuplicatesInLargeObjects() {
        let members = (0..<40).map { "\"k\($0)\":\($0)" } + ["\"k7\":0"]
        #expect(code("{" + members.joined(separator: ",") + "}") == .duplicateMember)
        let unique = (0..<40).map { "\"k\($0)\":\($0)" }
        #expect(code("{" + unique.joined(separator: ",") + "}") == nil)
    }

    @Test(arguments: [
        "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{a:1}", "{'a':1}", "[01]", "[1.]", "[.5]", "[+1]", "[1e]",
        "[-]", "[NaN]", "[Infinity]", "tru", "nul", "[\"a\" \"b\"]", "{\"a\" 1}", "\"\\x\"", "\"\\u12\"",
        "\"tab\there\"", "[1 2]", "/* c */ 1",
    ])
    func rejectsInvalidSyntax(_ text: String) {
        #expect(code(text) == .invalidSyntax)
    }

    @Test(arguments: ["{} {}", "1 2", "{}x", "[] ,", "{}\u{0}"])
    func rejectsTrailingData(_ text: String) {
        #expect(code(text) == .trailingData)
    }

    @Test(arguments: [
        [0x22, 0xFF, 0x22],                 // invalid byte
        [0x22, 0xC0, 0x80, 0x22],           // overlong NUL
        [0x22, 0xED, 0xA0, 0x80, 0x22],     // encoded surrogate
        [0x22, 0xE2, 0x82, 0x22],           // truncated sequence
        [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], // beyond U+10FFFF
    ] as [[UInt8]])
    func rejectsInvalidUTF8(_ bytes: [UInt8]) {
        #expect(code(bytes: bytes) == .invalidUTF8)
    }

    @Test(arguments: [#""\ud800""#, #""\udc00""#, #""\ud800\u0041""#, #""\ud800x""#])
    func rejectsLoneSurrogateEscapes(_ text: String) {
        #expect(code(text) == .invalidUTF8)
    }

    @Test func rejectsByteOrderMark() {
        #expect(code(bytes: [0xEF, 0xBB, 0xBF] + Array("{}".utf8)) != nil)
    }

    @Test func rejectsNonASCIIOutsideStrings() {
        #expect(code(bytes: Array("[1,".utf8) + [0xC2, 0xA0] + Array("2]".utf8)) == .invalidSyntax)
    }

    @Test func enforcesDepthLimit() {
        let shallow = JSONReader(maximumDepth: 3)
        #expect(code("[[[1]]]", reader: shallow) == nil)
        #expect(code("[[[[1]]]]", reader: shallow) == .tooDeep)
        #expect(code(#"{"a":{"b":{"c":{}}}}"#, reader: shallow) == .tooDeep)
        // Far deeper than any stack could take if the limit were missing.
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(code(deep, reader: JSONReader(maximumSize: 1 << 20)) == .tooDeep)
    }

    @Test func enforcesSizeLimit() {
        let small = JSONReader(maximumSize: 10)
        #expect(code("[1,2,3,4]", reader: small) == nil)
        #expect(code("[1,2,3,4,5]", reader: small) == .tooLarge)
    }

    @Test func numbersKeepTheirLiteralAndNeverTrap() throws {
        let value = try parse("[9223372036854775807, -9223372036854775808, 9223372036854775808, 1e400, -1e400, 1e-400, 0.5, 1E+2, -0]")
        let numbers = (value.arrayValue ?? []).compactMap { $0.numberValue }
        try #require(numbers.count == 9)
        #expect(numbers[0].int64Value == .max)
        #expect(numbers[1].int64Value == .min)
        #expect(numbers[2].int64Value == nil)
        #expect(numbers[2].doubleValue == 9_223_372_036_854_775_808)
        #expect(numbers[3].doubleValue == .infinity)
        #expect(numbers[4].doubleValue == -.infinity)
        #expect(numbers[5].doubleValue == 0)
        #expect(numbers[6].doubleValue == 0.5)
        #expect(numbers[6].isIntegerLiteral == false)
        #expect(numbers[7].doubleValue == 100)
        #expect(numbers[8].int64Value == 0)
        #expect(numbers[2].literal == "9223372036854775808")
    }

    @Test func parseObjectRejectsOtherTypes() {
        #expect(throws: JSONError.self) { try reader.parseObject(Array("[1]".utf8)) }
        #expect((try? reader.parseObject(Array("{\"a\":1}".utf8)))?["a"] == .number(JSONNumber(1)))
    }

    @Test func serializesAndReparses() throws {
        let text = #"{"a":"q\"b\\c\n\u0001é","b":[1,2.5,true,null],"c":{}}"#
        let value = try parse(text)
        let bytes = value.serialized()
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"a":"q\"b\\c\n\u0001é","b":[1,2.5,true,null],"c":{}}"#)
        #expect(try reader.parse(bytes) == value)
    }

    @Test func errorsNeverEchoTheInput() {
        do {
            _ = try reader.parse(Array(#"{"secret-value": tru}"#.utf8))
            Issue.record("expected an error")
        } catch {
            #expect(!error.reason.contains("secret"))
            #expect(error.reason.contains("offset"))
        }
    }
}

@Suite struct JSONValueDecoderTests {
    struct Inner: Decodable, Equatable { var x: Int }
    struct Sample: Decodable, Equatable {
        var name: String
        var count: Int
        var ratio: Double
        var flag: Bool
        var tags: [String]
        var inner: Inner
        var optional: String?
        var missing: Int?
        var small: UInt8
        var big: Int64
        var when: Date
        var numericDate: NumericDate
    }

    func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONValueDecoder().decode(type, from: JSONReader().parse(Array(text.utf8)))
    }

    @Test func decodesNestedTypes() throws {
        let sample = try decode(Sample.self, #"{"name":"n","count":3,"ratio":0.25,"flag":true,"tags":["a","b"],"inner":{"x":-1},"optional":null,"small":255,"big":9007199254740993,"when":1700000000,"numericDate":1700000000.5,"extra":{"ignored":[1]}}"#)
        #expect(sample.name == "n")
        #expect(sample.count == 3)
        #expect(sample.ratio == 0.25)
        #expect(sample.tags == ["a", "b"])
        #expect(sample.inner == Inner(x: -1))
        #expect(sample.optional == nil)
        #expect(sample.missing == nil)
        #expect(sample.small == 255)
        #expect(sample.big == 9_007_199_254_740_993) // exact beyond 2^53
        #expect(sample.when == Date(timeIntervalSince1970: 1_700_000_000))
        #expect(sample.numericDate.secondsSince1970 == 1_700_000_000.5)
    }

    @Test(arguments: [
        #"{"x":1.5}"#, #"{"x":"1"}"#, #"{"x":true}"#, #"{"x":null}"#, #"{}"#, #"{"x":99999999999999999999}"#, #"[1]"#,
    ])
    func rejectsMismatches(_ text: String) {
        #expect(throws: DecodingError.self) { try decode(Inner.self, text) }
    }

    @Test func integralFractionsDecodeExactly() throws {
        #expect(try decode(Inner.self, #"{"x":3.0}"#) == Inner(x: 3))
        #expect(try decode(Inner.self, #"{"x":1e3}"#) == Inner(x: 1000))
        #expect(throws: DecodingError.self) { try decode([UInt8].self, "[256]") }
    }
}
