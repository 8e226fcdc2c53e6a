import Foundation
import Testing
import TokenCore
@testable import TokenMiddleware

@Suite struct APIKeyAuthenticatorTests {
    let clock = ManualClock(unixSeconds: 1_800_000_000)
    let store = InMemoryAPIKeyStore()

    /// Deterministic entropy: SHA-256 in counter mode over a seed.
    final class SeededRandom: RandomSource, @unchecked Sendable {
        let lock = NSLock()
        var counter = 0
        let seed: String
        init(_ seed: String) { self.seed = seed }
        func fill(_ buffer: UnsafeMutableRawBufferPointer) throws(CryptoError) {
            lock.lock()
            defer { lock.unlock() }
            var filled = 0
            while filled < buffer.count {
                counter += 1
                let block = SHA256.hash("\(seed)/\(counter)")
                let n = min(block.count, buffer.count - filled)
                for i in 0..<n { buffer[filled + i] = block[i] }
                filled += n
            }
        }
    }

    func issue(scopes: [String] = ["reports:read"], lifetime: TimeInterval? = nil) async throws -> IssuedAPIKey {
        try await APIKeyIssuer(store: store, clock: clock, random: SeededRandom(UUID().uuidString))
            .issue(name: "partner", owner: "acme", scopes: scopes, lifetime: lifetime)
    }

    func authenticator(_ configuration: APIKeyAuthenticator.Configuration = .init(), limiter: FailedAttemptLimiter? = nil) -> APIKeyAuthenticator {
        APIKeyAuthenticator(verifier: APIKeyVerifier(store: store, clock: clock), configuration: configuration, failureLimiter: limiter)
    }

    func request(_ target: String = "/api/partner", headers: [(String, String)] = [], remote: String? = "203.0.113.7:50123") -> HTTPRequest {
        HTTPRequest(method: .get, target: target, headers: HTTPHeaders(headers), remoteAddress: remote)
    }

    /// The authentication error `body` throws, or `nil`.
    func failure(_ body: () async throws -> Principal?) async -> AuthenticationError? {
        do {
            _ = try await body()
            return nil
        } catch let error as AuthenticationError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test func xAPIKeyHeaderYieldsAPrincipalForTheScopeGuards() async throws {
        let issued = try await issue(scopes: ["reports:read", "orders:write"])
        let principal = try #require(try await authenticator().authenticate(request(headers: [("X-API-Key", issued.key)])))
        #expect(principal.subject == "acme")
        #expect(principal.authenticator == "api_key")
        #expect(principal.scopes == ["reports:read", "orders:write"])
        #expect(principal.attributes["api_key_id"] == issued.record.id)
        #expect(principal.attributes["api_key_name"] == "partner")
        #expect(principal.attributes["api_key_prefix"] == issued.record.displayPrefix)
        #expect(principal.details(as: APIKeyRecord.self)?.id == issued.record.id)
        #expect(!principal.attributes.values.contains(issued.key))
        // Header names are case-insensitive; surrounding whitespace is not part of the key.
        #expect(try await authenticator().authenticate(request(headers: [("x-api-key", " \(issued.key)\t")])) != nil)
    }

    @Test func authorizationApiKeySchemeIsAccepted() async throws {
        let issued = try await issue()
        for scheme in ["ApiKey", "apikey", "APIKEY"] {
            let principal = try await authenticator().authenticate(request(headers: [("Authorization", "\(scheme) \(issued.key)")]))
            #expect(principal?.subject == "acme")
        }
        // Another scheme is not ours: let the next authenticator try.
        #expect(try await authenticator().authenticate(request(headers: [("Authorization", "Bearer \(issued.key)")])) == nil)
        #expect(try await authenticator().authenticate(request(headers: [("Authorization", "ApiKeys \(issued.key)")])) == nil)
        // Our scheme with nothing after it is a malformed key, not an absent one.
        let error = await failure { try await authenticator().authenticate(request(headers: [("Authorization", "ApiKey")])) }
        #expect(error?.code == "api_key.malformed")
        // Two Authorization headers are a malformed request, whatever their schemes.
        let twice = await failure {
            try await authenticator().authenticate(request(headers: [("Authorization", "ApiKey \(issued.key)"), ("Authorization", "Bearer x")]))
        }
        #expect(twice?.kind == .malformedRequest)
    }

    @Test func aConfiguredHeaderReplacesTheDefault() async throws {
        let issued = try await issue()
        let custom = authenticator(.init(headerName: "X-Partner-Token", authorizationScheme: nil))
        #expect(try await custom.authenticate(request(headers: [("X-Partner-Token", issued.key)]))?.subject == "acme")
        #expect(try await custom.authenticate(request(headers: [("X-API-Key", issued.key)])) == nil)
        #expect(try await custom.authenticate(request(headers: [("Authorization", "ApiKey \(issued.key)")])) == nil)
        #expect(custom.challenge.headerValue == "ApiKey realm=\"api\"")
    }

    @Test func theQueryIsReadOnlyWhenEnabled() async throws {
        let issued = try await issue()
        let target = "/api/partner?page=2&api_key=\(issued.key)"
        #expect(try await authenticator().authenticate(request(target)) == nil)
        let enabled = authenticator(.init(queryParameter: "api_key"))
        #expect(try await enabled.authenticate(request(target))?.subject == "acme")
        // Percent-encoded characters are decoded.
        let encoded = "/x?api_key=" + issued.key.replacingOccurrences(of: "_", with: "%5F")
        #expect(try await enabled.authenticate(request(encoded))?.subject == "acme")
        let truncated = await failure { try await enabled.authenticate(request("/x?api_key=" + issued.key.dropLast(3))) }
        #expect(truncated?.code == "api_key.malformed")
        #expect(try await enabled.authenticate(request("/x?other=1")) == nil)
    }

    @Test func aKeyInTwoPlacesIsAMalformedRequest() async throws {
        let issued = try await issue()
        let enabled = authenticator(.init(queryParameter: "api_key"))
        let cases: [HTTPRequest] = [
            request(headers: [("X-API-Key", issued.key), ("X-API-Key", issued.key)]),
            request(headers: [("X-API-Key", issued.key), ("Authorization", "ApiKey \(issued.key)")]),
            request("/x?api_key=\(issued.key)", headers: [("X-API-Key", issued.key)]),
            request("/x?api_key=\(issued.key)&api_key=\(issued.key)"),
        ]
        for r in cases {
            let error = await failure { try await enabled.authenticate(r) }
            #expect(error?.kind == .malformedRequest)
            #expect(error?.code == "api_key.ambiguous")
        }
    }

    @Test func noKeyMeansNil() async throws {
        #expect(try await authenticator().authenticate(request()) == nil)
        #expect(try await authenticator().authenticate(request(headers: [("Authorization", "Basic dXNlcjpwYXNz")])) == nil)
    }

    @Test func everyRefusalHasItsOwnCodeAndNeverRepeatsTheKey() async throws {
        let revoked = try await issue()
        _ = try await APIKeyIssuer(store: store, clock: clock).revoke(id: revoked.record.id)
        let expiring = try await issue(lifetime: 60)
        clock.advance(by: 60)
        let unknown = try APIKeyFormat.live.generate(using: SeededRandom("unknown"))
        var typo = Array(unknown.utf8)
        typo[25] = typo[25] == UInt8(ascii: "q") ? UInt8(ascii: "r") : UInt8(ascii: "q")
        let cases: [(String, String)] = [
            (unknown, "api_key.unknown"),
            (revoked.key, "api_key.revoked"),
            (expiring.key, "api_key.expired"),
            (String(decoding: typo, as: UTF8.self), "api_key.bad_checksum"),
            ("tka_live_short", "api_key.malformed"),
            ("", "api_key.malformed"),
            (String(repeating: "k", count: 5000), "api_key.malformed"),
        ]
        for (key, code) in cases {
            let error = await failure { try await authenticator().authenticate(request(headers: [("X-API-Key", key)])) }
            #expect(error?.code == code)
            #expect(error?.kind == .invalid)
            #expect(error?.authenticator == "api_key")
            if key.count > 12 {
                #expect(error.map { !$0.reason.contains(key) && !$0.description.contains(key) } ?? false)
            }
        }
    }

    @Test func failuresAreCountedPerClientAddressAndThrottled() async throws {
        let limiter = FailedAttemptLimiter(maximumFailures: 3, window: 60, clock: clock)
        let auth = authenticator(limiter: limiter)
        let good = try await issue()
        let guess = try APIKeyFormat.live.generate(using: SeededRandom("guess"))
        for port in 1...3 {
            let error = await failure { try await auth.authenticate(request(headers: [("X-API-Key", guess)], remote: "198.51.100.9:\(port)")) }
            #expect(error?.code == "api_key.unknown")
        }
        // The port changes with every connection; the address is what counts.
        #expect(limiter.isLimited("198.51.100.9"))
        let throttled = await failure { try await auth.authenticate(request(headers: [("X-API-Key", good.key)], remote: "198.51.100.9:4")) }
        #expect(throttled?.code == "api_key.throttled")
        // Other clients are unaffected, including IPv6 ones.
        #expect(try await auth.authenticate(request(headers: [("X-API-Key", good.key)], remote: "[2001:db8::1]:443")) != nil)
        _ = await failure { try await auth.authenticate(request(headers: [("X-API-Key", guess)], remote: "[2001:db8::1]:443")) }
        #expect(!limiter.isLimited("2001:db8::1"))
        // The window ends.
        clock.advance(by: 60)
        #expect(try await auth.authenticate(request(headers: [("X-API-Key", good.key)], remote: "198.51.100.9:5")) != nil)
        // Ambiguous requests are malformed, not guesses.
        _ = await failure { try await auth.authenticate(request(headers: [("X-API-Key", guess), ("X-API-Key", guess)], remote: "192.0.2.1:1")) }
        #expect(limiter.trackedClientCount == 2)
    }

    @Test func scopeGuardsWorkUnchangedOnAPIKeyPrincipals() async throws {
        let reader = try await issue(scopes: ["reports:read"])
        let other = try await issue(scopes: ["orders:read"])
        let app = [
            ErrorMiddleware(logger: { _ in }),
            AuthenticationMiddleware([authenticator()]),
            AuthorizationMiddleware(.scopes(allOf: ["reports:read"])),
        ].wrapping(ClosureResponder { request in
            .text("hello \(request.identities.first?.subject ?? "?")")
        })
        let ok = try await app.respond(to: request("/api/partner/reports", headers: [("X-API-Key", reader.key)]))
        #expect(ok.status == .ok)
        let forbidden = try await app.respond(to: request("/api/partner/reports", headers: [("X-API-Key", other.key)]))
        #expect(forbidden.status == .forbidden)
        let missing = try await app.respond(to: request("/api/partner/reports"))
        #expect(missing.status == .unauthorized)
        #expect(missing.headers.values(for: "WWW-Authenticate").contains { $0.hasPrefix("ApiKey") })
        let revokedKey = try await issue(scopes: ["reports:read"])
        _ = try await APIKeyIssuer(store: store, clock: clock).revoke(id: revokedKey.record.id)
        let revoked = try await app.respond(to: request("/api/partner/reports", headers: [("X-API-Key", revokedKey.key)]))
        #expect(revoked.status == .unauthorized)
        let body = String(decoding: revoked.body, as: UTF8.self)
        #expect(body.contains("api_key.revoked"))
        #expect(!body.contains(revokedKey.key))
        #expect(!revoked.headers.values(for: "WWW-Authenticate").joined().contains(revokedKey.key))
    }

    @Test func clientAddressParsing() {
        #expect(APIKeyAuthenticator.clientAddress("127.0.0.1:51234") == "127.0.0.1")
        #expect(APIKeyAuthenticator.clientAddress("[::1]:8080") == "::1")
        #expect(APIKeyAuthenticator.clientAddress("::1") == "::1")
        #expect(APIKeyAuthenticator.clientAddress("10.0.0.1") == "10.0.0.1")
        #expect(APIKeyAuthenticator.clientAddress("") == nil)
        #expect(APIKeyAuthenticator.clientAddress(nil) == nil)
    }

    @Test func limiterMemoryIsBounded() {
        let limiter = FailedAttemptLimiter(maximumFailures: 2, window: 60, maximumClients: 100, clock: clock)
        for i in 0..<10_000 {
            limiter.recordFailure(from: "10.\(i / 65536).\(i / 256 % 256).\(i % 256)")
            if i % 10 == 0 { clock.advance(by: 0.001) }
        }
        #expect(limiter.trackedClientCount <= 100)
        // The most recent offenders are still tracked.
        limiter.recordFailure(from: "10.0.39.15")
        #expect(limiter.isLimited("10.0.39.15"))
        // Finished windows are dropped first.
        clock.advance(by: 61)
        limiter.recordFailure(from: "fresh")
        #expect(limiter.trackedClientCount <= 100)
        #expect(!limiter.isLimited("10.0.39.15"))
    }
}
