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

        // Verify with the replay-cache insert needs a fresh token per operation. Two cases:
        // - "tokens just read": tokens are minted in batches of 512 outside the timed region and
        //   each batch is verified at once, so a token's bytes are in cache as they are in a
        //   server that has just read the request. The replay cache still grows to 300 000
        //   entries (a 24 MB table), so its misses are measured.
        // - "cold token array": all 300 000 tokens minted first (about 40 MB of strings) and
        //   verified in one pass, so each token's bytes also come from memory.
        try replayCases(bench, signer: signer, ring: ring, clock: clock)
        replayCacheInsert(bench, now: now)
    }

    /// The replay cache alone: 300 000 inserts of fresh 16-byte nonces into one in-memory
    /// cache through the public async API, so the table grows to the same 24 MB as in the verify
    /// cases. Verify minus this is the cost of the token itself.
    private static func replayCacheInsert(_ bench: Bench, now: Int64) {
        let name = "replay cache insert (in-memory, 300,000 live entries)"
        guard bench.isSelected(name) else { return }
        let count = 300_000
        var generator = SystemRandomNumberGenerator()
        let nonces = (0..<count).map { _ in (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) } }
        let expiresAt = Date(unixMilliseconds: now + 300_000), at = Date(unixMilliseconds: now)
        let result = ResultBox()
        let done = DispatchSemaphore(value: 0)
        Task {
            defer { done.signal() }
            do {
                let cache = InMemoryReplayCache(capacity: count)
                let start = DispatchTime.now().uptimeNanoseconds
                let cpuStart = threadCPUNanoseconds()
                for nonce in nonces { _ = try await cache.insertIfAbsent(keyID: "k1", nonce: nonce, expiresAt: expiresAt, now: at) }
                let cpu = Double(threadCPUNanoseconds() &- cpuStart) / Double(count)
                result.cold = (Double(DispatchTime.now().uptimeNanoseconds - start) / Double(count), cpu)
            } catch {
                print("\(name) failed: \(error)")
            }
        }
        done.wait()
        if let (ns, cpu) = result.cold { bench.report(name, nanosecondsPerOperation: ns, cpu: cpu) }
    }

    private static func replayCases(_ bench: Bench, signer: DynamicTokenSigner, ring: DynamicTokenKeyRing, clock: ManualClock) throws {
        let warmName = "dynamic-token signed verify + replay cache (tokens just read)"
        let coldName = "dynamic-token signed verify + replay cache (cold token array)"
        guard bench.isSelected(warmName) || bench.isSelected(coldName) else { return }
        let count = 300_000
        let batch = 512
        let method = "GET", target = "/api/items?page=2"
        let result = ResultBox()
        let done = DispatchSemaphore(value: 0)
        let runWarm = bench.isSelected(warmName), runCold = bench.isSelected(coldName)
        let cold: [String] = runCold ? try (0..<count).map { _ in try signer.token(method: method, target: target, body: []) } : []
        Task {
            defer { done.signal() }
            do {
                // Warm-up on a separate verifier so the measured caches start empty.
                let warm = try DynamicTokenVerifier(keys: ring, replayCache: InMemoryReplayCache(capacity: 1000), clock: clock)
                for _ in 0..<1000 { _ = try await warm.verify(try signer.token(method: method, target: target, body: []), method: method, target: target, body: []) }
                // The in-memory cache never suspends, so each loop stays on one thread and that
                // thread's CPU clock covers it.
                if runWarm {
                    let verifier = try DynamicTokenVerifier(keys: ring, replayCache: InMemoryReplayCache(capacity: count), clock: clock)
                    var tokens = [String]()
                    tokens.reserveCapacity(batch)
                    var cpu: UInt64 = 0, wall: UInt64 = 0
                    for _ in 0..<(count / batch) {
                        tokens.removeAll(keepingCapacity: true)
                        for _ in 0..<batch { tokens.append(try signer.token(method: method, target: target, body: [])) }
                        let start = DispatchTime.now().uptimeNanoseconds
                        let cpuStart = threadCPUNanoseconds()
                        for token in tokens { _ = try await verifier.verify(token, method: method, target: target, body: []) }
                        cpu &+= threadCPUNanoseconds() &- cpuStart
                        wall &+= DispatchTime.now().uptimeNanoseconds &- start
                    }
                    let operations = Double(count / batch * batch)
                    result.warm = (Double(wall) / operations, Double(cpu) / operations)
                }
                if runCold {
                    let verifier = try DynamicTokenVerifier(keys: ring, replayCache: InMemoryReplayCache(capacity: count), clock: clock)
                    let start = DispatchTime.now().uptimeNanoseconds
                    let cpuStart = threadCPUNanoseconds()
                    for token in cold { _ = try await verifier.verify(token, method: method, target: target, body: []) }
                    let cpu = Double(threadCPUNanoseconds() &- cpuStart) / Double(cold.count)
                    result.cold = (Double(DispatchTime.now().uptimeNanoseconds - start) / Double(cold.count), cpu)
                }
            } catch {
                print("dynamic-token signed verify + replay cache failed: \(error)")
            }
        }
        done.wait()
        if let (ns, cpu) = result.warm { bench.report(warmName, nanosecondsPerOperation: ns, cpu: cpu) }
        if let (ns, cpu) = result.cold { bench.report(coldName, nanosecondsPerOperation: ns, cpu: cpu) }
    }
}

private final class ResultBox: @unchecked Sendable {
    // Written by the task before `signal()`, read after `wait()`: (wall, cpu) ns per operation.
    var warm: (Double, Double)?
    var cold: (Double, Double)?
}
