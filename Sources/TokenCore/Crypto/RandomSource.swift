#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A source of random bytes. Injected wherever the project needs randomness, so tests can be
/// deterministic; production code uses ``SystemRandomSource``.
public protocol RandomSource: Sendable {
    /// Fills `buffer` entirely with random bytes, or throws. Never fills partially and returns.
    func fill(_ buffer: UnsafeMutableRawBufferPointer) throws(CryptoError)
}

extension RandomSource {
    /// Returns `count` random bytes.
    ///
    /// - Parameter count: How many bytes, zero or more.
    /// - Returns: `count` bytes from ``fill(_:)``.
    /// - Throws: ``CryptoError/Code/invalidParameter`` for a negative count; whatever
    ///   ``fill(_:)`` throws, typically ``CryptoError/Code/randomUnavailable``.
    public func bytes(count: Int) throws(CryptoError) -> [UInt8] {
        guard count >= 0 else { throw CryptoError(.invalidParameter, "negative byte count requested") }
        var out = [UInt8](repeating: 0, count: count)
        var failure: CryptoError?
        out.withUnsafeMutableBytes { raw in
            do throws(CryptoError) { try fill(raw) } catch { failure = error }
        }
        if let failure { throw failure }
        return out
    }
}

/// The operating system's cryptographically secure generator.
///
/// - Linux: `getentropy(3)` (glibc's wrapper over the `getrandom(2)` system call, which blocks
///   only until the kernel pool is first initialised), in chunks of at most 256 bytes, its limit.
/// - Apple platforms: `arc4random_buf(3)`, which cannot fail.
///
/// A failure is reported as ``CryptoError/Code/randomUnavailable``; there is never a fallback to
/// a weaker generator.
public struct SystemRandomSource: RandomSource {
    /// Creates the system source; it holds no state.
    public init() {}

    /// Fills `buffer` from the operating system.
    ///
    /// - Throws: ``CryptoError/Code/randomUnavailable`` when the system call fails.
    public func fill(_ buffer: UnsafeMutableRawBufferPointer) throws(CryptoError) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        #if canImport(Darwin)
        arc4random_buf(base, buffer.count)
        #else
        var filled = 0
        while filled < buffer.count {
            let chunk = min(256, buffer.count - filled)
            guard getentropy(base + filled, chunk) == 0 else {
                throw CryptoError(.randomUnavailable, "getentropy failed with errno \(errno)")
            }
            filled += chunk
        }
        #endif
    }
}
