import Foundation
import Testing
@testable import ExampleServer
import TokenCore
import TokenMiddleware

/// The demo app over real sockets: every wired route with valid, missing and invalid credentials.
@Suite struct DemoAppTests {
    struct Running {
        let demo: DemoServer
        let log: MemoryLogSink
        let banner: [String]
        var port: Int { demo.server.port }

        func post(_ path: String, json: String?, headers: [String: String] = [:]) throws -> WireResponse? {
            let client = try TestHTTPClient(port: port)
            var request = "POST \(path) HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: \(json?.utf8.count ?? 0)\r\n"
            for (name, value) in headers { request += "\(name): \(value)\r\n" }
            return client.roundTrip(request + "\r\n" + (json ?? ""))
        }

        func get(_ path: String, headers: [String: String] = [:]) throws -> WireResponse? {
            let client = try TestHTTPClient(port: port)
            var request = "GET \(path) HTTP/1.1\r\nHost: t\r\n"
            for (name, value) in headers { request += "\(name): \(value)\r\n" }
            return client.roundTrip(request + "\r\n")
        }

        func stop() async {
            demo.server.shutdown()
            await demo.server.waitUntilStopped()
        }
    }

    static func start(_ arguments: [String] = [], environment: [String: String] = [:]) async throws -> Running {
        var settings = try ServerSettings.resolve(arguments: ["--port", "0"] + arguments, environment: environment)
        settings.http.eventLoops = 1
        let log = MemoryLogSink()
        let collected = Collected()
        let demo = try await DemoServer.start(settings: settings, output: collected.output, accessLog: log, environment: environment,
            passwordHasher: PasswordHasher(iterations: 1000)
        )
        return Running(demo: demo, log: log, banner: collected.out)
    }

    @Test func healthNeedsNoCredentials() async throws {
        let app = try await Self.start()
        let response = try #require(try app.get("/health"))
        #expect(response.status == 200)
        #expect(response.text == #"{"status":"ok"}"#)
        #expect(response.header("Content-Type") == "application/json")
        await app.stop()
    }

    @Test func discoveryListsSchemesAndNoSecrets() async throws {
        let app = try await Self.start()
        let response = try #require(try app.get("/.well-known/token-auth"))
        #expect(response.status == 200)
        let document = try JSONDecoder().decode(DiscoveryDocument.self, from: Data(response.body))
        let jwt = try #require(document.schemes.first { $0.name == "jwt" })
        #expect(jwt.algorithms == ["HS256"])
        #expect(jwt.issuer == DemoJWT.defaultIssuer)
        #expect(document.routes.contains("GET /api/me"))
        #expect(document.routes.contains("GET /health"))
        #expect(!response.text.contains(app.demo.app.secrets.jwtKey))
        #expect(!response.text.contains(app.demo.app.secrets.demoPassword))
        await app.stop()
    }

    @Test func bannerPrintsTheURLAndWorkingCurlCommands() async throws {
        let app = try await Self.start()
        let text = app.banner.joined(separator: "\n")
        #expect(text.contains("http://127.0.0.1:\(app.port)"))
        #expect(text.contains("curl -i http://127.0.0.1:\(app.port)/health"))
        // The printed JWT works.
        let line = try #require(app.banner.first { $0.contains("/api/me") && $0.contains("Bearer") })
        let token = try #require(line.split(separator: " ").first { $0.hasPrefix("ey") }).trimmingCharacters(in: CharacterSet(charactersIn: "'"))
        let response = try #require(try app.get("/api/me", headers: ["Authorization": "Bearer \(token)"]))
        #expect(response.status == 200)
        await app.stop()
    }

    @Test func meAcceptsAValidJWT() async throws {
        let app = try await Self.start()
        let token = try app.demo.app.jwt.token(subject: "alice", scopes: ["profile:read", "reports:read"])
        let response = try #require(try app.get("/api/me", headers: ["Authorization": "Bearer \(token)"]))
        #expect(response.status == 200)
        let body = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        #expect(body["subject"] as? String == "alice")
        #expect(body["authenticator"] as? String == "jwt")
        #expect(body["scopes"] as? [String] == ["profile:read", "reports:read"])
        let claims = try #require(body["claims"] as? [String: Any])
        #expect(claims["iss"] as? String == DemoJWT.defaultIssuer)
        await app.stop()
        #expect(app.log.lines.last?.hasSuffix(" auth=jwt") == true)
        #expect(!app.log.lines.joined().contains(token))
    }

    @Test func meWithoutCredentialsIs401WithABearerChallenge() async throws {
        let app = try await Self.start()
        let response = try #require(try app.get("/api/me"))
        #expect(response.status == 401)
        let challenge = try #require(response.header("WWW-Authenticate"))
        #expect(challenge.hasPrefix("Bearer"))
        #expect(challenge.contains(#"realm="token-auth-demo""#))
        #expect(!challenge.contains("error="))
        await app.stop()
        #expect(app.log.lines.last?.contains("auth_error=missing_credentials") == true)
    }

    @Test func meRejectsInvalidJWTs() async throws {
        let app = try await Self.start()
        let good = try app.demo.app.jwt.token(subject: "alice", scopes: [])
        var tampered = Array(good.utf8)
        tampered[tampered.count - 3] = tampered[tampered.count - 3] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        // Signed with another key of the same kid, expired, and for another audience.
        let otherKey = try HMACJWTKey(.hs256, secret: [UInt8](repeating: 7, count: 32), keyID: "demo-hs256")
        let forged = try JWTIssuer(signer: otherKey, timeToLive: 600, issuer: DemoJWT.defaultIssuer, audience: DemoJWT.defaultAudience)
            .issue(claims: JSONObject([("sub", .string("mallory"))]))
        let past = ManualClock(unixSeconds: Date().timeIntervalSince1970 - 7200)
        var expiredIssuer = app.demo.app.jwt.issuer
        expiredIssuer.clock = past
        let expired = try expiredIssuer.issue(claims: JSONObject([("sub", .string("alice"))]))
        var foreignIssuer = app.demo.app.jwt.issuer
        foreignIssuer.audience = ["someone-else"]
        let foreign = try foreignIssuer.issue(claims: JSONObject([("sub", .string("alice"))]))
        for token in [String(decoding: tampered, as: UTF8.self), forged, expired, foreign, "not.a.jwt"] {
            let response = try #require(try app.get("/api/me", headers: ["Authorization": "Bearer \(token)"]))
            #expect(response.status == 401, "\(token)")
            #expect(response.header("WWW-Authenticate")?.contains(#"error="invalid_token""#) == true)
            #expect(!response.text.contains(token))
        }
        await app.stop()
        #expect(app.log.lines.contains { $0.contains("auth_error=jwt.expired") })
    }

    @Test func unknownPathsAre404AndWrongMethods405() async throws {
        let app = try await Self.start()
        #expect(try app.get("/nope")?.status == 404)
        let client = try TestHTTPClient(port: app.port)
        let response = try #require(client.roundTrip("POST /health HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n"))
        #expect(response.status == 405)
        #expect(response.header("Allow") == "GET, HEAD")
        #expect(client.roundTrip("HEAD /health HTTP/1.1\r\nHost: t\r\n\r\n", head: true)?.status == 200)
        await app.stop()
    }

    @Test func dataDirKeepsSecretsPrivateAndAcceptsTokensFromTheCommandLine() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let app = try await Self.start(["--data-dir", dir.path])
        let file = dir.appendingPathComponent("secrets.json")
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? NSNumber)
        #expect(mode.intValue & 0o777 == 0o600)

        let collected = Collected()
        let status = await ExampleServerCommand.run(
            arguments: ["token", "jwt", "--sub", "cli-user", "--scope", "a b", "--ttl", "5m", "--data-dir", dir.path],
            environment: [:], output: collected.output
        )
        #expect(status == 0)
        let token = try #require(collected.out.last)
        let response = try #require(try app.get("/api/me", headers: ["Authorization": "Bearer \(token)"]))
        #expect(response.status == 200)
        #expect(response.text.contains(#""subject":"cli-user""#))
        await app.stop()

        // Reused on the next start: the same token is still accepted.
        let again = try await Self.start(["--data-dir", dir.path])
        #expect(again.demo.app.secrets == app.demo.app.secrets)
        #expect(try again.get("/api/me", headers: ["Authorization": "Bearer \(token)"])?.status == 200)
        await again.stop()
    }

    @Test func aSecretsFileReadableByOthersIsRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try DemoSecrets.loadOrCreate(in: dir)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: dir.appendingPathComponent("secrets.json").path)
        #expect(throws: CommandLineError.self) { try DemoSecrets.loadOrCreate(in: dir) }
    }

    @Test func freshSecretsDifferEveryRun() throws {
        let a = try DemoSecrets.loadOrCreate(in: nil), b = try DemoSecrets.loadOrCreate(in: nil)
        #expect(a.jwtKey != b.jwtKey)
        #expect(a.demoPassword != b.demoPassword)
        #expect(a.demoPassword.count == 16)
    }

    @Test func hashPasswordPrintsAVerifiableHash() {
        let collected = Collected()
        // Few iterations: the default 600,000 take half a minute in a debug build.
        let hasher = PasswordHasher(iterations: 1000)
        #expect(HashPasswordCommand.run(input: { "correct horse" }, hasher: hasher, output: collected.output) == 0)
        let hash = collected.out.last ?? ""
        #expect(hash.hasPrefix("$pbkdf2-sha256$i=1000$"))
        #expect((try? hasher.verify("correct horse", against: hash)) == true)
        #expect((try? hasher.verify("wrong horse", against: hash)) == false)
        #expect(HashPasswordCommand.run(input: { nil }, output: collected.output) == 2)
    }

    @Test func tokenCommandRejectsBadOptions() async {
        let collected = Collected()
        #expect(await ExampleServerCommand.run(arguments: ["token", "jwt", "--ttl", "forever"], environment: [:], output: collected.output) != 0)
        #expect(await ExampleServerCommand.run(arguments: ["token", "jwt", "--bogus", "x"], environment: [:], output: collected.output) != 0)
        #expect(await ExampleServerCommand.run(arguments: ["token", "carrier-pigeon"], environment: [:], output: collected.output) != 0)
    }
}
