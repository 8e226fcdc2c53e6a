#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One fuzz target: a name for `FUZZ_TARGET` / the replay driver, and the function libFuzzer
/// calls with each input.
///
/// A target must never crash on its own: the library code it calls answers every input with a
/// value or a thrown error. Where the code under test promises more than "no crash", the target
/// checks it with ``invariant(_:_:)``, which aborts (a finding libFuzzer records as a crash).
struct FuzzTarget: Sendable {
    var name: String
    /// What the target feeds and what it asserts, for `--list` and Docs/Fuzzing.md.
    var summary: String
    var run: @Sendable (UnsafeRawBufferPointer) -> Void
    /// Small valid inputs made with the project's own code: `FuzzTargets --write-seeds` writes
    /// them to Fuzz/corpus/<name>/.
    var seeds: @Sendable () -> [[UInt8]]

    /// Every target, in the order `scripts/fuzz.sh all` runs them.
    static let all: [FuzzTarget] = [
        HTTPRequestFuzzTarget.target,
        JWTHMACFuzzTarget.target,
        JWTECDSAFuzzTarget.target,
        LegacyDynamicTokenFuzzTarget.target,
        SignedDynamicTokenFuzzTarget.target,
        JWKFuzzTarget.target,
        PEMDERFuzzTarget.target,
        JSONFuzzTarget.target,
    ]

    static func named(_ name: String) -> FuzzTarget? {
        all.first { $0.name == name }
    }
}

/// Aborts with `message` on standard error when `condition` is false: a broken invariant is a
/// finding, and libFuzzer saves the input that caused it.
func invariant(_ condition: Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) {
    guard !condition else { return }
    let text = "INVARIANT VIOLATED (\(file):\(line)): \(message())\n"
    _ = text.utf8CString.withUnsafeBufferPointer { buffer in
        write(2, buffer.baseAddress, buffer.count - 1)
    }
    abort()
}
