import Dispatch
import Foundation
import TokenCore

/// Dynamic tokens: legacy decode (target < 0.5 µs), signed sign, signed verify including the
/// in-memory replay-cache insert (target < 2 µs).
enum DynamicTokenBenchmarks {
    static func run(_ bench: Bench) {
        do { try cases(bench) } catch { print("dynamic-token benchmarks failed: \(error)") }
    }

    static func cases(_ bench: Bench) throws {
        let now: Int64 = 1_710_105_367_868
        let clock = ManualClock(Date(unixMilliseconds: now))

        // Legacy
        let legacyOptions = try LegacyDynamicTokenOptions(apiKey: "Opus;Magna-897")
        let legacyDecoder = LegacyDynamicTokenDecoder(options: legacyOptions, clock: clock)
        let legacyToken = "OHR5a09wdXM7TWFnbmEtODk3MG10bCw3Mg=="
        guard legacyDecoder.decode(legacyToken, nowMilliseconds: now).isValid else { throw DynamicTokenError(.malformed, "legacy setup") }
        bench.measure("dynamic-token legacy decode") { consume(legacyDecoder.decode(legacyToken, nowMilliseconds: now)) }
        let uuidOptions = try LegacyDynamicTokenOptions(apiKey: "Magna;Carta123", requiresUUID: true)
        let uuidDecoder = LegacyDynamicTokenDecoder(options: uuidOptions, clock: clock)
        let uuidToken = "OHg0bE1hZ25hO0NhcnRhMTIzMG10bCU3aV9fMTA4djQ1ZWU2NV8yN3hqZWVscjRsLjNt"
        bench.measure("dynamic-token legacy decode with uuid") { consume(uuidDecoder.decode(uuidToken, nowMilliseconds: now + 1000)) }
        let legacyEncoder = LegacyDynamicTokenEncoder(options: legacyOptions, clock: clock)
        try bench.measure("dynamic-token legacy encode") { consume(try legacyEncoder.encode()) }

        // Signed
        let key = try DynamicTokenKey(id: "k1", secret: Array(0..<32 as Range<UInt8>))
        let signer = try DynamicTokenSigner(key: key, clock: clock)
        let body = Array("{\"item\":42,\"qty\":1}".utf8)
        try bench.measure("dynamic-token signed sign (GET, empty body)") {
            consume(try signer.token(method: "GET", target: "/api/items?page=2", body: []))
        }
        try bench.measure("dynamic-token signed sign (POST, 19-byte body)") {
            consume(try signer.token(method: "POST", target: "/api/orders", body: body))
        }
        let ring = try DynamicTokenKeyRing([key])
        let checkVerifier = try DynamicTokenVerifier(keys: ring, replayCache: InMemoryReplayCache(capacity: 1), clock: clock)
        let one = try signer.token(method: "GET", target: "/api/items?page=2", body: [])
        try bench.measure("dynamic-token signed check (no replay cache)") {
            consume(try checkVerifier.check(one, method: "GET", target: "/api/items?page=2", body: [], nowMilliseconds: now))
        }

        // Verify with the replay-cache insert needs a fresh token per operation: mint them first.
        let name = "dynamic-token signed verify + replay cache"
        guard bench.isSelected(name) else { return }
        let count = 300_000
        var tokens = [String]()
        tokens.reserveCapacity(count)
        for _ in 0..<count { tokens.append(try signer.token(method: "GET", target: "/api/items?page=2", body: [])) }
        let verifier = try DynamicTokenVerifier(keys: ring, replayCache: InMemoryReplayCache(capacity: count), clock: clock)
        let result = ResultBox()
        let done = DispatchSemaphore(value: 0)
        let all = tokens
        Task {
            defer { done.signal() }
            do {
                // Warm-up on a separate verifier so the measured cache starts empty.
                let warm = try DynamicTokenVerifier(keys: ring, replayCache: InMemoryReplayCache(capacity: 1000), clock: clock)
                for token in all.prefix(1000) { _ = try await warm.verify(token, method: "GET", target: "/api/items?page=2", body: []) }
                // The in-memory cache never suspends, so the loop stays on one thread and that
                // thread's CPU clock covers it.
                let start = DispatchTime.now().uptimeNanoseconds
                let cpuStart = threadCPUNanoseconds()
                for token in all { _ = try await verifier.verify(token, method: "GET", target: "/api/items?page=2", body: []) }
                result.cpu = Double(threadCPUNanoseconds() &- cpuStart) / Double(all.count)
                result.nanoseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / Double(all.count)
            } catch {
                print("\(name) failed: \(error)")
            }
        }
        done.wait()
        if result.nanoseconds > 0 { bench.report(name, nanosecondsPerOperation: result.nanoseconds, cpu: result.cpu) }
    }
}

private final class ResultBox: @unchecked Sendable {
    // Written by the task before `signal()`, read after `wait()`.
    var nanoseconds: Double = 0
    var cpu: Double = 0
}
