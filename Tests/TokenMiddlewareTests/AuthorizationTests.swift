import Foundation
import Testing
import TokenMiddleware

private let bearer = FixedBearerAuthenticator(valid: [
    "reader": Principal(subject: "r", authenticator: "bearer", scopes: ["items:read"], roles: ["user"]),
    "writer": Principal(subject: "w", authenticator: "bearer", scopes: ["items:read", "items:write"], roles: ["user", "admin"]),
    "none": Principal(subject: "n", authenticator: "bearer"),
])

private func serve(
    _ policy: AuthorizationPolicy, token: String?, denial: AuthorizationDenial = .forbidden
) async throws -> HTTPResponse {
    let app = [
        ErrorMiddleware(logger: { _ in }),
        AuthenticationMiddleware([bearer], requirement: .optional),
        AuthorizationMiddleware(policy, denial: denial),
    ].wrapping(echoIdentities)
    var headers = HTTPHeaders()
    if let token { headers.add(name: "Authorization", value: "Bearer \(token)") }
    return try await app.respond(to: HTTPRequest(method: .get, target: "/items", headers: headers))
}

@Suite struct AuthorizationTests {
    @Test func authenticatedGuard() async throws {
        #expect(try await serve(.authenticated, token: "none").status == .ok)
        let anonymous = try await serve(.authenticated, token: nil)
        #expect(anonymous.status == .unauthorized)
        #expect(anonymous.headers["www-authenticate"] == #"Bearer realm="api""#)
    }

    @Test func scopesAllOf401Vs403() async throws {
        let policy = AuthorizationPolicy.scopes(allOf: ["items:read", "items:write"])
        #expect(try await serve(policy, token: "writer").status == .ok)

        let missing = try await serve(policy, token: nil)
        #expect(missing.status == .unauthorized)
        #expect(problemCode(missing) == "missing_credentials")

        let insufficient = try await serve(policy, token: "reader")
        #expect(insufficient.status == .forbidden)
        #expect(problemCode(insufficient) == "insufficient_scope")
        // RFC 6750 §3.1: error="insufficient_scope" and the scope needed.
        #expect(insufficient.headers.values(for: "WWW-Authenticate") == [
            #"Bearer realm="api", error="insufficient_scope", error_description="requires scopes: items:read items:write", scope="items:read items:write""#,
        ])
    }

    @Test func scopesAnyOf() async throws {
        let policy = AuthorizationPolicy.scopes(anyOf: ["items:write", "admin"])
        #expect(try await serve(policy, token: "writer").status == .ok)
        let denied = try await serve(policy, token: "reader")
        #expect(denied.status == .forbidden)
        #expect(denied.headers["www-authenticate"]?.contains(#"scope="admin items:write""#) == true)
    }

    @Test func roles() async throws {
        #expect(try await serve(.roles(allOf: ["user", "admin"]), token: "writer").status == .ok)
        let denied = try await serve(.roles(allOf: ["user", "admin"]), token: "reader")
        #expect(denied.status == .forbidden)
        #expect(problemCode(denied) == "insufficient_role")
        // Only insufficient_scope is a Bearer error code; a role refusal sends no challenge.
        #expect(denied.headers["www-authenticate"] == nil)
        #expect(try await serve(.roles(anyOf: ["admin", "auditor"]), token: "writer").status == .ok)
        #expect(try await serve(.roles(anyOf: ["admin", "auditor"]), token: "reader").status == .forbidden)
    }

    @Test func customPredicates() async throws {
        let ownsPath = AuthorizationPolicy.predicate("not your item") { request in
            request.path == "/items" && request.identities.first?.subject == "w"
        }
        #expect(try await serve(ownsPath, token: "writer").status == .ok)
        let denied = try await serve(ownsPath, token: "reader")
        #expect(denied.status == .forbidden)
        #expect(problem(denied)?.detail == "not your item")

        let isReader = AuthorizationPolicy.principal("only r") { $0.subject == "r" }
        #expect(try await serve(isReader, token: "reader").status == .ok)
        #expect(try await serve(isReader, token: "writer").status == .forbidden)
        #expect(try await serve(isReader, token: nil).status == .unauthorized)
    }

    @Test func combinators() async throws {
        let writerNotAdmin = AuthorizationPolicy.all([.scopes(allOf: ["items:write"]), .not(.roles(anyOf: ["admin"]))])
        #expect(try await serve(writerNotAdmin, token: "writer").status == .forbidden)
        #expect(try await serve(writerNotAdmin, token: "reader").status == .forbidden)

        let readerOrAdmin = AuthorizationPolicy.any([.roles(anyOf: ["admin"]), .scopes(allOf: ["items:read"])])
        #expect(try await serve(readerOrAdmin, token: "reader").status == .ok)
        #expect(try await serve(readerOrAdmin, token: "writer").status == .ok)
        #expect(try await serve(readerOrAdmin, token: "none").status == .forbidden)
        #expect(try await serve(readerOrAdmin, token: nil).status == .unauthorized)

        #expect(try await serve(.not(.authenticated), token: nil).status == .ok)
        #expect(try await serve(.not(.authenticated), token: "none").status == .forbidden)
        #expect(try await serve(.all([]), token: nil).status == .ok)
        #expect(try await serve(.any([]), token: "writer").status == .forbidden)
    }

    @Test func notFoundDenialHidesTheRoute() async throws {
        let policy = AuthorizationPolicy.roles(anyOf: ["admin"])
        for token in ["reader", nil] as [String?] {
            let response = try await serve(policy, token: token, denial: .notFound)
            #expect(response.status == .notFound)
            #expect(problemCode(response) == "not_found")
            #expect(response.headers["www-authenticate"] == nil)
        }
        #expect(try await serve(policy, token: "writer", denial: .notFound).status == .ok)
    }

    @Test func scopesOfTwoIdentitiesNeverCombine() {
        var request = HTTPRequest.get()
        request.identities.append(Principal(subject: "app", authenticator: "app", scopes: ["a"]))
        request.identities.append(Principal(subject: "user", authenticator: "user", scopes: ["b"]))
        #expect(!AuthorizationPolicy.scopes(allOf: ["a", "b"]).isAuthorized(request))
        #expect(AuthorizationPolicy.scopes(allOf: ["b"]).isAuthorized(request))
        #expect(!AuthorizationPolicy.scopes(allOf: ["b"], from: "app").isAuthorized(request))
        #expect(AuthorizationPolicy.scopes(allOf: ["a"], from: "app").isAuthorized(request))
    }

    @Test func insufficientScopeUsesTheSchemeThatAuthenticated() async throws {
        let apiKey = HeaderTokenAuthenticator(
            name: "apikey", header: "X-API-Key", scheme: "ApiKey",
            valid: ["k": Principal(subject: "svc", authenticator: "apikey")]
        )
        let app = [
            ErrorMiddleware(logger: { _ in }),
            AuthenticationMiddleware([bearer, apiKey]),
            AuthorizationMiddleware(.scopes(allOf: ["x"])),
        ].wrapping(echoIdentities)
        let response = try await app.respond(to: .get("/", ("X-API-Key", "k")))
        #expect(response.status == .forbidden)
        #expect(response.headers.values(for: "www-authenticate").count == 1)
        #expect(response.headers["www-authenticate"]?.hasPrefix("ApiKey ") == true)
    }
}
