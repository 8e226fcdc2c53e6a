import Dispatch
import Foundation
import TokenCore
import TokenMiddleware

/// The example server's request path without sockets: each demo route's middleware chain
/// (`ErrorMiddleware` → `AuthenticationMiddleware` → handler) on a request shaped like wrk's,
/// with the validators configured as `scripts/bench-server.sh` runs them (API keys in a JSON
/// key file with a failed-attempt limiter, signed dynamic tokens without a replay cache, JWT
/// HS256 with a revocation list). ExampleServer is an executable and cannot be imported, so
/// the handler is a stand-in returning a small JSON body with the principal's subject; the
/// demo's identity bodies (`JSONBodyWriter`) and the socket side are measured with `perf` on
/// the running server instead (Docs/ExampleServer.md).
///
/// Read each figure against `server chain /health`: the difference is what authentication adds
/// per request, and the `authenticate only` cases split it into the authenticator and the
/// middleware around it.
enum ServerBenchmarks {
    static let routeNames = [
        "/health", "/api/partner (API key)", "/api/service (signed dynamic)", "/api/me (JWT HS256)",
        "/api/me (JWT HS256, verified-JWT cache)", "/api/partner (API key, verified-key cache)",
    ]

    static func run(_ bench: Bench) {
        // The harness matches case names: set up only when one of these cases is selected.
        guard routeNames.contains(where: { bench.isSelected("server chain \($0)") || bench.isSelected("server authenticate only \($0)") }) else { return }
        do { try cases(bench) } catch { print("server benchmarks: setup failed: \(error)") }
    }

    private static func cases(_ bench: Bench) throws {
        let realm = "token-auth-demo"
        let baseHeaders: [(String, String)] = [("Host", "127.0.0.1:8080")]

        // API keys: a JSON key file (the server's --data-dir store) and the limiter.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("server-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try JSONFileAPIKeyStore(fileURL: dir.appendingPathComponent("apikeys.json"))
        let issued: String? = blocking {
            try? await APIKeyIssuer(store: store).issue(name: "bench", owner: "demo-partner", scopes: ["reports:read"], lifetime: 86_400).key
        }
        guard let apiKey = issued else { throw BenchSetupError("cannot issue the API key") }
        let apiKeyAuth = APIKeyAuthenticator(
            verifier: APIKeyVerifier(store: store),
            configuration: .init(realm: realm),
            failureLimiter: FailedAttemptLimiter()
        )

        // The same store through the opt-in verified-key cache: a hit re-reads the record by id.
        let cachedAPIKeyAuth = APIKeyAuthenticator(
            verifier: APIKeyVerifier(store: store),
            configuration: .init(realm: realm),
            failureLimiter: FailedAttemptLimiter(),
            cache: VerifiedCredentialCache(capacity: 4096)
        )

        // Signed dynamic tokens: one fixed token, no replay cache, one-hour tolerance.
        let dynamicKey = try DynamicTokenKey(id: "demo-dt", secret: Array(0..<32 as Range<UInt8>))
        let verifier = try DynamicTokenVerifier(
            keys: try DynamicTokenKeyRing([dynamicKey]), replayCache: NoReplayCache(),
            pastTolerance: .milliseconds(3_600_000)
        )
        let dynamicAuth = DynamicTokenAuthenticator(signed: verifier)
        let dynamicToken = try DynamicTokenSigner(key: dynamicKey).token(method: "GET", target: "/api/service", body: [])

        // JWT HS256 with a revocation list (sessions), as the demo's access tokens.
        let jwtKey = try HMACJWTKey(.hs256, secret: Array(repeating: 0x42, count: 32), keyID: "demo-hs256")
        var options = JWTValidationOptions()
        options.acceptedIssuers = ["swift-token-auth-demo"]
        options.acceptedAudiences = ["token-auth-demo-api"]
        let jwtAuth = JWTAuthenticator(
            keys: try JWTKeySet([jwtKey]), options: options, realm: realm,
            revocationList: InMemoryRevocationList()
        )
        // The same with the opt-in verified-JWT cache (`--jwt-cache`): the token is verified once,
        // then each request compares it with the cached one and consults the revocation list.
        let cachedJWTAuth = JWTAuthenticator(
            keys: try JWTKeySet([jwtKey]), options: options, realm: realm,
            revocationList: InMemoryRevocationList(), cache: VerifiedCredentialCache(capacity: 4096)
        )
        let jwt = try JWTIssuer(
            signer: jwtKey, timeToLive: 3600, issuer: "swift-token-auth-demo", audience: ["token-auth-demo-api"]
        ).issue(claims: try JSONObject([("sub", .string("bench")), ("scope", .string("profile:read"))]))

        let routes: [(name: String, authenticator: (any Authenticator)?, header: (String, String)?)] = [
            (routeNames[0], nil, nil),
            (routeNames[1], apiKeyAuth, ("X-API-Key", apiKey)),
            (routeNames[2], dynamicAuth, ("X-Dynamic-Token", dynamicToken)),
            (routeNames[3], jwtAuth, ("Authorization", "Bearer \(jwt)")),
            (routeNames[4], cachedJWTAuth, ("Authorization", "Bearer \(jwt)")),
            (routeNames[5], cachedAPIKeyAuth, ("X-API-Key", apiKey)),
        ]
        for route in routes {
            var headers = baseHeaders
            if let header = route.header { headers.append(header) }
            let request = HTTPRequest(
                method: .get, target: route.name.split(separator: " ")[0].description,
                headers: HTTPHeaders(headers), remoteAddress: "127.0.0.1:53412"
            )
            var middleware: [any Middleware] = [ErrorMiddleware(realm: realm)]
            let handler: any Responder
            if let authenticator = route.authenticator {
                middleware.append(AuthenticationMiddleware([authenticator]))
                let name = authenticator.name
                handler = ClosureResponder { request in
                    let principal = try request.identities.require(from: name)
                    return json(Array("{\"subject\":\"\(principal.subject)\"}".utf8))
                }
                measureAsync(bench, "server authenticate only \(route.name)") {
                    guard try await authenticator.authenticate(request) != nil else { throw BenchSetupError("no principal") }
                }
            } else {
                handler = ClosureResponder { _ in json(Array(#"{"status":"ok"}"#.utf8)) }
            }
            let chain = middleware.wrapping(handler)
            measureAsync(bench, "server chain \(route.name)") {
                let response = try await chain.respond(to: request)
                guard response.status == .ok else { throw BenchSetupError("\(route.name) answered \(response.status.code)") }
            }
        }
    }

    private static func json(_ body: [UInt8]) -> HTTPResponse {
        var response = HTTPResponse(status: .ok, body: body)
        response.headers.add(name: HTTPHeaders.Name.contentType, value: "application/json")
        return response
    }

    /// Times `body` in a loop inside one task (growing batches until one takes a second).
    private static func measureAsync(_ bench: Bench, _ name: String, _ body: @escaping @Sendable () async throws -> Void) {
        guard bench.isSelected(name) else { return }
        let minimumSeconds = bench.minimumSeconds
        let figures: (wall: Double, cpu: Double)? = blocking {
            do {
                try await body() // warm-up, and fail early
                var iterations = 1000
                while true {
                    let start = DispatchTime.now().uptimeNanoseconds
                    let cpuStart = processCPUNanoseconds()
                    for _ in 0..<iterations { try await body() }
                    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start)
                    let cpu = Double(processCPUNanoseconds() - cpuStart)
                    if elapsed >= minimumSeconds * 1e9 { return (elapsed / Double(iterations), cpu / Double(iterations)) }
                    iterations = Int(Double(iterations) * min(10, max(2, minimumSeconds * 1.2e9 / max(elapsed, 1))))
                }
            } catch {
                print("\(name): \(error)")
                return nil
            }
        }
        if let figures { bench.report(name, nanosecondsPerOperation: figures.wall, cpu: figures.cpu) }
    }

    /// CPU time of the whole process: the task may resume on another pool thread, so the
    /// harness's per-thread clock does not apply; the rest of the process is idle meanwhile.
    private static func processCPUNanoseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// Runs `body` on the concurrency pool and waits for its result (the harness is synchronous).
    private static func blocking<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
        let box = Box<T>()
        let done = DispatchSemaphore(value: 0)
        Task {
            box.value = await body()
            done.signal()
        }
        done.wait()
        return box.value! // safe: the task stored the value before signalling
    }

    private final class Box<T>: @unchecked Sendable {
        // Written once by the task before it signals, read after the wait.
        var value: T?
    }

    /// The benchmark's stand-in for the server's `TOKEN_AUTH_BENCH_REUSABLE_DYNAMIC_TOKENS` cache.
    private struct NoReplayCache: ReplayCache {
        func insertIfAbsent(keyID: String, nonce: [UInt8], expiresAt: Date, now: Date) async throws -> ReplayCacheInsertion {
            .inserted
        }
    }

    private struct BenchSetupError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
