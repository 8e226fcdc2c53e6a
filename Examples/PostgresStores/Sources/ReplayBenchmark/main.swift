// The replay check of signed dynamic tokens with the PostgreSQL replay cache against the
// in-memory one: verification of pre-signed tokens (HMAC, claims, replay insert), one at a time
// (latency) and from many concurrent tasks (throughput). Signing is outside the timed loops.
//
//   swift run -c release ReplayBenchmark --database-url postgres://user@127.0.0.1:5432/db \
//       [--count 20000] [--concurrency 32]
//
// It creates a throw-away schema (`bench_<random>`) and drops it at the end.
import Foundation
import Logging
import PostgresTokenStores
import TokenCore

struct BenchmarkError: Error, CustomStringConvertible { var description: String }

func option(_ name: String) -> String? {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

let count = option("--count").flatMap(Int.init) ?? 20_000
let concurrency = option("--concurrency").flatMap(Int.init) ?? 32
guard let url = option("--database-url") ?? ProcessInfo.processInfo.environment["TOKEN_AUTH_PG_URL"] else {
    throw BenchmarkError(description: "pass --database-url postgres://user@host:port/db or set TOKEN_AUTH_PG_URL")
}
guard count >= 1, count <= 1_000_000, concurrency >= 1, concurrency <= 1_024 else {
    throw BenchmarkError(description: "--count 1...1000000, --concurrency 1...1024")
}

let key = try DynamicTokenKey(id: "bench", secret: try SystemRandomSource().bytes(count: 32))
let keys = try DynamicTokenKeyRing([key])
let signer = try DynamicTokenSigner(key: key)

@Sendable func tokens(_ n: Int) throws -> [String] {
    try (0..<n).map { _ in try signer.token(method: "GET", target: "/api/service", body: []) }
}

/// Verifies every token once; returns elapsed seconds. Fails on any refusal.
@Sendable func run(_ verifier: DynamicTokenVerifier, _ tokens: [String], concurrency: Int) async throws -> Double {
    let start = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        let chunk = (tokens.count + concurrency - 1) / concurrency
        for slice in stride(from: 0, to: tokens.count, by: chunk) {
            let part = Array(tokens[slice..<min(slice + chunk, tokens.count)])
            group.addTask {
                for token in part { _ = try await verifier.verify(token, method: "GET", target: "/api/service", body: []) }
            }
        }
        try await group.waitForAll()
    }
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

@Sendable func report(_ name: String, _ seconds: Double, _ n: Int, _ concurrency: Int) {
    let nsPerOp = seconds * 1e9 / Double(n)
    let perSecond = Double(n) / seconds
    print(String(format: "%-28@ %3d tasks  %9.0f ns/op  %9.0f verifications/s", name as NSString, concurrency, nsPerOp, perSecond))
}

var configuration = try PostgresStoreConfiguration(url: url, schema: "bench_\(UInt32.random(in: 0...UInt32.max))")
configuration.maximumConnections = max(1, min(concurrency, 50))
var logger = Logger(label: "replay-benchmark")
logger.logLevel = .warning
let stores = try PostgresTokenStores(configuration: configuration, logger: logger)
let schema = configuration.schema
print("replay check of signed dynamic tokens, \(count) tokens per run")
try await stores.withRunningClient {
    let memory = try DynamicTokenVerifier(keys: keys, replayCache: InMemoryReplayCache(capacity: 2 * count))
    let postgres = try DynamicTokenVerifier(keys: keys, replayCache: stores.replayCache)
    // Warm-up: connections opened, code paths and the table's pages touched.
    _ = try await run(postgres, try tokens(min(count, 500)), concurrency: concurrency)
    for tasks in [1, concurrency] {
        report("in-memory replay cache", try await run(memory, try tokens(count), concurrency: tasks), count, tasks)
        report("PostgreSQL replay cache", try await run(postgres, try tokens(count), concurrency: tasks), count, tasks)
    }
    try await stores.dropSchema()
    print("(schema \(schema) dropped)")
}
