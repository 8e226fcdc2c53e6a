import Testing
import TokenMiddleware

@Suite struct HTTPHeadersTests {
    @Test func namesAreCaseInsensitiveAndKeepTheirSpelling() {
        var headers: HTTPHeaders = ["X-Custom-Header": "1"]
        #expect(headers["x-custom-header"] == "1")
        #expect(headers["X-CUSTOM-HEADER"] == "1")
        #expect(headers.contains("x-CUSTOM-header"))
        #expect(headers.map(\.name) == ["X-Custom-Header"])
        headers.replaceOrAdd(name: "x-custom-header", value: "2")
        #expect(headers.values(for: "X-Custom-Header") == ["2"])
        headers.remove(name: "X-CUSTOM-HEADER")
        #expect(headers.count == 0)
        // Only ASCII letters fold.
        #expect(!HTTPHeaders.namesEqual("X-É", "x-é"))
        #expect(!HTTPHeaders.namesEqual("a", "ab"))
    }

    @Test func repeatedFieldsStaySeparateAndOrdered() {
        var headers = HTTPHeaders()
        headers.add(name: "Accept", value: "text/html")
        headers.add(name: "X-Other", value: "z")
        headers.add(name: "accept", value: "application/json")
        #expect(headers.values(for: "ACCEPT") == ["text/html", "application/json"])
        #expect(headers["accept"] == "text/html")
        #expect(headers.count == 3)
    }

    @Test(arguments: [
        ("Bearer abc.def", "Bearer", "abc.def"),
        ("bearer abc", "bearer", "abc"),
        ("DynamicToken   v1.x.y", "DynamicToken", "v1.x.y"),
        ("  Basic dXNlcjpwYXNz  ", "Basic", "dXNlcjpwYXNz"),
        ("Negotiate", "Negotiate", ""),
        ("Digest realm=\"a\", nonce=\"b\"", "Digest", "realm=\"a\", nonce=\"b\""),
    ])
    func parsesAuthorization(value: String, scheme: String, credentials: String) throws {
        let headers: HTTPHeaders = ["authorization": value]
        let auth = try #require(try headers.authorization())
        #expect(auth.scheme == scheme)
        #expect(auth.credentials == credentials)
        #expect(auth.hasScheme(scheme.uppercased()))
    }

    @Test func noAuthorizationIsNil() throws {
        #expect(try HTTPHeaders().authorization() == nil)
        #expect(try HTTPHeaders().bearerToken() == nil)
    }

    @Test func twoAuthorizationHeadersAreMalformedNeverJoined() {
        let headers = HTTPHeaders([("Authorization", "Bearer a"), ("authorization", "Bearer b")])
        #expect(throws: AuthenticationError.self) { try headers.authorization() }
        do {
            _ = try headers.bearerToken()
            Issue.record("expected a failure")
        } catch {
            #expect(error.kind == .malformedRequest)
            #expect(error.code == "invalid_request")
        }
    }

    @Test(arguments: ["", "   ", "Bea(rer x", "Bearer\u{0}x abc", "Bearer a\u{7F}"])
    func malformedAuthorizationThrows(value: String) {
        let headers: HTTPHeaders = ["Authorization": value]
        #expect(throws: AuthenticationError.self) { try headers.authorization() }
    }

    @Test func oversizedAuthorizationThrows() {
        let headers: HTTPHeaders = ["Authorization": "Bearer " + String(repeating: "a", count: 17 * 1024)]
        #expect(throws: AuthenticationError.self) { try headers.bearerToken() }
    }

    @Test(arguments: [
        ("Bearer mF_9.B5f-4.1JqM", "mF_9.B5f-4.1JqM"),
        ("BEARER abc+/~==", "abc+/~=="),
        ("bearer a", "a"),
    ])
    func bearerTokenRFC6750(value: String, token: String) throws {
        let headers: HTTPHeaders = ["Authorization": value]
        #expect(try headers.bearerToken() == token)
        #expect(try HTTPRequest(method: .get, target: "/", headers: headers).bearerToken() == token)
    }

    @Test(arguments: ["Bearer", "Bearer ", "Bearer a b", "Bearer a=b", "Bearer ==", "Bearer a,b", "Bearer \"abc\"", "Bearer a\tb"])
    func malformedBearerThrows(value: String) {
        let headers: HTTPHeaders = ["Authorization": value]
        #expect(throws: AuthenticationError.self) { try headers.bearerToken() }
    }

    @Test func otherSchemeIsNotABearerToken() throws {
        let headers: HTTPHeaders = ["Authorization": "Basic dXNlcjpwYXNz"]
        #expect(try headers.bearerToken() == nil)
        // Same length or prefix as "Bearer" is not enough.
        for value in ["Bearex abc", "Bearers abc", "Beare abc"] {
            #expect(try HTTPHeaders([("Authorization", value)]).bearerToken() == nil, "\(value)")
        }
        // A non-ASCII scheme is not a token at all: malformed, never folded into "bearer".
        #expect(throws: AuthenticationError.self) { try HTTPHeaders([("Authorization", "B\u{E9}arer abc")]).bearerToken() }
        #expect(try headers.authorizationCredentials(scheme: "basic") == "dXNlcjpwYXNz")
        #expect(try headers.authorizationCredentials(scheme: "Bearer") == nil)
    }

    @Test func cookies() {
        let headers = HTTPHeaders([
            ("Cookie", "session=abc123; theme=\"dark\";  empty=; =nameless; noequals"),
            ("cookie", "session=second; lang=en"),
        ])
        #expect(headers.cookies == [
            Cookie(name: "session", value: "abc123"), Cookie(name: "theme", value: "dark"),
            Cookie(name: "empty", value: ""), Cookie(name: "session", value: "second"),
            Cookie(name: "lang", value: "en"),
        ])
        #expect(headers.cookie(named: "session") == "abc123")
        #expect(headers.cookie(named: "Session") == nil)
        #expect(HTTPRequest(method: .get, target: "/", headers: headers).cookie(named: "lang") == "en")
        #expect(HTTPHeaders().cookies.isEmpty)
    }
}

@Suite struct HTTPRequestTargetTests {
    @Test func pathAndQuery() {
        let request = HTTPRequest(method: .get, target: "/a%20b/c%2Fd?x=1&y=caf%C3%A9+au+lait&flag&empty=&=v&bad=%zz&x=2")
        #expect(request.path == "/a%20b/c%2Fd")
        #expect(request.decodedPath == "/a b/c/d")
        #expect(request.pathSegments == ["a b", "c/d"])
        #expect(request.queryItems == [
            QueryItem(name: "x", value: "1"), QueryItem(name: "y", value: "café au lait"),
            QueryItem(name: "flag", value: ""), QueryItem(name: "empty", value: ""),
            QueryItem(name: "", value: "v"), QueryItem(name: "x", value: "2"),
        ])
        #expect(request.queryValue(named: "x") == "1")
        #expect(request.queryValue(named: "bad") == nil)
    }

    @Test func noQuery() {
        let request = HTTPRequest(method: .get, target: "/plain+path")
        #expect(request.query == nil)
        #expect(request.queryItems.isEmpty)
        #expect(request.decodedPath == "/plain+path")
    }

    @Test(arguments: ["/%", "/%4", "/%G0", "/%C3%28", "/%FF"])
    func invalidEscapesDoNotDecode(target: String) {
        let request = HTTPRequest(method: .get, target: target)
        #expect(request.decodedPath == nil)
        #expect(request.pathSegments == nil)
    }

    @Test func statusAndMethodBasics() {
        #expect(HTTPStatus.unauthorized.reasonPhrase == "Unauthorized")
        #expect(HTTPStatus(code: 403) == .forbidden)
        #expect(HTTPStatus(code: 599).reasonPhrase == "")
        #expect(HTTPMethod("get") != .get)
    }
}
