import Foundation
import Testing
import TokenCore
import TokenMiddleware

@Suite struct OpaqueTokenAuthenticatorTests {
    struct Setup {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let store = InMemoryOpaqueTokenStore()
        let sessions: SessionManager
        let app: any Responder

        init() async throws {
            let users = InMemoryUserStore(hasher: PasswordHasher(iterations: 1_000))
            try await users.add(username: "alice", password: "pw", subject: "user-1", scopes: ["items:read"])
            var configuration = SessionConfiguration(issuer: "i", audience: ["a"])
            configuration.accessTokenFormat = .opaque
            sessions = try SessionManager(
                users: users, signingKey: try HMACJWTKey(.hs256, secret: Array(repeating: UInt8(3), count: 32)),
                refreshTokens: InMemoryRefreshTokenStore(), revocationList: InMemoryRevocationList(),
                opaqueTokens: store, configuration: configuration, passwordHasher: PasswordHasher(iterations: 1_000), clock: clock
            )
            let authenticator = OpaqueTokenAuthenticator(verifier: OpaqueTokenVerifier(store: store, clock: clock))
            app = [
                ErrorMiddleware(logger: { _ in }),
                AuthenticationMiddleware([authenticator]),
                AuthorizationMiddleware(.scopes(allOf: ["items:read"])),
            ].wrapping(ClosureResponder { request in
                let principal = try request.identities.require(from: "opaque")
                let record = try request.identities.require(OpaqueTokenRecord.self)
                return .text("\(principal.subject) \(principal.attributes["sid"] == record.sessionID)")
            })
        }

        func get(_ authorization: String?) async throws -> HTTPResponse {
            var request = HTTPRequest(method: .get, target: "/items")
            if let authorization { request.headers.add(name: "Authorization", value: authorization) }
            return try await app.respond(to: request)
        }
    }

    @Test func validTokenAuthenticates() async throws {
        let s = try await Setup()
        let pair = try await s.sessions.login(username: "alice", password: "pw")
        let response = try await s.get("Bearer \(pair.accessToken)")
        #expect(response.status == .ok)
        #expect(response.bodyText == "user-1 true")
    }

    @Test func expiredUnknownAndRevokedTokensAre401() async throws {
        let s = try await Setup()
        let pair = try await s.sessions.login(username: "alice", password: "pw")
        let unknown = try await s.get("Bearer oat_" + String(repeating: "x", count: 43))
        #expect(unknown.status == .unauthorized)
        #expect(unknown.headers["www-authenticate"]?.contains(#"error="invalid_token""#) == true)
        #expect(problemCode(unknown) == "session.invalid_token")

        s.clock.advance(by: 901)
        let expired = try await s.get("Bearer \(pair.accessToken)")
        #expect(problemCode(expired) == "session.token_expired")

        let fresh = try await s.sessions.refresh(pair.refreshToken)
        #expect(try await s.get("Bearer \(fresh.accessToken)").status == .ok)
        try await s.sessions.logout(accessToken: fresh.accessToken)
        #expect(try await s.get("Bearer \(fresh.accessToken)").status == .unauthorized)
    }

    @Test func otherBearerTokensAreNotItsBusiness() async throws {
        let authenticator = OpaqueTokenAuthenticator(verifier: OpaqueTokenVerifier(store: InMemoryOpaqueTokenStore()))
        let jwtLike = HTTPRequest(method: .get, target: "/", headers: ["Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig"])
        #expect(try await authenticator.authenticate(jwtLike) == nil)
        #expect(try await authenticator.authenticate(HTTPRequest(method: .get, target: "/")) == nil)
        let s = try await Setup()
        #expect(try await s.get(nil).status == .unauthorized)
    }

    /// JWT and opaque access tokens on one route: with `ignoresNonJWTBearerTokens` each
    /// authenticator claims only its own format; without it the JWT authenticator rejects the
    /// opaque token as a malformed JWT, whatever the order.
    @Test func sharesARouteWithTheJWTAuthenticator() async throws {
        let s = try await Setup()
        let signingKey = try HMACJWTKey(.hs256, secret: Array(repeating: UInt8(4), count: 32))
        let jwtToken = try JWTIssuer(signer: signingKey, timeToLive: 60, clock: s.clock).issue(["sub": "user-2"])
        let opaqueToken = try await s.sessions.login(username: "alice", password: "pw").accessToken
        func app(ignoring: Bool) throws -> any Responder {
            let jwt = JWTAuthenticator(keys: try JWTKeySet([signingKey]), clock: s.clock, ignoresNonJWTBearerTokens: ignoring)
            let opaque = OpaqueTokenAuthenticator(verifier: OpaqueTokenVerifier(store: s.store, clock: s.clock))
            return [ErrorMiddleware(logger: { _ in }), AuthenticationMiddleware([jwt, opaque])]
                .wrapping(ClosureResponder { request in
                    let principal = try request.identities.require()
                    return .text("\(principal.authenticator) \(principal.subject)")
                })
        }
        func get(_ app: any Responder, _ token: String) async throws -> HTTPResponse {
            try await app.respond(to: HTTPRequest(method: .get, target: "/", headers: ["Authorization": "Bearer \(token)"]))
        }

        let sharing = try app(ignoring: true)
        #expect(try await get(sharing, jwtToken).bodyText == "jwt user-2")
        #expect(try await get(sharing, opaqueToken).bodyText == "opaque user-1")
        // A JWS-shaped token is still the JWT authenticator's, and fails loudly.
        let forged = try await get(sharing, jwtToken.dropLast(2) + "AA")
        #expect(forged.status == .unauthorized)
        #expect(problemCode(forged) == "jwt.bad_signature")
        // Neither format: nobody claims it, so the credential is missing.
        let neither = try await get(sharing, "not-a-token")
        #expect(neither.status == .unauthorized)
        #expect(problemCode(neither) != "jwt.malformed")

        let strict = try app(ignoring: false)
        #expect(try await get(strict, jwtToken).status == .ok)
        let refused = try await get(strict, opaqueToken)
        #expect(refused.status == .unauthorized)
        #expect(problemCode(refused) == "jwt.malformed")
    }
}
