import Foundation
import PostgresDemoApp
import Testing
import TokenCore

extension DatabaseTests {
    /// Two `PostgresStoresDemo` processes on different ports against one database (one schema
    /// per test), checked over HTTP: state written through one is seen by the other at once.
    @Suite("Two instances, one database", .enabled(if: TestDatabase.isConfigured, TestDatabase.skipReason))
    struct MultiInstanceTests {
        /// Starts A and B on a fresh schema (they migrate it concurrently), runs `body`, stops both.
        static func withInstances(
            timeoutMilliseconds: Int = 5_000, _ body: (DemoInstance, DemoInstance, DemoInstance.Secrets) async throws -> Void
        ) async throws {
            let secrets = try DemoInstance.Secrets.random()
            let schema = TestDatabase.freshSchema("multi")
            async let first = DemoInstance(schema: schema, secrets: secrets, timeoutMilliseconds: timeoutMilliseconds)
            async let second = DemoInstance(schema: schema, secrets: secrets, timeoutMilliseconds: timeoutMilliseconds)
            let (a, b) = try await (first, second)
            defer { a.stop(); b.stop() }
            #expect(a.base != b.base)
            try await body(a, b, secrets)
            try await TestDatabase.withStores(schema: schema) { _ in } // drops the schema
        }

        static func signedToken(_ secrets: DemoInstance.Secrets, target: String = "/api/service") throws -> String {
            let key = try DynamicTokenKey(id: DemoSettings.dynamicTokenKeyID, secret: secrets.dynamicToken)
            return try DynamicTokenSigner(key: key).token(method: "GET", target: target, body: [])
        }

        @Test("a signed dynamic token accepted by A is refused as replayed by B")
        func replayAcrossInstances() async throws {
            try await Self.withInstances { a, b, secrets in
                let token = try Self.signedToken(secrets)
                let header = ["X-Dynamic-Token": token]
                let first = try await a.get("/api/service", headers: header)
                #expect(first.status == 200, "\(first.body)")
                let replay = try await b.get("/api/service", headers: header)
                #expect(replay.status == 401)
                #expect(replay.body.contains("dynamic_token.replayed"))
                #expect(try await a.get("/api/service", headers: header).status == 401)
            }
        }

        @Test("a refresh token rotated on A and presented again on B revokes the family on both")
        func reuseAcrossInstances() async throws {
            try await Self.withInstances { a, b, secrets in
                let login = try await a.login(secrets)
                #expect(login.status == 200, "\(login.body)")
                let first = try login.string("refresh_token")
                let rotated = try await a.refresh(first)
                #expect(rotated.status == 200, "\(rotated.body)")
                let second = try rotated.string("refresh_token")
                let access = try rotated.string("access_token")
                #expect(try await b.get("/api/me", headers: ["Authorization": "Bearer \(access)"]).status == 200)

                let reuse = try await b.refresh(first)
                #expect(reuse.status == 401)
                #expect(reuse.body.contains("session.refresh_token_reused"))
                // The whole family is gone on both: the newest refresh token and its access token.
                let next = try await a.refresh(second)
                #expect(next.status == 401)
                #expect(next.body.contains("session.session_revoked"))
                #expect(try await a.get("/api/me", headers: ["Authorization": "Bearer \(access)"]).status == 401)
                #expect(try await b.get("/api/me", headers: ["Authorization": "Bearer \(access)"]).status == 401)
            }
        }

        @Test("a logout on A makes the access token fail on B")
        func logoutAcrossInstances() async throws {
            try await Self.withInstances { a, b, secrets in
                let login = try await b.login(secrets)
                let access = try login.string("access_token")
                let bearer = ["Authorization": "Bearer \(access)"]
                #expect(try await b.get("/api/me", headers: bearer).status == 200)
                let logout = try await a.send("POST", "/auth/logout", headers: bearer)
                #expect(logout.status == 204, "\(logout.body)")
                let after = try await b.get("/api/me", headers: bearer)
                #expect(after.status == 401)
                #expect(after.body.contains("jwt.revoked"))
                #expect(try await b.refresh(try login.string("refresh_token")).status == 401)
            }
        }

        @Test("an API key revoked on A fails on B")
        func apiKeyRevocationAcrossInstances() async throws {
            try await Self.withInstances { a, b, secrets in
                let admin = ["Authorization": "Bearer \(secrets.admin)"]
                #expect(try await a.send("POST", "/admin/api-keys", json: #"{"owner":"partner"}"#).status == 401)
                let created = try await a.send("POST", "/admin/api-keys", headers: admin, json: #"{"owner":"partner","scopes":["reports:read"]}"#)
                #expect(created.status == 201, "\(created.body)")
                let key = ["X-API-Key": try created.string("key")]
                let before = try await b.get("/api/partner", headers: key)
                #expect(before.status == 200)
                #expect(before.body.contains("partner"))
                let revoked = try await a.send("POST", "/admin/api-keys/revoke", headers: admin, json: #"{"id":"\#(try created.string("id"))"}"#)
                #expect(revoked.status == 200, "\(revoked.body)")
                let after = try await b.get("/api/partner", headers: key)
                #expect(after.status == 401)
                #expect(after.body.contains("api_key.revoked"))
            }
        }

        @Test("50 concurrent refreshes of one token over both instances: exactly one succeeds")
        func concurrentRefreshes() async throws {
            try await Self.withInstances { a, b, secrets in
                let token = try await a.login(secrets).string("refresh_token")
                let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                    for i in 0..<50 {
                        let instance = i.isMultiple(of: 2) ? a : b
                        group.addTask { try await instance.refresh(token).status }
                    }
                    return try await group.reduce(into: [Int]()) { $0.append($1) }
                }
                #expect(statuses.filter { $0 == 200 }.count == 1, "\(statuses)")
                #expect(statuses.filter { $0 == 401 }.count == 49, "\(statuses)")
            }
        }

        @Test("database stopped: state-needing requests fail closed with 503, and recover when it restarts",
              .enabled(if: TestDatabase.canRestart, TestDatabase.restartSkipReason))
        func outage() async throws {
            guard let stop = TestDatabase.stopCommand, let start = TestDatabase.startCommand else { return }
            try await Self.withInstances(timeoutMilliseconds: 1_000) { a, b, secrets in
                let login = try await a.login(secrets)
                let access = try login.string("access_token")
                let refresh = try login.string("refresh_token")
                let bearer = ["Authorization": "Bearer \(access)"]
                let created = try await a.send("POST", "/admin/api-keys", headers: ["Authorization": "Bearer \(secrets.admin)"], json: #"{"owner":"p"}"#)
                let key = ["X-API-Key": try created.string("key")]
                let used = try Self.signedToken(secrets)
                #expect(try await a.get("/api/service", headers: ["X-Dynamic-Token": used]).status == 200)

                try TestDatabase.shell(stop)
                var restarted = false
                defer { if !restarted { try? TestDatabase.shell(start) } }
                for instance in [a, b] {
                    let service = try await instance.get("/api/service", headers: ["X-Dynamic-Token": try Self.signedToken(secrets)])
                    #expect(service.status == 503, "\(service.body)")
                    #expect(service.body.contains("dynamic_token.replay_cache_unavailable"))
                    // A replayed token is refused too, never accepted.
                    #expect(try await instance.get("/api/service", headers: ["X-Dynamic-Token": used]).status == 503)
                    #expect(try await instance.get("/api/me", headers: bearer).status == 503)
                    #expect(try await instance.refresh(refresh).status == 503)
                    #expect(try await instance.login(secrets).status == 503)
                    #expect(try await instance.get("/api/partner", headers: key).status == 503)
                    #expect(try await instance.get("/health").status == 503)
                }

                try TestDatabase.shell(start)
                restarted = true
                for instance in [a, b] {
                    try await instance.waitUntilHealthy(attempts: 900)
                    #expect(try await instance.get("/api/me", headers: bearer).status == 200)
                    #expect(try await instance.get("/api/partner", headers: key).status == 200)
                }
                // State from before the outage is intact: the used token is still a replay.
                #expect(try await b.get("/api/service", headers: ["X-Dynamic-Token": used]).status == 401)
                #expect(try await b.get("/api/service", headers: ["X-Dynamic-Token": try Self.signedToken(secrets)]).status == 200)
                #expect(try await b.refresh(refresh).status == 200)
            }
        }
    }
}
