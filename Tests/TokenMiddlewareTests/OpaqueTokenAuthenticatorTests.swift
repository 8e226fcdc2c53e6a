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
}
