import Foundation
import Testing
@testable import ExampleServer
import TokenCore
import TokenMiddleware

/// /auth/login, /auth/refresh (rotation, reuse detection), /auth/logout, and their durability.
@Suite struct SessionRouteTests {
    private func object(_ response: WireResponse?) -> [String: Any] {
        guard let response, let value = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else { return [:] }
        return value
    }

    private func login(_ app: DemoAppTests.Running) throws -> (access: String, refresh: String) {
        let user = try #require(app.demo.app.sessions.demoUser)
        let response = try #require(try app.post("/auth/login", json: #"{"username":"\#(user.username)","password":"\#(user.password)"}"#))
        #expect(response.status == 200)
        #expect(response.header("Cache-Control") == "no-store")
        let body = object(response)
        #expect(body["token_type"] as? String == "Bearer")
        #expect(body["expires_in"] as? Int == 900)
        return (try #require(body["access_token"] as? String), try #require(body["refresh_token"] as? String))
    }

    @Test func loginGivesAWorkingTokenPair() async throws {
        let app = try await DemoAppTests.start()
        let (access, _) = try login(app)
        let me = try #require(try app.get("/api/me", headers: ["Authorization": "Bearer \(access)"]))
        #expect(me.status == 200)
        #expect(me.text.contains(#""subject":"demo""#))
        await app.stop()
        #expect(!app.log.lines.joined().contains(app.demo.app.sessions.demoUser?.password ?? "?"))
    }

    @Test func loginFailuresAreTheSameForUnknownUsersAndWrongPasswords() async throws {
        let app = try await DemoAppTests.start()
        let wrong = try #require(try app.post("/auth/login", json: #"{"username":"demo","password":"nope"}"#))
        let unknown = try #require(try app.post("/auth/login", json: #"{"username":"mallory","password":"nope"}"#))
        #expect(wrong.status == 401)
        #expect(unknown.status == 401)
        #expect(object(wrong)["code"] as? String == object(unknown)["code"] as? String)
        #expect(!wrong.text.contains("nope"))
        #expect(try app.post("/auth/login", json: "not json")?.status == 400)
        #expect(try app.post("/auth/login", json: nil)?.status == 400)
        #expect(try app.get("/auth/login")?.status == 405)
        await app.stop()
    }

    @Test func refreshRotatesAndReuseRevokesTheFamily() async throws {
        let app = try await DemoAppTests.start()
        let (access, refresh) = try login(app)
        let rotated = try #require(try app.post("/auth/refresh", json: #"{"refresh_token":"\#(refresh)"}"#))
        #expect(rotated.status == 200)
        let next = try #require(object(rotated)["refresh_token"] as? String)
        let nextAccess = try #require(object(rotated)["access_token"] as? String)
        #expect(next != refresh)
        // Reusing the first refresh token: 401, and the whole family is revoked.
        let reuse = try #require(try app.post("/auth/refresh", json: #"{"refresh_token":"\#(refresh)"}"#))
        #expect(reuse.status == 401)
        #expect(try app.post("/auth/refresh", json: #"{"refresh_token":"\#(next)"}"#)?.status == 401)
        #expect(try app.get("/api/me", headers: ["Authorization": "Bearer \(nextAccess)"])?.status == 401)
        #expect(try app.get("/api/me", headers: ["Authorization": "Bearer \(access)"])?.status == 401)
        await app.stop()
    }

    /// Also with the verified-credential cache on: a cached access token is refused as soon as
    /// logout revokes it (the revocation list is consulted on every hit).
    @Test(arguments: [false, true])
    func logoutRevokesTheAccessTokenAndTheSession(cached: Bool) async throws {
        let app = try await DemoAppTests.start(cached ? ["--credential-cache", "16"] : [])
        let (access, refresh) = try login(app)
        for _ in 0..<2 {
            #expect(try app.get("/api/me", headers: ["Authorization": "Bearer \(access)"])?.status == 200)
        }
        #expect(app.demo.app.jwtCache?.statistics.hits == (cached ? 1 : nil))
        #expect(try app.post("/auth/logout", json: nil)?.status == 401)
        let out = try #require(try app.post("/auth/logout", json: #"{"refresh_token":"\#(refresh)"}"#, headers: ["Authorization": "Bearer \(access)"]))
        #expect(out.status == 204)
        #expect(out.body.isEmpty)
        let after = try #require(try app.get("/api/me", headers: ["Authorization": "Bearer \(access)"]))
        #expect(after.status == 401)
        #expect(try app.post("/auth/refresh", json: #"{"refresh_token":"\#(refresh)"}"#)?.status == 401)
        await app.stop()
        #expect(app.log.lines.contains { $0.contains("POST /auth/logout 204") && $0.hasSuffix("auth=jwt") })
    }

    @Test func aRestartWithTheDataDirKeepsSessionsAndRevocations() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let app = try await DemoAppTests.start(["--data-dir", dir.path])
        let (loggedOutAccess, loggedOutRefresh) = try login(app)
        let (keptAccess, keptRefresh) = try login(app)
        #expect(try app.post("/auth/logout", json: nil, headers: ["Authorization": "Bearer \(loggedOutAccess)"])?.status == 204)
        await app.stop()

        let again = try await DemoAppTests.start(["--data-dir", dir.path])
        #expect(try again.get("/api/me", headers: ["Authorization": "Bearer \(keptAccess)"])?.status == 200)
        #expect(try again.post("/auth/refresh", json: #"{"refresh_token":"\#(keptRefresh)"}"#)?.status == 200)
        #expect(try again.get("/api/me", headers: ["Authorization": "Bearer \(loggedOutAccess)"])?.status == 401)
        #expect(try again.post("/auth/refresh", json: #"{"refresh_token":"\#(loggedOutRefresh)"}"#)?.status == 401)
        await again.stop()
    }

    @Test func configuredUsersLogInWithTheirHashes() async throws {
        let hash = try PasswordHasher(iterations: 1000).hash("s3cret-Pa55")
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("users-\(UUID().uuidString).json")
        try Data(#"{"users": [{"username": "alice", "passwordHash": "\#(hash)", "scopes": ["reports:read"]}]}"#.utf8).write(to: config)
        let app = try await DemoAppTests.start(["--config", config.path])
        #expect(app.demo.app.sessions.demoUser == nil)
        #expect(!app.banner.joined().contains("demo user"))
        let ok = try #require(try app.post("/auth/login", json: #"{"username":"alice","password":"s3cret-Pa55"}"#))
        #expect(ok.status == 200)
        #expect(object(ok)["scope"] as? String == "reports:read")
        #expect(try app.post("/auth/login", json: #"{"username":"demo","password":"x"}"#)?.status == 401)
        await app.stop()
    }
}
