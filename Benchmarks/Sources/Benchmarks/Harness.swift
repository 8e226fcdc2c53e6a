import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Keeps a value alive so the optimiser cannot delete the work that produced it.
@inline(never)
func consume<T>(_ value: T) {
    withExtendedLifetime(value) {}
}

/// One measured case.
struct Measurement {
    var name: String
    var nanosecondsPerOperation: Double
    var bytesPerOperation: Int?

    var operationsPerSecond: Double { 1e9 / nanosecondsPerOperation }
    var megabytesPerSecond: Double? {
        bytesPerOperation.map { Double($0) * operationsPerSecond / 1_000_000 }
    }
}

/// Runs and prints benchmark cases: `name  ns/op  ops/s  [MB/s]  cpu ns/op`, one line each.
///
/// Each case runs in growing batches until one batch takes at least `minimumSeconds`
/// (default 1 s); the figure is that batch's mean. The same batch is also timed with the
/// thread's CPU clock (the `cpu` column, kept as `<name> [cpu]`), which stays meaningful when
/// other processes share the machine and inflate the wall clock.
final class Bench {
    let filter: String?
    let minimumSeconds: Double
    private(set) var results: [String: Measurement] = [:]

    init(filter: String?, minimumSeconds: Double = 1.0) {
        self.filter = filter?.lowercased()
        self.minimumSeconds = minimumSeconds
    }

    func isSelected(_ name: String) -> Bool {
        guard let filter else { return true }
        return name.lowercased().contains(filter)
    }

    /// Whether a group of cases whose names all start with `prefix` may have a selected case:
    /// the filter is part of the prefix (`jwt`) or names one case in it (`jwt hs256 verify`).
    func isGroupSelected(_ prefix: String) -> Bool {
        guard let filter else { return true }
        return isSelected(prefix) || filter.hasPrefix(prefix.lowercased())
    }

    /// Measures `body` (one operation per call). Returns `nil` when the filter skips the case.
    @discardableResult
    func measure(_ name: String, bytes: Int? = nil, _ body: () throws -> Void) rethrows -> Measurement? {
        guard isSelected(name) else { return nil }
        try body() // warm-up, and fail early
        var iterations = 1
        while true {
            let start = DispatchTime.now().uptimeNanoseconds
            let cpuStart = threadCPUNanoseconds()
            for _ in 0..<iterations { try body() }
            let cpu = Double(threadCPUNanoseconds() &- cpuStart)
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start)
            if elapsed >= minimumSeconds * 1e9 {
                let m = Measurement(name: name, nanosecondsPerOperation: elapsed / Double(iterations), bytesPerOperation: bytes)
                results[name] = m
                results[name + " [cpu]"] = Measurement(name: name + " [cpu]", nanosecondsPerOperation: cpu / Double(iterations), bytesPerOperation: bytes)
                print(Self.format(m) + String(format: "   cpu %10.1f ns/op", cpu / Double(iterations)))
                return m
            }
            // Aim past the target in one more step, without overshooting wildly.
            let scale = elapsed > 0 ? min(10, max(2, minimumSeconds * 1.2e9 / elapsed)) : 10
            iterations = Int(Double(iterations) * scale)
        }
    }

    /// Prints an external figure (for example OpenSSL's) in the same format, with its CPU time
    /// per operation when known.
    func report(_ name: String, nanosecondsPerOperation ns: Double, bytes: Int? = nil, cpu: Double? = nil) {
        guard isSelected(name) else { return }
        let m = Measurement(name: name, nanosecondsPerOperation: ns, bytesPerOperation: bytes)
        results[name] = m
        var line = Self.format(m)
        if let cpu {
            results[name + " [cpu]"] = Measurement(name: name + " [cpu]", nanosecondsPerOperation: cpu, bytesPerOperation: bytes)
            line += String(format: "   cpu %10.1f ns/op", cpu)
        }
        print(line)
    }

    /// Prints how `ours` compares with `theirs` when both were measured.
    func ratio(_ ours: String, _ theirs: String, label: String? = nil) {
        guard let a = results[ours], let b = results[theirs] else { return }
        let r = b.nanosecondsPerOperation / a.nanosecondsPerOperation
        print("  ratio \(label ?? "\(ours) vs \(theirs)"): \(String(format: "%.2f", r))× the rate (\(String(format: "%.0f", a.nanosecondsPerOperation)) vs \(String(format: "%.0f", b.nanosecondsPerOperation)) ns/op)")
        // Both measured with CPU time as well (and not already a [cpu] pair): that ratio too.
        if !ours.hasSuffix("[cpu]"), let ac = results[ours + " [cpu]"], let bc = results[theirs + " [cpu]"] {
            let rc = bc.nanosecondsPerOperation / ac.nanosecondsPerOperation
            print("  ratio \(label ?? "\(ours) vs \(theirs)") (cpu): \(String(format: "%.2f", rc))× the rate (\(String(format: "%.0f", ac.nanosecondsPerOperation)) vs \(String(format: "%.0f", bc.nanosecondsPerOperation)) ns/op)")
        }
    }

    static func format(_ m: Measurement) -> String {
        var line = m.name.padding(toLength: 44, withPad: " ", startingAt: 0)
        line += String(format: "%12.1f ns/op %14.0f ops/s", m.nanosecondsPerOperation, m.operationsPerSecond)
        if let mbps = m.megabytesPerSecond { line += String(format: " %10.1f MB/s", mbps) }
        return line
    }
}

/// CPU time consumed by the calling thread, in nanoseconds.
func threadCPUNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
}

/// Runs a shell command and returns its standard output, or `nil` when it cannot run.
func shell(_ command: String) -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    return String(decoding: data, as: UTF8.self)
}
