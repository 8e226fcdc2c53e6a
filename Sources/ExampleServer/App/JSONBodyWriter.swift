import TokenCore
import TokenMiddleware

/// Writes the demo's fixed-shape JSON response bodies straight into bytes.
///
/// The identity bodies used to be built as `JSONValue` trees (a `JSONObject` per principal with
/// its duplicate-name check, sorted copies of scopes and attributes) and then serialized; under
/// load that was about a tenth of the server's time on every authenticated route (perf profile
/// in Docs/ExampleServer.md). This writes the same bytes directly.
///
/// Strings are escaped as RFC 8259 §7 requires, byte for byte like TokenCore's serializer: `"`
/// and `\`, `\n`, `\r` and `\t` by name, every other control character below U+0020 as
/// `\u00XX`; everything else (valid UTF-8, since it comes from a Swift `String`) is copied as
/// is. Runs without anything to escape are appended in one copy.
struct JSONBodyWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    /// Appends literal JSON text (punctuation and member names known to need no escaping).
    mutating func raw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends `string` as a JSON string literal.
    mutating func string(_ string: String) {
        bytes.append(0x22)
        let done: Void? = string.utf8.withContiguousStorageIfAvailable { appendEscaped($0) }
        if done == nil {
            let copy = Array(string.utf8)
            copy.withUnsafeBufferPointer { appendEscaped($0) }
        }
        bytes.append(0x22)
    }

    private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        for i in 0..<utf8.count {
            let byte = utf8[i]
            guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
            runStart = i + 1
            switch byte {
            case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
            case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            default:
                let hex: StaticString = "0123456789abcdef"
                raw("\\u00")
                bytes.append(hex.utf8Start[Int(byte >> 4)])
                bytes.append(hex.utf8Start[Int(byte & 0x0F)])
            }
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
    }

    /// Appends any JSON value (object members in their stored order).
    mutating func value(_ value: JSONValue) {
        switch value {
        case .null: raw("null")
        case .bool(let flag): if flag { raw("true") } else { raw("false") }
        case .number(let number): bytes.append(contentsOf: number.literal.utf8)
        case .string(let text): string(text)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (i, element) in elements.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                self.value(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            object(members)
        }
    }

    /// Appends an object, members in their stored order.
    mutating func object(_ object: JSONObject) {
        bytes.append(UInt8(ascii: "{"))
        for (i, member) in object.members.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            string(member.name)
            bytes.append(UInt8(ascii: ":"))
            value(member.value)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// Appends `{"authenticator","subject","scopes","attributes","claims"?}` for `principal`:
    /// scopes and attribute names sorted, claims (the verified JWT payload) when it has them.
    /// Nothing secret is in a principal.
    mutating func identity(_ principal: Principal) {
        raw("{\"authenticator\":")
        string(principal.authenticator)
        raw(",\"subject\":")
        string(principal.subject)
        raw(",\"scopes\":[")
        let scopes = principal.scopes
        // One element needs no sorted copy (the common API-key and JWT case).
        if scopes.count == 1, let scope = scopes.first {
            string(scope)
        } else {
            for (i, scope) in scopes.sorted().enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                string(scope)
            }
        }
        raw("],\"attributes\":{")
        for (i, attribute) in principal.attributes.sorted(by: { $0.key < $1.key }).enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            string(attribute.key)
            bytes.append(UInt8(ascii: ":"))
            string(attribute.value)
        }
        bytes.append(UInt8(ascii: "}"))
        if let jwt = principal.details(as: VerifiedJWT<JWTClaims>.self) {
            raw(",\"claims\":")
            object(jwt.payloadJSON)
        }
        bytes.append(UInt8(ascii: "}"))
    }
}
