import Foundation
import Testing
import TokenCore
import TokenMiddleware

/// What a request carries for one authenticator.
enum Presented: String, CaseIterable, Sendable {
    case absent, valid, invalid
}

private let appAuthenticator = HeaderTokenAuthenticator(
    name: "app", header: "X-App-Token", scheme: "AppToken",
    valid: ["app-ok": Principal(subject: "client-1", authenticator: "app", scopes: ["client"])]
)
private let userAuthenticator = HeaderTokenAuthenticator(
    name: "user", header: "X-User-Token", scheme: "UserToken",
    valid: ["user-ok": Principal(subject: "alice", authenticator: "user", scopes: ["items:read"])]
)

private func request(app: Presented, user: Presented) -> HTTPRequest {
    var headers = HTTPHeaders()
    switch app {
    case .absent: break
    case .valid: headers.add(name: "X-App-Token", value: "app-ok")
    case .invalid: headers.add(name: "X-App-Token", value: "forged")
    }
    switch user {
    case .absent: break
    case .valid: headers.add(name: "X-User-Token", value: "user-ok")
    case .invalid: headers.add(name: "X-User-Token", value: "forged")
    }
    return HTTPRequest(method: .get, target: "/items", headers: headers)
}

private func serve(
    _ request: HTTPRequest,
    policy: AuthenticationMiddleware.Policy,
    requirement: AuthenticationMiddleware.Requirement = .required
) async throws -> HTTPResponse {
    let app = [
        ErrorMiddleware(logger: { _ in }),
        AuthenticationMiddleware([appAuthenticator, userAuthenticator], policy: policy, requirement: requirement),
    ].wrapping(echoIdentities)
    return try await app.respond(to: request)
}

private let allCombinations = Presented.allCases.flatMap { a in Presented.allCases.map { (a, $0) } }

@Suite struct AuthenticationMiddlewareTests {
    /// any-of: the first valid credential wins; an invalid one anywhere fails; none → 401
    /// (or pass-through when optional).
    @Test(arguments: allCombinations)
    func anyOf(app: Presented, user: Presented) async throws {
        for requirement in [AuthenticationMiddleware.Requirement.required, .optional] {
            let response = try await serve(request(app: app, user: user), policy: .anyOf, requirement: requirement)
            let code = problemCode(response)
            switch (app, user) {
            case (.invalid, _):
                #expect(response.status == .unauthorized)
                #expect(code == "app.unknown_token")
            case (_, .invalid):
                #expect(response.status == .unauthorized)
                #expect(code == "user.unknown_token")
            case (.valid, _):
                #expect(response.status == .ok)
                #expect(response.bodyText == "client-1")
            case (.absent, .valid):
                #expect(response.status == .ok)
                #expect(response.bodyText == "alice")
            case (.absent, .absent):
                if requirement == .required {
                    #expect(response.status == .unauthorized)
                    #expect(code == "missing_credentials")
                    #expect(response.headers.values(for: "www-authenticate") == [
                        #"AppToken realm="api""#, #"UserToken realm="api""#,
                    ])
                } else {
                    #expect(response.status == .ok)
                    #expect(response.bodyText == "")
                }
            }
        }
    }

    /// all-of: every credential must be present and valid; both identities are attached.
    @Test(arguments: allCombinations)
    func allOf(app: Presented, user: Presented) async throws {
        for requirement in [AuthenticationMiddleware.Requirement.required, .optional] {
            let response = try await serve(request(app: app, user: user), policy: .allOf, requirement: requirement)
            let code = problemCode(response)
            switch (app, user) {
            case (.invalid, _):
                #expect(code == "app.unknown_token")
            case (_, .invalid):
                #expect(code == "user.unknown_token")
            case (.valid, .valid):
                #expect(response.status == .ok)
                #expect(response.bodyText == "client-1,alice")
            case (.absent, .absent) where requirement == .optional:
                #expect(response.status == .ok)
                #expect(response.bodyText == "")
            default:
                // One missing, or both missing while required.
                #expect(response.status == .unauthorized)
                #expect(code == "missing_credentials")
            }
        }
    }

    @Test func requiredIsTheDefault() async throws {
        let middleware = AuthenticationMiddleware([userAuthenticator])
        #expect(middleware.requirement == .required)
        #expect(middleware.policy == .anyOf)
        await #expect(throws: AuthenticationError.self) {
            _ = try await middleware.respond(to: .get(), next: echoIdentities)
        }
    }

    @Test func emptyAuthenticatorListNeverPassesWhenRequired() async throws {
        for policy in [AuthenticationMiddleware.Policy.anyOf, .allOf] {
            let app = [ErrorMiddleware(logger: { _ in }), AuthenticationMiddleware([], policy: policy)]
                .wrapping(echoIdentities)
            #expect(try await app.respond(to: .get()).status == .unauthorized)
        }
    }

    @Test func thrownErrorCarriesChallengesAndRejectingAuthenticator() async throws {
        let middleware = AuthenticationMiddleware([appAuthenticator, userAuthenticator])
        do {
            _ = try await middleware.respond(to: request(app: .absent, user: .invalid), next: echoIdentities)
            Issue.record("expected a failure")
        } catch let error as AuthenticationError {
            #expect(error.kind == .invalid)
            #expect(error.authenticator == "user")
            #expect(error.challenges.map(\.scheme) == ["AppToken", "UserToken"])
            #expect(error.rejectedChallenge?.scheme == "UserToken")
        }
    }

    @Test func unexpectedErrorsFromAuthenticatorsPassThroughUnchanged() async throws {
        let middleware = AuthenticationMiddleware([ThrowingAuthenticator(error: UnexpectedError())])
        await #expect(throws: UnexpectedError.self) {
            _ = try await middleware.respond(to: .get(), next: echoIdentities)
        }
    }

    @Test func handlerReadsThePrincipalTyped() async throws {
        struct Claims: Sendable, Equatable { var tenant: String }
        let authenticator = HeaderTokenAuthenticator(
            name: "jwt", header: "X-Token", scheme: "Bearer",
            valid: ["t": Principal(subject: "bob", authenticator: "whatever", scopes: ["a"], details: Claims(tenant: "acme"))]
        )
        let handler = ClosureResponder { request in
            let principal = try request.identities.require(from: "jwt")
            let claims = try request.identities.require(Claims.self)
            #expect(principal.details(as: Claims.self) == claims)
            return .text("\(principal.subject)@\(claims.tenant) via \(principal.authenticator)")
        }
        let app = [ErrorMiddleware(logger: { _ in }), AuthenticationMiddleware([authenticator])].wrapping(handler)
        let response = try await app.respond(to: .get("/", ("x-token", "t")))
        // The middleware stamps the authenticator's own name on the principal.
        #expect(response.bodyText == "bob@acme via jwt")
    }

    @Test func handlerRequireWithoutIdentityIs401() async throws {
        let handler = ClosureResponder { request in .text(try request.identities.require().subject) }
        let app = [
            ErrorMiddleware(logger: { _ in }),
            AuthenticationMiddleware([userAuthenticator], requirement: .optional),
        ].wrapping(handler)
        let response = try await app.respond(to: .get())
        #expect(response.status == .unauthorized)
        #expect(response.headers["WWW-Authenticate"] == #"UserToken realm="api""#)
    }
}

/// The `code` member of a problem+json body.
func problemCode(_ response: HTTPResponse) -> String? {
    problem(response)?.code
}

func problem(_ response: HTTPResponse) -> ProblemDetails? {
    guard response.headers["content-type"] == ProblemDetails.mediaType else { return nil }
    return try? JSONDecoder().decode(ProblemDetails.self, from: Data(response.body))
}
