import Foundation

// Two builds of one target list (see Docs/Fuzzing.md):
// - `-D FUZZING` with `-sanitize=fuzzer,address` (scripts/fuzz.sh): libFuzzer's `main` drives
//   `LLVMFuzzerTestOneInput`, which runs the target named by the `FUZZ_TARGET` environment
//   variable. One binary for every target keeps the sanitizer build to a single link.
// - a plain build (`swift build`, so it can never rot unnoticed): a replay driver that runs
//   saved inputs through the same functions, lists the targets, and writes the seed corpora.

#if FUZZING
let selectedTarget: FuzzTarget? = ProcessInfo.processInfo.environment["FUZZ_TARGET"].flatMap(FuzzTarget.named)

/// libFuzzer calls this once before fuzzing: a missing or unknown `FUZZ_TARGET` stops the run
/// with the list of targets instead of fuzzing nothing.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> CInt {
    guard selectedTarget != nil else {
        let names = FuzzTarget.all.map(\.name).joined(separator: ", ")
        FileHandle.standardError.write(Data("set FUZZ_TARGET to one of: \(names)\n".utf8))
        exit(2)
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    selectedTarget?.run(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
    return 0
}
#else
@main
struct ReplayDriver {
    static let usage = """
        usage: FuzzTargets <target> <file or directory>…   run saved inputs through a target
               FuzzTargets --list                         the targets and what they assert
               FuzzTargets --write-seeds <directory>      write <directory>/<target>/seed-NN
        """

    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        switch arguments.first {
        case "--list":
            for target in FuzzTarget.all { print("\(target.name)\t\(target.summary)") }
        case "--write-seeds":
            guard arguments.count == 2 else { fail(usage) }
            writeSeeds(to: URL(fileURLWithPath: arguments[1]))
        case let name? where arguments.count >= 2:
            guard let target = FuzzTarget.named(name) else { fail("unknown target \(name)\n\(usage)") }
            var count = 0
            for path in arguments.dropFirst() {
                for file in files(at: path) {
                    guard let data = FileManager.default.contents(atPath: file) else { fail("cannot read \(file)") }
                    data.withUnsafeBytes { target.run($0) }
                    count += 1
                }
            }
            print("\(target.name): \(count) inputs replayed, no invariant violated")
        default:
            fail(usage)
        }
    }

    static func files(at path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { fail("no such file: \(path)") }
        guard isDirectory.boolValue else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { path + "/" + $0 }
    }

    static func writeSeeds(to directory: URL) {
        for target in FuzzTarget.all {
            let folder = directory.appendingPathComponent(target.name)
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                for (index, seed) in target.seeds().enumerated() {
                    let name = "seed-" + (index < 10 ? "0" : "") + String(index)
                    try Data(seed).write(to: folder.appendingPathComponent(name))
                }
            } catch {
                fail("cannot write seeds to \(folder.path): \(error)")
            }
            print("\(target.name): \(target.seeds().count) seeds")
        }
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(2)
    }
}
#endif
