import Foundation
import Testing
import TokenCore
import TokenMiddleware

/// Session access JWTs checked by the JWT authenticator over the manager's key, options and
/// revocation list, as Docs/Sessions.md describes.
@Suite struct SessionAuthenticationTests {
    @Test func logoutAndReuseRevokeAccessJWTsAtTheMiddleware() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let users = InMemoryUserStore(hasher: PasswordHasher(iterations: 1_000))
        try await users.add(username: "alice", password: "pw", subject: "user-1", scopes: ["items:read"])
        let revocations = InMemoryRevocationList(clock: clock)
        let sessions = try SessionManager(
            users: users, signingKey: try HMACJWTKey(.hs256, secret: Array(repeating: UInt8(9), count: 32)),
            refreshTokens: InMemoryRefreshTokenStore(), revocationList: revocations,
            configuration: SessionConfiguration(issuer: "https://auth.test", audience: ["api"]),
            passwordHasher: PasswordHasher(iterations: 1_000), clock: clock
        )
        let jwt = JWTAuthenticator(
            keys: try sessions.accessTokenKeys, options: sessions.accessTokenValidationOptions,
            clock: clock, revocationList: revocations
        )
        let app = [
            ErrorMiddleware(logger: { _ in }),
            AuthenticationMiddleware([jwt]),
            AuthorizationMiddleware(.scopes(allOf: ["items:read"])),
        ].wrapping(ClosureResponder { .text(try $0.identities.require().subject) })
        func get(_ token: String) async throws -> HTTPResponse {
            try await app.respond(to: HTTPRequest(method: .get, target: "/", headers: ["Authorization": "Bearer \(token)"]))
        }

        let first = try await sessions.login(username: "alice", password: "pw")
        #expect(try await get(first.accessToken).bodyText == "user-1")
        let second = try await sessions.refresh(first.refreshToken)
        #expect(try await get(second.accessToken).status == .ok)

        _ = try? await sessions.refresh(first.refreshToken) // reuse
        for token in [first.accessToken, second.accessToken] {
            let response = try await get(token)
            #expect(response.status == .unauthorized)
            #expect(problemCode(response) == "jwt.revoked")
        }

        let third = try await sessions.login(username: "alice", password: "pw")
        #expect(try await get(third.accessToken).status == .ok)
        try await sessions.logout(accessToken: third.accessToken)
        #expect(try await get(third.accessToken).status == .unauthorized)
    }
}
