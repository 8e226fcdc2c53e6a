import QuickStart
import Testing
import TokenMiddleware

@Suite struct QuickStartTests {
    let app = makeApp(authenticator: TableAuthenticator([
        "alice-token": Principal(subject: "alice", authenticator: "table", scopes: ["notes:read"]),
        "bob-token": Principal(subject: "bob", authenticator: "table", scopes: []),
    ]))

    func get(token: String?) async throws -> HTTPResponse {
        var request = HTTPRequest(method: .get, target: "/notes")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        return try await app.respond(to: request)
    }

    @Test func validTokenWithScopeReachesTheHandler() async throws {
        let response = try await get(token: "alice-token")
        #expect(response.status == .ok)
        #expect(response.bodyText == "notes of alice")
    }

    @Test func noTokenIs401WithChallenge() async throws {
        let response = try await get(token: nil)
        #expect(response.status == .unauthorized)
        #expect(response.headers["WWW-Authenticate"] == #"Bearer realm="notes""#)
    }

    @Test func unknownTokenIs401InvalidToken() async throws {
        let response = try await get(token: "forged")
        #expect(response.status == .unauthorized)
        #expect(response.headers["WWW-Authenticate"]?.contains(#"error="invalid_token""#) == true)
    }

    @Test func missingScopeIs403() async throws {
        let response = try await get(token: "bob-token")
        #expect(response.status == .forbidden)
        #expect(response.headers["WWW-Authenticate"]?.contains(#"scope="notes:read""#) == true)
    }
}
