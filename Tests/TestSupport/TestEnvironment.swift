public import Foundation

/// Where the tests find their fixtures, the shared vectors and external tools.
///
/// Tests that need something outside the Swift toolchain (`../shared`, python3 with a package,
/// openssl, node) check here and are skipped *visibly* with the missing piece named, through
/// Swift Testing's `.enabled(if:_:)`. `.ci/run` sets `TOKEN_AUTH_REQUIRE_INTEROP=1`; tests then
/// assert ``missingUnderCI(_:)`` is empty, so CI cannot pass by skipping.
public enum TestEnvironment {
    /// The repository root.
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent() // TestSupport
        .deletingLastPathComponent() // Tests
        .deletingLastPathComponent() // root

    /// The `Fixtures` folder of test target `target` (for example `"TokenCoreTests"`).
    public static func fixtures(_ target: String) -> URL {
        repositoryRoot.appendingPathComponent("Tests/\(target)/Fixtures")
    }

    /// Reads `relative` inside test target `target`'s fixtures.
    public static func fixture(_ target: String, _ relative: String) throws -> Data {
        try Data(contentsOf: fixtures(target).appendingPathComponent(relative))
    }

    /// `../shared` beside the repository, or `$TOKEN_AUTH_SHARED`.
    public static let shared: URL = {
        if let path = ProcessInfo.processInfo.environment["TOKEN_AUTH_SHARED"] {
            return URL(fileURLWithPath: path)
        }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }()

    /// Whether `../shared/<relative>` exists.
    public static func hasShared(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: shared.appendingPathComponent(relative).path)
    }

    /// Whether CI asked for every interop test to run (set by `.ci/run`).
    public static let interopRequired = ProcessInfo.processInfo.environment["TOKEN_AUTH_REQUIRE_INTEROP"] == "1"

    /// The result of running a command.
    public struct CommandResult: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `command` with `/bin/sh -c`, feeding `input` on standard input.
    public static func run(_ command: String, input: Data? = nil) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let out = Pipe(), err = Pipe(), inp = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inp
        try process.run()
        // Drain stderr on another thread so a chatty child cannot block on a full pipe.
        let stderrBox = DataBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            stderrBox.data = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        if let input { inp.fileHandleForWriting.write(input) }
        try? inp.fileHandleForWriting.close()
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return CommandResult(
            status: process.terminationStatus,
            stdout: String(decoding: stdoutData, as: UTF8.self),
            stderr: String(decoding: stderrBox.data, as: UTF8.self)
        )
    }

    /// Whether `command` exits 0 (tool detection: `openssl version`, `node --version`).
    public static func commandSucceeds(_ command: String) -> Bool {
        (try? run(command + " >/dev/null 2>&1"))?.status == 0
    }

    /// Whether python3 can import every module named.
    public static func hasPython(_ modules: String...) -> Bool {
        commandSucceeds("python3 -c 'import \(modules.joined(separator: ", "))'")
    }

    /// Under CI, the names in `requirements` whose availability is false; empty outside CI.
    /// A test asserts this is empty so a missing tool fails CI instead of skipping.
    public static func missingUnderCI(_ requirements: [String: Bool]) -> [String] {
        guard interopRequired else { return [] }
        return requirements.filter { !$0.value }.map(\.key).sorted()
    }
}

private final class DataBox: @unchecked Sendable {
    // Written once by the reader thread before `group.leave()`, read after `group.wait()`.
    var data = Data()
}
