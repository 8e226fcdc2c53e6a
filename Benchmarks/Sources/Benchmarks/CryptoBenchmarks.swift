import Foundation
import TokenCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SHA-2, HMAC and PBKDF2 (issue 3), each beside OpenSSL's figure for the same work.
///
/// Two comparisons per case, because this machine is shared and its load swings:
/// - wall clock: ours through `bench.measure`, OpenSSL through `openssl speed -elapsed`, in the
///   same run under the same load;
/// - CPU time (the `cpu` column and `[cpu]` lines): ours timed with the thread's CPU clock in
///   the same batches, OpenSSL through plain `openssl speed`, which divides by its CPU user
///   time. Steadier under load.
enum CryptoBenchmarks {
    static func run(_ bench: Bench) {
        let kib = [UInt8](repeating: 0x61, count: 1024)
        for (label, size) in [("64 B", 64), ("1 KiB", 1024), ("1 MiB", 1 << 20)] {
            let message = [UInt8](repeating: 0x61, count: size)
            compare(bench, "sha256 \(label)", openssl: "sha256", bytes: size) { consume(SHA256.hash(message)) }
        }
        compare(bench, "sha512 1 KiB", openssl: "sha512", bytes: 1024) { consume(SHA512.hash(kib)) }

        // HMAC-SHA256 of 256 bytes: with a keyed prototype (how JWT and API-key verifiers hold
        // their key) and one-shot including the key setup (what `openssl speed -hmac` times).
        let key = [UInt8](repeating: 0x0b, count: 32)
        let message = [UInt8](repeating: 0x61, count: 256)
        let prototype = HMAC<SHA256>(key: key)
        compare(bench, "hmac-sha256 256 B (keyed prototype)", openssl: nil, bytes: 256) {
            var mac = prototype
            mac.update(message)
            consume(mac.finalize())
        }
        compare(bench, "hmac-sha256 256 B (one-shot)", openssl: "-hmac sha256", bytes: 256) {
            consume(HMAC<SHA256>.authenticationCode(for: message, using: key))
        }

        let iterations = PasswordHasher.defaultIterations
        let password = Array("correct horse battery staple".utf8)
        let salt = [UInt8](repeating: 0x5a, count: 16)
        let name = "pbkdf2-sha256 i=\(iterations)"
        bench.measure(name) {
            consume(try? PBKDF2<SHA256>.deriveKey(from: password, salt: salt, iterations: iterations, byteCount: 32))
        }
        opensslPBKDF2(bench, name: "openssl " + name, iterations: iterations)
        bench.ratio(name, "openssl " + name, label: "pbkdf2-sha256 vs OpenSSL")
    }

    /// Measures `body` (wall clock and CPU time in one run) beside OpenSSL's `algorithm` both
    /// ways. For SHA-256-based cases OpenSSL is also run with the SHA extensions masked
    /// (`OPENSSL_ia32cap=":~0x20000000"`), because a library cannot use SHA-NI without
    /// unsafe compiler flags: that ratio compares scalar code with OpenSSL's best non-SHA-NI code.
    static func compare(_ bench: Bench, _ name: String, openssl algorithm: String?, bytes: Int, _ body: () -> Void) {
        bench.measure(name, bytes: bytes, body)
        guard let algorithm else { return }
        let theirs = "openssl " + (name.firstIndex(of: "(").map { String(name[..<$0]).trimmingCharacters(in: .whitespaces) } ?? name)
        opensslSpeed(bench, name: theirs, algorithm: algorithm, bytes: bytes, elapsed: true)
        opensslSpeed(bench, name: theirs + " [cpu]", algorithm: algorithm, bytes: bytes, elapsed: false)
        bench.ratio(name, theirs, label: "\(name) vs OpenSSL")
        guard algorithm.hasSuffix("sha256") else { return }
        let masked = theirs + " without SHA-NI [cpu]"
        opensslSpeed(bench, name: masked, algorithm: algorithm, bytes: bytes, elapsed: false, environment: "OPENSSL_ia32cap=\":~0x20000000\" ")
        bench.ratio(name + " [cpu]", masked, label: "\(name) vs OpenSSL without SHA-NI (cpu)")
    }

    static func threadCPUNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// Runs `openssl speed -mr [-elapsed] -seconds 1 -bytes N <algorithm>` and reports its rate.
    /// Machine-readable output has a line `+F:<index>:<name>:<bytes per second>`.
    static func opensslSpeed(_ bench: Bench, name: String, algorithm: String, bytes: Int, elapsed: Bool, environment: String = "") {
        guard bench.isSelected(name) else { return }
        let command = environment + "openssl speed -mr \(elapsed ? "-elapsed " : "")-seconds 1 -bytes \(bytes) \(algorithm) 2>/dev/null"
        guard let output = shell(command),
              let line = output.split(separator: "\n").first(where: { $0.hasPrefix("+F:") }),
              let rate = line.split(separator: ":").last.flatMap({ Double($0) }), rate > 0
        else {
            print("\(name): skipped (openssl not available)")
            return
        }
        bench.report(name, nanosecondsPerOperation: Double(bytes) / rate * 1e9, bytes: bytes)
    }

    /// Times `openssl kdf … PBKDF2` at `iterations`: wall clock (best of three, including its
    /// ~5 ms start-up) and the child's CPU time (from `getrusage(RUSAGE_CHILDREN)`).
    static func opensslPBKDF2(_ bench: Bench, name: String, iterations: Int) {
        guard bench.isSelected(name) else { return }
        let command = "openssl kdf -keylen 32 -kdfopt digest:SHA256 -kdfopt pass:password "
            + "-kdfopt salt:saltsaltsaltsalt -kdfopt iter:\(iterations) PBKDF2"
        var bestWall = Double.infinity, bestCPU = Double.infinity
        for _ in 0..<3 {
            let cpuBefore = childrenCPUNanoseconds()
            let start = DispatchTime.now().uptimeNanoseconds
            guard shell(command) != nil else {
                print("\(name): skipped (openssl kdf not available)")
                return
            }
            bestWall = min(bestWall, Double(DispatchTime.now().uptimeNanoseconds - start))
            bestCPU = min(bestCPU, Double(childrenCPUNanoseconds() &- cpuBefore))
        }
        bench.report(name, nanosecondsPerOperation: bestWall)
        bench.report(name + " [cpu]", nanosecondsPerOperation: bestCPU)
    }

    static func childrenCPUNanoseconds() -> UInt64 {
        var usage = rusage()
        #if canImport(Glibc)
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
        #else
        getrusage(RUSAGE_CHILDREN, &usage)
        #endif
        let user = UInt64(usage.ru_utime.tv_sec) &* 1_000_000_000 &+ UInt64(usage.ru_utime.tv_usec) &* 1000
        let system = UInt64(usage.ru_stime.tv_sec) &* 1_000_000_000 &+ UInt64(usage.ru_stime.tv_usec) &* 1000
        return user &+ system
    }
}
