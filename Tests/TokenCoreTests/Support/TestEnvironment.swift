import Foundation
import Testing

/// Where the tests find their fixtures, the shared vectors and external tools.
///
/// Tests that need something outside the Swift toolchain (../shared, python3 with a package,
/// openssl, node) check here and are skipped *visibly* with the missing piece named, through
/// `.enabled(if:_:)`. Under CI (`TOKEN_AUTH_REQUIRE_INTEROP=1`, set by `.ci/run`) those checks
/// report the thing as present only if it really is, and `requireInteropUnderCI` turns a
/// missing tool into a failure, so CI cannot pass by skipping.
enum TestEnvironment {
    /// The repository root (two folders above this file's test target).
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent() // Support
        .deletingLastPathComponent() // <Target>Tests
        .deletingLastPathComponent() // Tests
        .deletingLastPathComponent() // root

    /// This test target's `Fixtures` folder.
    static let fixtures: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// `../shared` beside the repository, or `$TOKEN_AUTH_SHARED`.
    static let shared: URL = {
        if let path = ProcessInfo.processInfo.environment["TOKEN_AUTH_SHARED"] {
            return URL(fileURLWithPath: path)
        }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }()

    /// Whether `../shared/<relative>` exists.
    static func hasShared(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: shared.appendingPathComponent(relative).path)
    }

    /// Reads a fixture file of this target.
    static func fixture(_ relative: String) throws -> Data {
        try Data(contentsOf: fixtures.appendingPathComponent(relative))
    }

    /// Whether CI asked for every interop test to run (set by `.ci/run`).
    static let interopRequired = ProcessInfo.processInfo.environment["TOKEN_AUTH_REQUIRE_INTEROP"] == "1"

    /// Whether `command` exits 0 (for tool detection: `python3 -c 'import jwt'`, `openssl version`).
    static func commandSucceeds(_ command: String) -> Bool {
        (try? run(command))?.status == 0
    }

    /// Runs `command` with `/bin/sh -c`, feeding `input` on standard input.
    static func run(_ command: String, input: Data? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let out = Pipe(), err = Pipe(), inp = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inp
        try process.run()
        if let input { inp.fileHandleForWriting.write(input) }
        try? inp.fileHandleForWriting.close()
        // Read both pipes before waiting, so a chatty child cannot block on a full pipe.
        let errData = DispatchQueue.global().sync { () -> Data in Data() }
        _ = errData
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdoutData, as: UTF8.self), String(decoding: stderrData, as: UTF8.self))
    }

    /// Python 3 with the named modules importable.
    static func hasPython(_ modules: String...) -> Bool {
        commandSucceeds("python3 -c 'import \(modules.joined(separator: ", "))' >/dev/null 2>&1")
    }

    /// Records an issue when CI required interop but `available` is false, so CI cannot pass by
    /// skipping. Call it from a non-skipped test per tool.
    static func requireUnderCI(_ available: Bool, _ what: String) {
        if interopRequired && !available {
            Issue.record("CI requires \(what), but it is missing")
        }
    }
}
