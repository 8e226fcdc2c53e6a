public import Foundation

/// A cryptographic hash function with a streaming interface (FIPS 180-4 shapes).
///
/// Conforming types are small value types: copying one forks the running state, which is how
/// ``HMAC`` keeps its keyed inner and outer states and reuses them for every message.
///
/// ```swift
/// var hasher = SHA256()
/// hasher.update(header)
/// hasher.update(payload)
/// let digest = hasher.finalize()
/// ```
public protocol HashFunction: Sendable {
    /// Size of the digest in bytes (32 for SHA-256).
    static var digestByteCount: Int { get }
    /// Size of one input block in bytes (64 for SHA-256, 128 for SHA-384/512); HMAC pads keys to it.
    static var blockByteCount: Int { get }
    /// A name for diagnostics and self-describing formats, such as `"sha256"`.
    static var name: String { get }

    /// Starts a new hash computation.
    init()

    /// Absorbs bytes. May be called any number of times, with any lengths, including zero.
    mutating func update(bufferPointer: UnsafeRawBufferPointer)

    /// Returns the digest of everything absorbed so far. The receiver is not modified, so a caller
    /// may finalize a copy and keep updating the original.
    func finalize() -> [UInt8]

    /// Writes the digest of everything absorbed so far into `output`, without allocating: the
    /// first `min(output.count, digestByteCount)` bytes of it. The receiver is not modified.
    ///
    /// The SHA-2 types implement this directly; the default implementation copies from
    /// ``finalize()``, so existing conformers keep working.
    func finalize(into output: UnsafeMutableRawBufferPointer)
}

extension HashFunction {
    /// Default: copies the prefix of ``finalize()`` into `output`.
    public func finalize(into output: UnsafeMutableRawBufferPointer) {
        let digest = finalize()
        digest.withUnsafeBytes { bytes in
            guard let target = output.baseAddress, let source = bytes.baseAddress else { return }
            target.copyMemory(from: source, byteCount: Swift.min(output.count, bytes.count))
        }
    }

    /// Absorbs the bytes of any contiguous byte container (`[UInt8]`, `Data`, `ArraySlice`).
    @inlinable
    public mutating func update(_ data: some ContiguousBytes) {
        data.withUnsafeBytes { self.update(bufferPointer: $0) }
    }

    /// Absorbs the UTF-8 bytes of a string.
    public mutating func update(_ string: String) {
        var string = string
        string.withUTF8 { self.update(bufferPointer: UnsafeRawBufferPointer($0)) }
    }

    /// Hashes `data` in one call.
    @inlinable
    public static func hash(_ data: some ContiguousBytes) -> [UInt8] {
        var hasher = Self()
        hasher.update(data)
        return hasher.finalize()
    }

    /// Hashes the UTF-8 bytes of `string` in one call.
    public static func hash(_ string: String) -> [UInt8] {
        var hasher = Self()
        hasher.update(string)
        return hasher.finalize()
    }
}

// MARK: - Chaining access for PBKDF2

/// A Merkle–Damgård hash whose state between whole blocks is a chaining value that can be
/// compressed directly. PBKDF2 uses it to run its inner loop as two raw compressions per
/// iteration; the SHA-2 types conform. Internal: not part of the public protocol.
protocol ChainingHash: HashFunction {
    associatedtype Chaining
    /// The chaining value; meaningful only when no partial block is buffered.
    var chaining: Chaining { get }
    /// Bytes buffered beyond the last whole block.
    var bufferedByteCount: Int { get }
    /// Compresses one block at `block` into `chaining`.
    static func compress(_ chaining: inout Chaining, block: UnsafeRawPointer)
    /// Writes the big-endian chaining value, truncated to `output.count` bytes.
    static func store(_ chaining: Chaining, into output: UnsafeMutableRawBufferPointer)
}
