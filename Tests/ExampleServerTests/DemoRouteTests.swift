import Foundation
import Testing
@testable import ExampleServer
import TokenCore
import TokenMiddleware

/// Dynamic-token, API-key, all-of and any-of routes with valid, missing and invalid credentials.
@Suite struct DemoRouteTests {
    typealias Running = DemoAppTests.Running

    private func json(_ response: WireResponse?) -> [String: Any] {
        guard let response, let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else { return [:] }
        return object
    }

    @Test func serviceAcceptsASignedDynamicTokenOnce() async throws {
        let app = try await DemoAppTests.start()
        let token = try app.demo.app.dynamic.token(method: "GET", target: "/api/service", subject: "0b9a37c8-61a4-4c0e-9f39-9b8f7f5e2a11")
        let first = try #require(try app.get("/api/service", headers: ["X-Dynamic-Token": token]))
        #expect(first.status == 200)
        #expect(json(first)["authenticator"] as? String == "dynamic-token")
        #expect(json(first)["subject"] as? String == "0b9a37c8-61a4-4c0e-9f39-9b8f7f5e2a11")
        // Single use: the same token again is a replay.
        let second = try #require(try app.get("/api/service", headers: ["X-Dynamic-Token": token]))
        #expect(second.status == 401)
        #expect(second.header("WWW-Authenticate")?.hasPrefix("DynamicToken") == true)
        await app.stop()
        #expect(app.log.lines.contains { $0.contains("/api/service 200") && $0.hasSuffix("auth=dynamic-token") })
        #expect(app.log.lines.contains { $0.contains("/api/service 401") && $0.contains("auth_error=dynamic_token.replayed") })
    }

    @Test func serviceRejectsMissingTamperedAndMisboundTokens() async throws {
        let app = try await DemoAppTests.start()
        #expect(try app.get("/api/service")?.status == 401)
        let forOtherPath = try app.demo.app.dynamic.token(method: "GET", target: "/api/me")
        #expect(try app.get("/api/service", headers: ["X-Dynamic-Token": forOtherPath])?.status == 401)
        var tampered = Array(try app.demo.app.dynamic.token(method: "GET", target: "/api/service").utf8)
        tampered[tampered.count - 2] = tampered[tampered.count - 2] == UInt8(ascii: "a") ? UInt8(ascii: "b") : UInt8(ascii: "a")
        let response = try #require(try app.get("/api/service", headers: ["X-Dynamic-Token": String(decoding: tampered, as: UTF8.self)]))
        #expect(response.status == 401)
        #expect(try app.get("/api/service", headers: ["X-Dynamic-Token": "garbage"])?.status == 401)
        await app.stop()
    }

    @Test func partnerNeedsAnAPIKeyAndReportsNeedTheScope() async throws {
        let app = try await DemoAppTests.start()
        let issuer = app.demo.app.apiKeys.issuer
        let withScope = try await issuer.issue(name: "t1", owner: "acme", scopes: ["reports:read"], lifetime: nil).key
        let withoutScope = try await issuer.issue(name: "t2", owner: "globex", scopes: ["orders:read"], lifetime: nil).key

        let ok = try #require(try app.get("/api/partner", headers: ["X-API-Key": withoutScope]))
        #expect(ok.status == 200)
        #expect(json(ok)["subject"] as? String == "globex")
        #expect(!ok.text.contains(withoutScope))
        #expect(try app.get("/api/partner", headers: ["Authorization": "ApiKey \(withScope)"])?.status == 200)

        #expect(try app.get("/api/partner/reports", headers: ["X-API-Key": withScope])?.status == 200)
        let forbidden = try #require(try app.get("/api/partner/reports", headers: ["X-API-Key": withoutScope]))
        #expect(forbidden.status == 403)
        #expect(forbidden.text.contains("insufficient_scope"))

        #expect(try app.get("/api/partner")?.status == 401)
        // A typo fails the checksum; an unknown well-formed key is unknown.
        var typo = Array(withScope.utf8)
        typo[12] = typo[12] == UInt8(ascii: "x") ? UInt8(ascii: "y") : UInt8(ascii: "x")
        let bad = try #require(try app.get("/api/partner", headers: ["X-API-Key": String(decoding: typo, as: UTF8.self)]))
        #expect(bad.status == 401)
        #expect(!bad.text.contains(String(decoding: typo, as: UTF8.self)))
        let unknown = try APIKeyFormat.live.generate(using: SystemRandomSource())
        #expect(try app.get("/api/partner", headers: ["X-API-Key": unknown])?.status == 401)
        // Revoked keys stop working.
        let record = try #require(try await issuer.store.allRecords().first { $0.name == "t1" })
        _ = try await issuer.revoke(id: record.id)
        #expect(try app.get("/api/partner", headers: ["X-API-Key": withScope])?.status == 401)
        await app.stop()
        #expect(app.log.lines.contains { $0.contains("/api/partner/reports 403") && $0.contains("auth_error=insufficient_scope") })
        #expect(!app.log.lines.joined().contains("tka_live_"))
    }

    @Test func combinedNeedsBothADynamicTokenAndAJWT() async throws {
        let app = try await DemoAppTests.start()
        let jwt = try app.demo.app.jwt.token(subject: "alice", scopes: [])
        let dynamic = { try app.demo.app.dynamic.token(method: "GET", target: "/api/combined") }
        let both = try #require(try app.get("/api/combined", headers: ["Authorization": "Bearer \(jwt)", "X-Dynamic-Token": try dynamic()]))
        #expect(both.status == 200)
        let identities = json(both)["identities"] as? [[String: Any]]
        #expect(identities?.compactMap { $0["authenticator"] as? String } == ["dynamic-token", "jwt"])
        #expect(try app.get("/api/combined", headers: ["Authorization": "Bearer \(jwt)"])?.status == 401)
        #expect(try app.get("/api/combined", headers: ["X-Dynamic-Token": try dynamic()])?.status == 401)
        #expect(try app.get("/api/combined", headers: ["Authorization": "Bearer x.y.z", "X-Dynamic-Token": try dynamic()])?.status == 401)
        await app.stop()
        #expect(app.log.lines.contains { $0.contains("/api/combined 200") && $0.hasSuffix("auth=dynamic-token+jwt") })
    }

    @Test func anyAcceptsEachSchemeAndRejectsAnInvalidOneEvenNextToAValidOne() async throws {
        let app = try await DemoAppTests.start()
        let jwt = try app.demo.app.jwt.token(subject: "alice", scopes: [])
        let key = try await app.demo.app.apiKeys.issuer.issue(name: "any", owner: "acme", scopes: [], lifetime: nil).key
        let dynamic = try app.demo.app.dynamic.token(method: "GET", target: "/api/any")
        #expect(json(try app.get("/api/any", headers: ["Authorization": "Bearer \(jwt)"]))["authenticator"] as? String == "jwt")
        #expect(json(try app.get("/api/any", headers: ["X-API-Key": key]))["authenticator"] as? String == "api_key")
        #expect(json(try app.get("/api/any", headers: ["X-Dynamic-Token": dynamic]))["authenticator"] as? String == "dynamic-token")
        let none = try #require(try app.get("/api/any"))
        #expect(none.status == 401)
        let challenges = none.headers.filter { $0.0.lowercased() == "www-authenticate" }.map(\.1).joined(separator: " | ")
        #expect(challenges.contains("Bearer") && challenges.contains("DynamicToken") && challenges.contains("ApiKey"))
        #expect(try app.get("/api/any", headers: ["Authorization": "Bearer \(jwt)", "X-API-Key": "tka_live_forged"])?.status == 401)
        await app.stop()
    }

    @Test func theTokenCommandMintsDynamicTokensTheServerAccepts() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let app = try await DemoAppTests.start(["--data-dir", dir.path])
        let collected = Collected()
        let status = await ExampleServerCommand.run(
            arguments: ["token", "dynamic", "--method", "GET", "--path", "/api/service", "--data-dir", dir.path],
            environment: [:], output: collected.output
        )
        #expect(status == 0)
        let token = try #require(collected.out.last)
        #expect(try app.get("/api/service", headers: ["X-Dynamic-Token": token])?.status == 200)
        #expect(await ExampleServerCommand.run(arguments: ["token", "dynamic", "--legacy", "--data-dir", dir.path], environment: [:], output: collected.output) == 1)
        #expect(await ExampleServerCommand.run(arguments: ["token", "dynamic", "--subject", "not-a-uuid"], environment: [:], output: collected.output) == 1)
        await app.stop()
    }

    @Test func legacyDynamicTokensWorkWhenConfigured() async throws {
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("legacy-\(UUID().uuidString).json")
        try Data(#"{"dynamicToken": {"legacy": {"enabled": true, "apiKey": "legacy-shared-key", "splitCharacters": "~", "requireUUID": true}}}"#.utf8).write(to: config)
        let app = try await DemoAppTests.start(["--config", config.path])
        let encoder = try #require(app.demo.app.dynamic.legacyEncoder)
        let token = try encoder.encode(uuid: "0b9a37c8-61a4-4c0e-9f39-9b8f7f5e2a11")
        let response = try #require(try app.get("/api/service", headers: ["X-Dynamic-Token": token]))
        #expect(response.status == 200)
        #expect(json(response)["attributes"].flatMap { $0 as? [String: String] }?["format"] == "legacy")
        #expect(try app.get("/api/service", headers: ["X-Dynamic-Token": try encoder.encode()])?.status == 401) // uuid required
        await app.stop()
    }

    @Test func apikeyCommandCreatesKeysARunningServerSees() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let app = try await DemoAppTests.start(["--data-dir", dir.path])
        let collected = Collected()
        let status = await ExampleServerCommand.run(
            arguments: ["apikey", "create", "--name", "cli", "--scopes", "reports:read", "--data-dir", dir.path],
            environment: [:], output: collected.output
        )
        #expect(status == 0)
        let key = try #require(collected.out.last)
        var accepted = false
        // The server re-reads the key file at most once a second.
        for _ in 0..<40 where !accepted {
            accepted = try app.get("/api/partner/reports", headers: ["X-API-Key": key])?.status == 200
            if !accepted { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(accepted)
        #expect(await ExampleServerCommand.run(arguments: ["apikey", "list"], environment: [:], output: collected.output) == 2) // no key file
        await app.stop()
    }

    @Test func reusableDynamicTokensOnlyWithTheBenchmarkSwitch() async throws {
        let app = try await DemoAppTests.start([], environment: [:])
        let token = try app.demo.app.dynamic.token(method: "GET", target: "/api/service")
        #expect(try app.get("/api/service", headers: ["X-Dynamic-Token": token])?.status == 200)
        #expect(try app.get("/api/service", headers: ["X-Dynamic-Token": token])?.status == 401)
        await app.stop()
        let bench = try await DemoAppTests.start([], environment: [DemoDynamicTokens.benchmarkVariable: "1"])
        let fixed = try bench.demo.app.dynamic.token(method: "GET", target: "/api/service")
        #expect(try bench.get("/api/service", headers: ["X-Dynamic-Token": fixed])?.status == 200)
        #expect(try bench.get("/api/service", headers: ["X-Dynamic-Token": fixed])?.status == 200)
        await bench.stop()
    }
}
