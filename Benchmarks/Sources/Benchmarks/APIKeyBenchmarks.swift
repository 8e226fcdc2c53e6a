import Foundation
import TokenCore

/// API-key verification: format and CRC-32 checksum, SHA-256 (or HMAC-SHA-256 with a pepper),
/// and the lookup by digest among 1,000 stored keys. Target: under 1 µs.
enum APIKeyBenchmarks {
    static func run(_ bench: Bench) {
        let peppered: APIKeyHasher
        do {
            peppered = try APIKeyHasher.hmacSHA256(pepper: [UInt8](repeating: 0x5A, count: 32), pepperID: "bench")
        } catch {
            print("apikey: cannot set up the peppered hasher: \(error)")
            return
        }
        for (label, hasher) in [("sha256", APIKeyHasher.sha256), ("hmac", peppered)] {
            let store = InMemoryAPIKeyStore()
            let issuer = APIKeyIssuer(store: store, hasher: hasher)
            let keys: [String] = blocking {
                var keys: [String] = []
                for i in 0..<1000 {
                    if let issued = try? await issuer.issue(name: "bench \(i)", owner: "owner\(i % 50)", scopes: ["reports:read"]) {
                        keys.append(issued.key)
                    }
                }
                return keys
            }
            guard keys.count == 1000 else {
                print("apikey: setup failed (\(keys.count) keys issued)")
                return
            }
            let verifier = APIKeyVerifier(store: store, hasher: hasher)
            let records: [APIKeyRecord] = blocking { await store.allRecords() }
            let table = Dictionary(uniqueKeysWithValues: records.map { ($0.hash, $0) })
            let key = keys[500]

            bench.measure("apikey checksum only") {
                consume((try? APIKeyFormat.live.validate(key)) != nil)
            }
            // The synchronous core of a verification: checksum, hash, lookup in memory.
            bench.measure("apikey verify \(label) (checksum+hash+lookup)") {
                guard let digest = try? verifier.checkedDigest(of: key) else { return }
                consume(table[digest])
            }
            // The same through the async verifier and the InMemoryAPIKeyStore actor,
            // including the expiry and revocation checks.
            let name = "apikey verify \(label) via actor store"
            if bench.isSelected(name) {
                let iterations = 200_000
                let nanoseconds: Double = blocking {
                    let start = DispatchTime.now().uptimeNanoseconds
                    for _ in 0..<iterations { consume(try? await verifier.verify(key)) }
                    return Double(DispatchTime.now().uptimeNanoseconds - start) / Double(iterations)
                }
                bench.report(name, nanosecondsPerOperation: nanoseconds)
            }
        }
    }

    /// Runs `body` on the concurrency pool and waits for its result (the harness is synchronous).
    private static func blocking<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task {
            box.value = await body()
            done.signal()
        }
        done.wait()
        // safe: the task stored the value before signalling
        return box.value!
    }

    private final class ResultBox<T>: @unchecked Sendable {
        // Written once by the task before it signals, read after the wait.
        var value: T?
    }
}
