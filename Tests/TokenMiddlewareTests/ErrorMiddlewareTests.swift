import Foundation
import Testing
import TokenCore
import TokenMiddleware

/// Collects logged events.
final class EventLog: Sendable {
    private let events = Locked<[ErrorMiddleware.Event]>([])
    var all: [ErrorMiddleware.Event] { events.withLock { $0 } }
    func record(_ event: ErrorMiddleware.Event) { events.withLock { $0.append(event) } }
}

private func respond(throwing error: any Error, log: EventLog = EventLog(), realm: String = "api") async throws -> HTTPResponse {
    let app = [ErrorMiddleware(realm: realm, logger: log.record)].wrapping(ClosureResponder { _ in throw error })
    return try await app.respond(to: HTTPRequest(method: .post, target: "/secret/path?token=abc"))
}

@Suite struct ErrorMiddlewareTests {
    @Test func invalidCredentialAddsErrorToTheRejectingChallengeOnly() async throws {
        var error = AuthenticationError.invalidCredentials("the token has expired", code: "jwt.expired")
        error.challenges = [
            AuthenticationChallenge(scheme: "Bearer"),
            AuthenticationChallenge(scheme: "ApiKey", parameters: [.init("realm", "keys")]),
        ]
        error.rejectedChallenge = AuthenticationChallenge(scheme: "Bearer")
        let response = try await respond(throwing: error)
        #expect(response.status == .unauthorized)
        #expect(response.headers.values(for: "WWW-Authenticate") == [
            #"Bearer realm="api", error="invalid_token", error_description="the token has expired""#,
            #"ApiKey realm="keys""#,
        ])
        #expect(response.headers["content-type"] == "application/problem+json")
        #expect(response.headers["cache-control"] == "no-store")
        let body = try #require(problem(response))
        #expect(body == ProblemDetails(status: .unauthorized, code: "jwt.expired", detail: "the token has expired"))
        #expect(body.type == "about:blank")
        #expect(body.title == "Unauthorized")
    }

    @Test func missingCredentialsHasNoErrorParameter() async throws {
        var error = AuthenticationError.missingCredentials()
        error.challenges = [AuthenticationChallenge(scheme: "Bearer"), AuthenticationChallenge(scheme: "DynamicToken")]
        let response = try await respond(throwing: error, realm: "shop")
        #expect(response.status == .unauthorized)
        #expect(response.headers.values(for: "WWW-Authenticate") == [#"Bearer realm="shop""#, #"DynamicToken realm="shop""#])
    }

    @Test func malformedRequestIs400InvalidRequest() async throws {
        var error = AuthenticationError.malformedRequest("two Authorization headers")
        error.rejectedChallenge = AuthenticationChallenge(scheme: "Bearer")
        error.challenges = [AuthenticationChallenge(scheme: "Bearer")]
        let response = try await respond(throwing: error)
        #expect(response.status == .badRequest)
        #expect(response.headers["WWW-Authenticate"]?.contains(#"error="invalid_request""#) == true)
        #expect(problemCode(response) == "invalid_request")
    }

    @Test func credentialErrorKindsMapToStatuses() async throws {
        let cases: [(CredentialFailureKind, HTTPStatus)] = [
            (.invalid, .unauthorized), (.malformedRequest, .badRequest), (.unavailable, .serviceUnavailable),
        ]
        for (kind, status) in cases {
            // A bare domain error, thrown without the AuthenticationError wrapper.
            let error = TestCredentialError(machineCode: "demo.failure", reason: "demo", failureKind: kind)
            let response = try await respond(throwing: error)
            #expect(response.status == status)
            #expect(problemCode(response) == "demo.failure")
            #expect((response.headers["www-authenticate"] == nil) == (kind == .unavailable))
        }
    }

    @Test func unexpectedErrorIsGeneric500AndLogged() async throws {
        struct DatabaseDown: Error, CustomStringConvertible { var description: String { "db password=hunter2 refused" } }
        let log = EventLog()
        let response = try await respond(throwing: DatabaseDown(), log: log)
        #expect(response.status == .internalServerError)
        #expect(problemCode(response) == "internal_error")
        #expect(response.bodyText?.contains("hunter2") == false)
        let event = try #require(log.all.first)
        #expect(event.isUnexpected)
        #expect(event.path == "/secret/path")
        #expect(String(describing: event.error).contains("db password"))
    }

    @Test func httpErrorKeepsStatusCodeAndHeaders() async throws {
        let response = try await respond(throwing: HTTPError(.methodNotAllowed, code: "method_not_allowed", headers: ["Allow": "GET"]))
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers["allow"] == "GET")
        #expect(problem(response)?.detail == "Method Not Allowed")
    }

    @Test func credentialIsNeverEchoed() async throws {
        // A real authenticator path: a forged Bearer token never appears in the response.
        let secretToken = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXRva2VuLXZhbHVl.sig"
        let app = [
            ErrorMiddleware(logger: { _ in }),
            AuthenticationMiddleware([FixedBearerAuthenticator(valid: [:])]),
        ].wrapping(echoIdentities)
        let response = try await app.respond(to: .get("/", ("Authorization", "Bearer \(secretToken)")))
        #expect(response.status == .unauthorized)
        let everything = (response.bodyText ?? "") + response.headers.map(\.value).joined()
        #expect(!everything.contains(secretToken))
        #expect(!everything.contains("c2VjcmV0"))
    }

    @Test func challengeValuesCannotSplitTheHeader() {
        let challenge = AuthenticationChallenge(scheme: "Bearer")
            .with("error_description", "bad \"token\"\r\nSet-Cookie: x=1 \\ é")
        #expect(challenge.headerValue == #"Bearer error_description="bad \"token\"Set-Cookie: x=1 \\ ""#)
    }
}
