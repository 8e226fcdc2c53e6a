import Foundation
import TokenCore

/// A deterministic ``RandomSource`` (SplitMix64) so failures reproduce.
final class SeededRandom: RandomSource, @unchecked Sendable {
    // A lock: `fill` is called from concurrent tests' tasks.
    private let lock = NSLock()
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    func next() -> UInt64 {
        lock.withLock {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    func fill(_ buffer: UnsafeMutableRawBufferPointer) throws(CryptoError) {
        for i in 0..<buffer.count { buffer[i] = UInt8(truncatingIfNeeded: next()) }
    }

    func int(below bound: Int) -> Int { Int(next() % UInt64(bound)) }

    func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) } }
}

/// A random source that always fails.
struct FailingRandom: RandomSource {
    func fill(_ buffer: UnsafeMutableRawBufferPointer) throws(CryptoError) {
        throw CryptoError(.randomUnavailable, "test")
    }
}

extension Date {
    init(ms: Int64) { self.init(unixMilliseconds: ms) }
}
