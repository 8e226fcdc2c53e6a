import Foundation
import Testing
@testable import ExampleServer
import TokenCore
import TokenMiddleware

/// The hand-written JSON of the demo's identity bodies: the same bytes TokenCore's serializer
/// writes for the same values, escaping included, and valid JSON a strict reader accepts.
@Suite struct JSONBodyWriterTests {
    static let strings = [
        "", "plain", "quote \" and backslash \\", "new\nline\rreturn\ttab", "\u{0}\u{1}\u{8}\u{c}\u{1f}",
        "del \u{7f} stays", "é ü ß 中文 🙂", "\"\\\"", "</script>", "ends with control\u{1}",
    ]

    @Test(arguments: strings)
    func stringsAreEscapedLikeTokenCoresSerializer(_ text: String) throws {
        var writer = JSONBodyWriter()
        writer.string(text)
        #expect(writer.bytes == JSONValue.string(text).serialized())
        // And a strict reader gets the original back.
        let object = try JSONReader().parseObject(Array("{\"v\":".utf8) + writer.bytes + Array("}".utf8))
        #expect(object["v"] == .string(text))
    }

    @Test func valuesAndObjectsMatchTokenCoresSerializer() throws {
        let object = try JSONObject([
            ("sub", .string("user \"1\"")), ("n", .number(JSONNumber(42))), ("f", .bool(false)), ("t", .bool(true)),
            ("z", .null), ("list", .array([.string("a"), .number(JSONNumber(-1)), .object(JSONObject())])),
            ("nested", .object(try JSONObject([("k", .string("v\n"))]))),
        ])
        var writer = JSONBodyWriter()
        writer.object(object)
        #expect(writer.bytes == object.serialized())
    }

    @Test func identityHasSortedScopesAndAttributesAndNoDetails() throws {
        let principal = Principal(
            subject: "partner \"a\"", authenticator: "api_key", scopes: ["z:write", "a:read"],
            attributes: ["b": "2", "a": "1\t"], details: "not a JWT"
        )
        var writer = JSONBodyWriter()
        writer.identity(principal)
        let expected = #"{"authenticator":"api_key","subject":"partner \"a\"","scopes":["a:read","z:write"],"attributes":{"a":"1\t","b":"2"}}"#
        #expect(String(decoding: writer.bytes, as: UTF8.self) == expected)
        let parsed = try JSONReader().parseObject(writer.bytes)
        #expect(parsed["subject"] == .string("partner \"a\""))
    }

    @Test func severalIdentitiesAreListed() throws {
        let a = Principal(subject: "app", authenticator: "dynamic-token")
        let b = Principal(subject: "user", authenticator: "jwt", scopes: ["profile:read"])
        let response = DemoApp.identityResponse(a, b)
        #expect(response.headers[HTTPHeaders.Name.contentType] == "application/json")
        let parsed = try JSONReader().parseObject(response.body)
        guard case .array(let list)? = parsed["identities"] else {
            Issue.record("no identities array")
            return
        }
        #expect(list.count == 2)
        #expect(list.first?["subject"] == .string("app"))
        #expect(list.last?["scopes"] == .array([.string("profile:read")]))
    }
}
