/// The recursive-descent parser behind ``JSONReader``. Works on borrowed bytes; recursion depth
/// is bounded by `maximumDepth` (at most 512).
struct JSONParser {
    let bytes: UnsafeRawBufferPointer
    let maximumDepth: Int
    var index = 0
    var depth = 0

    init(bytes: UnsafeRawBufferPointer, maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    mutating func parseDocument() throws(JSONError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard index == bytes.count else {
            throw JSONError(.trailingData, "unexpected data after the JSON value at offset \(index)")
        }
        return value
    }

    // MARK: - Values

    @inline(__always)
    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index &+= 1
            default: return
            }
        }
    }

    func syntaxError(_ what: String) -> JSONError {
        if index >= bytes.count { return JSONError(.invalidSyntax, "unexpected end of JSON text, expected \(what)") }
        return JSONError(.invalidSyntax, "expected \(what) at offset \(index)")
    }

    mutating func parseValue() throws(JSONError) -> JSONValue {
        guard index < bytes.count else { throw syntaxError("a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return .object(try parseObject())
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw syntaxError("a value")
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONError) {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw syntaxError("'\(literal)'") }
        let start = literal.utf8Start
        for k in 0..<count where bytes[index + k] != start[k] {
            throw syntaxError("'\(literal)'")
        }
        index += count
    }

    mutating func enter() throws(JSONError) {
        depth += 1
        guard depth <= maximumDepth else {
            throw JSONError(.tooDeep, "JSON nests deeper than \(maximumDepth) levels at offset \(index)")
        }
    }

    mutating func parseObject() throws(JSONError) -> JSONObject {
        try enter()
        index += 1 // "{"
        var members: [JSONObject.Member] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return JSONObject(uniqueMembers: members)
        }
        members.reserveCapacity(8) // one allocation for typical headers, claims sets and JWKs
        // Small objects check duplicates by scanning; large ones switch to a set so an object
        // with many members cannot make the check quadratic.
        var seen: Set<String>?
        while true {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw syntaxError("a member name") }
            let nameOffset = index
            let name = try parseName()
            if var set = seen {
                seen = nil // keep the set uniquely referenced while inserting
                guard set.insert(name).inserted else { throw duplicate(nameOffset) }
                seen = set
            } else {
                // By index: iterating would copy (retain and release) every member passed.
                for i in members.indices where JSONObject.sameName(members[i].name, name) { throw duplicate(nameOffset) }
                if members.count == 16 { seen = Set(members.map(\.name) + [name]) }
            }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw syntaxError("':'") }
            index += 1
            skipWhitespace()
            let value = try parseValue()
            members.append(JSONObject.Member(name: name, value: value))
            skipWhitespace()
            guard index < bytes.count else { throw syntaxError("',' or '}'") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                skipWhitespace()
            } else if bytes[index] == UInt8(ascii: "}") {
                index += 1
                depth -= 1
                return JSONObject(uniqueMembers: members)
            } else {
                throw syntaxError("',' or '}'")
            }
        }
    }

    func duplicate(_ offset: Int) -> JSONError {
        JSONError(.duplicateMember, "object member name repeated at offset \(offset)")
    }

    mutating func parseArray() throws(JSONError) -> JSONValue {
        try enter()
        index += 1 // "["
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw syntaxError("',' or ']'") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                skipWhitespace()
            } else if bytes[index] == UInt8(ascii: "]") {
                index += 1
                depth -= 1
                return .array(elements)
            } else {
                throw syntaxError("',' or ']'")
            }
        }
    }

    // MARK: - Numbers

    /// RFC 8259 §6: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    mutating func parseNumber() throws(JSONError) -> JSONNumber {
        let start = index
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        guard index < bytes.count, isDigit(bytes[index]) else { throw syntaxError("a digit") }
        // Accumulate negatively so Int64.min is representable.
        var accumulator: Int64 = 0
        var fits = true
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while index < bytes.count, isDigit(bytes[index]) {
                if fits {
                    let (m, o1) = accumulator.multipliedReportingOverflow(by: 10)
                    let (s, o2) = m.subtractingReportingOverflow(Int64(bytes[index] &- 0x30))
                    if o1 || o2 { fits = false } else { accumulator = s }
                }
                index += 1
            }
        }
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw syntaxError("a digit after '.'") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw syntaxError("an exponent digit") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        var integer: Int64?
        if isInteger, fits {
            if negative {
                integer = accumulator
            } else if accumulator != .min {
                integer = -accumulator
            }
        }
        if let integer, !(negative && integer == 0) {
            return JSONNumber(canonicalInteger: integer)
        }
        let literal = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        return JSONNumber(validatedLiteral: literal, integer: integer, isIntegerLiteral: isInteger)
    }

    @inline(__always)
    func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }

    // MARK: - Strings

    /// Parses a string starting at its opening quote. ASCII strings without escapes (the common
    /// case in tokens) are copied straight from the input.
    mutating func parseString() throws(JSONError) -> String {
        index += 1 // opening quote
        let start = index
        var sawNonASCII = false
        skipPlainASCII()
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
                index += 1
                if !sawNonASCII { return String(decoding: raw, as: UTF8.self) }
                guard let string = String(validating: raw, as: UTF8.self) else {
                    throw JSONError(.invalidUTF8, "string before offset \(index) is not valid UTF-8")
                }
                return string
            }
            if byte == UInt8(ascii: "\\") { return try parseEscapedString(from: start) }
            if byte < 0x20 { throw JSONError(.invalidSyntax, "unescaped control character in a string at offset \(index)") }
            if byte >= 0x80 { sawNonASCII = true }
            index += 1
        }
        throw syntaxError("'\"'")
    }

    /// Parses a member name. The names of token headers, claims sets and JWKs come back as
    /// static strings without being validated and copied again; any other name goes through
    /// ``parseString()``.
    mutating func parseName() throws(JSONError) -> String {
        let start = index &+ 1
        let end = min(bytes.count, start &+ 9) // a closing quote at most eight bytes on
        var packed: UInt64 = 0
        var k = start
        while k < end {
            let byte = bytes[k]
            if byte == UInt8(ascii: "\"") {
                if let known = Self.knownName(packed, length: k &- start) {
                    index = k &+ 1
                    return known
                }
                break
            }
            packed = packed &<< 8 | UInt64(byte)
            k &+= 1
        }
        return try parseString()
    }

    /// The static string for a common member name of up to eight bytes, packed big-endian.
    static func knownName(_ packed: UInt64, length: Int) -> String? {
        switch length {
        case 1:
            switch packed {
            case 0x6E: "n"
            case 0x65: "e"
            case 0x78: "x"
            case 0x79: "y"
            default: nil
            }
        case 3:
            switch packed {
            case 0x61_6C_67: "alg"
            case 0x6B_69_64: "kid"
            case 0x74_79_70: "typ"
            case 0x63_74_79: "cty"
            case 0x62_36_34: "b64"
            case 0x69_73_73: "iss"
            case 0x73_75_62: "sub"
            case 0x61_75_64: "aud"
            case 0x65_78_70: "exp"
            case 0x6E_62_66: "nbf"
            case 0x69_61_74: "iat"
            case 0x6A_74_69: "jti"
            case 0x61_7A_70: "azp"
            case 0x73_69_64: "sid"
            case 0x73_63_70: "scp"
            case 0x6B_74_79: "kty"
            case 0x75_73_65: "use"
            case 0x63_72_76: "crv"
            case 0x78_35_63: "x5c"
            case 0x78_35_74: "x5t"
            default: nil
            }
        case 4:
            switch packed {
            case 0x63_72_69_74: "crit"
            case 0x6E_61_6D_65: "name"
            case 0x6B_65_79_73: "keys"
            default: nil
            }
        case 5:
            switch packed {
            case 0x73_63_6F_70_65: "scope"
            case 0x72_6F_6C_65_73: "roles"
            case 0x65_6D_61_69_6C: "email"
            case 0x6E_6F_6E_63_65: "nonce"
            default: nil
            }
        case 6:
            packed == 0x67_72_6F_75_70_73 ? "groups" : nil
        default:
            nil
        }
    }

    /// Advances `index` over whole eight-byte words of printable ASCII that hold no `"` and no
    /// `\\`: the bulk of a typical string, tested a word at a time (SWAR). It stops at the first
    /// word holding anything else, which the byte loop of ``parseString()`` then reads.
    @inline(__always)
    mutating func skipPlainASCII() {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        guard let base = bytes.baseAddress else { return }
        while bytes.count &- index >= 8 {
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            // A byte is zero in `x` exactly when the formula below sets its high bit for the
            // lowest such byte; a word has one iff the result is non-zero. Bytes below 0x20 set
            // it through `word - 0x20…`, bytes from 0x80 through `word` itself.
            let quote = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
            let backslash = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
            let special = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)
                | ((word &- ones &* 0x20) & ~word) | word
            if special & highs != 0 { return }
            index &+= 8
        }
    }

    /// The slow path: a string with escapes, decoded into a buffer and validated as UTF-8.
    mutating func parseEscapedString(from start: Int) throws(JSONError) -> String {
        var buffer: [UInt8] = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                guard let string = String(validating: buffer, as: UTF8.self) else {
                    throw JSONError(.invalidUTF8, "string before offset \(index) is not valid UTF-8")
                }
                return string
            }
            if byte < 0x20 { throw JSONError(.invalidSyntax, "unescaped control character in a string at offset \(index)") }
            guard byte == UInt8(ascii: "\\") else {
                buffer.append(byte)
                index += 1
                continue
            }
            index += 1
            guard index < bytes.count else { throw syntaxError("an escape") }
            switch bytes[index] {
            case UInt8(ascii: "\""): buffer.append(0x22)
            case UInt8(ascii: "\\"): buffer.append(0x5C)
            case UInt8(ascii: "/"): buffer.append(0x2F)
            case UInt8(ascii: "b"): buffer.append(0x08)
            case UInt8(ascii: "f"): buffer.append(0x0C)
            case UInt8(ascii: "n"): buffer.append(0x0A)
            case UInt8(ascii: "r"): buffer.append(0x0D)
            case UInt8(ascii: "t"): buffer.append(0x09)
            case UInt8(ascii: "u"):
                index += 1
                var scalar = UInt32(try parseHex4())
                if scalar >= 0xD800, scalar < 0xDC00 {
                    // A high surrogate must be followed by an escaped low surrogate.
                    guard bytes.count - index >= 2, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                        throw JSONError(.invalidUTF8, "unpaired surrogate escape before offset \(index)")
                    }
                    index += 2
                    let low = UInt32(try parseHex4())
                    guard low >= 0xDC00, low < 0xE000 else {
                        throw JSONError(.invalidUTF8, "unpaired surrogate escape before offset \(index)")
                    }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00, scalar < 0xE000 {
                    throw JSONError(.invalidUTF8, "unpaired surrogate escape before offset \(index)")
                }
                appendUTF8(scalar, to: &buffer)
                continue // parseHex4 already advanced
            default:
                throw JSONError(.invalidSyntax, "invalid escape at offset \(index)")
            }
            index += 1
        }
        throw syntaxError("'\"'")
    }

    /// Appends the UTF-8 encoding of `scalar` (a Unicode scalar value, surrogates excluded).
    func appendUTF8(_ scalar: UInt32, to buffer: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            buffer.append(UInt8(scalar))
        case 0x80..<0x800:
            buffer.append(UInt8(0xC0 | scalar >> 6))
            buffer.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            buffer.append(UInt8(0xE0 | scalar >> 12))
            buffer.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            buffer.append(UInt8(0x80 | scalar & 0x3F))
        default:
            buffer.append(UInt8(0xF0 | scalar >> 18))
            buffer.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            buffer.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            buffer.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Reads four hex digits at `index` and advances past them.
    mutating func parseHex4() throws(JSONError) -> UInt16 {
        guard bytes.count - index >= 4 else { throw syntaxError("four hex digits") }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte &- UInt8(ascii: "a") &+ 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte &- UInt8(ascii: "A") &+ 10
            default: throw syntaxError("a hex digit")
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }
}
