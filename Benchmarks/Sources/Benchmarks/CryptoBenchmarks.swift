import Foundation
import TokenCore

/// SHA-2, HMAC and PBKDF2 (issue 3), each beside OpenSSL's figure for the same work.
///
/// OpenSSL runs as `openssl speed -elapsed`, so both sides are wall-clock figures taken in the
/// same run under the same machine load (plain `openssl speed` divides by CPU time instead).
enum CryptoBenchmarks {
    static func run(_ bench: Bench) {
        let sizes = [("64 B", 64), ("1 KiB", 1024), ("1 MiB", 1 << 20)]
        for (label, size) in sizes {
            let message = [UInt8](repeating: 0x61, count: size)
            bench.measure("sha256 \(label)", bytes: size) { consume(SHA256.hash(message)) }
            opensslSpeed(bench, name: "openssl sha256 \(label)", algorithm: "sha256", bytes: size)
            bench.ratio("sha256 \(label)", "openssl sha256 \(label)", label: "sha256 \(label) vs OpenSSL")
        }
        let kib = [UInt8](repeating: 0x61, count: 1024)
        bench.measure("sha512 1 KiB", bytes: 1024) { consume(SHA512.hash(kib)) }
        opensslSpeed(bench, name: "openssl sha512 1 KiB", algorithm: "sha512", bytes: 1024)
        bench.ratio("sha512 1 KiB", "openssl sha512 1 KiB", label: "sha512 1 KiB vs OpenSSL")

        // HMAC-SHA256 of 256 bytes: with a keyed prototype (the way JWT and API-key verifiers
        // hold their key) and one-shot including the key setup (what `openssl speed -hmac` does).
        let key = [UInt8](repeating: 0x0b, count: 32)
        let message = [UInt8](repeating: 0x61, count: 256)
        let prototype = HMAC<SHA256>(key: key)
        bench.measure("hmac-sha256 256 B (keyed prototype)", bytes: 256) {
            var mac = prototype
            mac.update(message)
            consume(mac.finalize())
        }
        bench.measure("hmac-sha256 256 B (one-shot, key setup)", bytes: 256) {
            consume(HMAC<SHA256>.authenticationCode(for: message, using: key))
        }
        opensslSpeed(bench, name: "openssl hmac-sha256 256 B", algorithm: "-hmac sha256", bytes: 256)
        bench.ratio("hmac-sha256 256 B (one-shot, key setup)", "openssl hmac-sha256 256 B", label: "hmac-sha256 256 B vs OpenSSL")

        let iterations = PasswordHasher.defaultIterations
        let password = Array("correct horse battery staple".utf8)
        let salt = [UInt8](repeating: 0x5a, count: 16)
        bench.measure("pbkdf2-sha256 \(iterations) iterations") {
            consume(try? PBKDF2<SHA256>.deriveKey(from: password, salt: salt, iterations: iterations, byteCount: 32))
        }
        opensslPBKDF2(bench, name: "openssl pbkdf2-sha256 \(iterations) iterations", iterations: iterations)
        bench.ratio("pbkdf2-sha256 \(iterations) iterations", "openssl pbkdf2-sha256 \(iterations) iterations",
                    label: "pbkdf2-sha256 vs OpenSSL")
    }

    /// Runs `openssl speed -mr -elapsed -seconds 1 -bytes N <algorithm>` and reports its rate.
    /// Machine-readable output has a line `+F:<index>:<name>:<bytes per second>`.
    static func opensslSpeed(_ bench: Bench, name: String, algorithm: String, bytes: Int) {
        guard bench.isSelected(name),
              let output = shell("openssl speed -mr -elapsed -seconds 1 -bytes \(bytes) \(algorithm) 2>/dev/null"),
              let line = output.split(separator: "\n").first(where: { $0.hasPrefix("+F:") }),
              let rate = line.split(separator: ":").last.flatMap({ Double($0) }), rate > 0
        else {
            if bench.isSelected(name) { print("\(name): skipped (openssl not available)") }
            return
        }
        bench.report(name, nanosecondsPerOperation: Double(bytes) / rate * 1e9, bytes: bytes)
    }

    /// Times `openssl kdf … PBKDF2` at `iterations` (wall clock, including its ~5 ms start-up).
    static func opensslPBKDF2(_ bench: Bench, name: String, iterations: Int) {
        guard bench.isSelected(name) else { return }
        let command = "openssl kdf -keylen 32 -kdfopt digest:SHA256 -kdfopt pass:password "
            + "-kdfopt salt:saltsaltsaltsalt -kdfopt iter:\(iterations) PBKDF2"
        var best = Double.infinity
        for _ in 0..<3 {
            let start = DispatchTime.now().uptimeNanoseconds
            guard shell(command) != nil else {
                print("\(name): skipped (openssl kdf not available)")
                return
            }
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start))
        }
        bench.report(name, nanosecondsPerOperation: best)
    }
}
