public import Foundation

/// HMAC (RFC 2104) over any ``HashFunction``.
///
/// Initialising with a key absorbs the padded key into the inner and outer hash states once.
/// An `HMAC` value is therefore a reusable *keyed prototype*: copy it for each message, so the
/// per-message cost is only the message and two finalisations.
///
/// ```swift
/// let mac = HMAC<SHA256>(key: secret)        // once, at configuration
/// var m = mac                                 // per message
/// m.update(signingInput)
/// let tag = m.finalize()
/// ```
///
/// Verification compares the full-length code in constant time; truncated codes are rejected.
public struct HMAC<H: HashFunction>: Sendable {
    var inner: H
    var outer: H

    /// Prepares an HMAC with `key`. Keys longer than the hash block are hashed first (RFC 2104 §2).
    ///
    /// Key-length policy (for example RFC 7518 §3.2's minimum for JWS) is the caller's: this
    /// primitive accepts any key, as RFC 2104 does. Nothing is allocated on the heap; the padded
    /// key copies live on the stack and are zeroed before returning.
    ///
    /// - Parameter key: The secret key, of any length.
    public init(key: some ContiguousBytes) {
        self = key.withUnsafeBytes { HMAC(rawKey: $0) }
    }

    init(rawKey key: UnsafeRawBufferPointer) {
        let blockCount = H.blockByteCount
        var inner = H()
        var outer = H()
        // K0 (RFC 2104 §2 step 1): the key, or its digest when longer than a block, zero-padded.
        withUnsafeTemporaryAllocation(byteCount: blockCount, alignment: 16) { block in
            block.initializeMemory(as: UInt8.self, repeating: 0)
            if key.count > blockCount {
                var hasher = H()
                hasher.update(bufferPointer: key)
                hasher.finalize(into: block)
            } else if let source = key.baseAddress, let target = block.baseAddress {
                target.copyMemory(from: source, byteCount: key.count)
            }
            for i in 0..<blockCount { block[i] ^= 0x36 }
            inner.update(bufferPointer: UnsafeRawBufferPointer(block))
            for i in 0..<blockCount { block[i] ^= 0x36 ^ 0x5c }
            outer.update(bufferPointer: UnsafeRawBufferPointer(block))
            // Wipe the key-derived block; the states above hold only its compression.
            for i in 0..<blockCount { block[i] = 0 }
        }
        self.inner = inner
        self.outer = outer
    }

    /// Absorbs message bytes.
    public mutating func update(bufferPointer: UnsafeRawBufferPointer) {
        inner.update(bufferPointer: bufferPointer)
    }

    /// Absorbs message bytes from any contiguous container.
    @inlinable
    public mutating func update(_ data: some ContiguousBytes) {
        data.withUnsafeBytes { update(bufferPointer: $0) }
    }

    /// Absorbs the UTF-8 bytes of a string.
    public mutating func update(_ string: String) {
        inner.update(string)
    }

    /// Returns the authentication code of everything absorbed so far.
    public func finalize() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: H.digestByteCount) { out, initialized in
            finalize(into: UnsafeMutableRawBufferPointer(out))
            initialized = H.digestByteCount
        }
    }

    /// Writes the authentication code of everything absorbed so far into `output` without
    /// allocating: its first `min(output.count, H.digestByteCount)` bytes. The receiver is
    /// unchanged, so it can keep absorbing.
    public func finalize(into output: UnsafeMutableRawBufferPointer) {
        // H(K0 ⊕ opad ‖ H(K0 ⊕ ipad ‖ text)), RFC 2104 §2 steps 5–7.
        if H.digestByteCount <= 64 {
            var innerDigest = BlockBuffer64()
            innerDigest.withMutableBytes { digest in
                let used = UnsafeMutableRawBufferPointer(rebasing: digest.prefix(H.digestByteCount))
                finishOuter(into: output, innerDigest: used)
            }
        } else {
            withUnsafeTemporaryAllocation(byteCount: H.digestByteCount, alignment: 16) { digest in
                finishOuter(into: output, innerDigest: digest)
            }
        }
    }

    @inline(__always)
    private func finishOuter(into output: UnsafeMutableRawBufferPointer, innerDigest: UnsafeMutableRawBufferPointer) {
        inner.finalize(into: innerDigest)
        var outer = self.outer
        outer.update(bufferPointer: UnsafeRawBufferPointer(innerDigest))
        outer.finalize(into: output)
    }

    /// Returns whether `code` is the authentication code of everything absorbed so far, comparing
    /// in constant time (``ConstantTime/isEqual(_:_:)``).
    ///
    /// - Parameter code: The full-length code to check; a truncated or longer code is invalid.
    /// - Returns: `true` only when `code` equals the computed code byte for byte.
    public func isValidAuthenticationCode(_ code: some ContiguousBytes) -> Bool {
        if H.digestByteCount <= 64 {
            var computed = BlockBuffer64()
            return computed.withMutableBytes { digest in
                let used = UnsafeMutableRawBufferPointer(rebasing: digest.prefix(H.digestByteCount))
                finalize(into: used)
                return code.withUnsafeBytes { ConstantTime.isEqual(UnsafeRawBufferPointer(used), $0) }
            }
        }
        return ConstantTime.isEqual(finalize(), code)
    }

    /// One-shot HMAC of `message` under `key`.
    ///
    /// - Parameters:
    ///   - message: The bytes to authenticate.
    ///   - key: The secret key.
    /// - Returns: The `H.digestByteCount`-byte authentication code.
    public static func authenticationCode(for message: some ContiguousBytes, using key: some ContiguousBytes) -> [UInt8] {
        var mac = HMAC(key: key)
        mac.update(message)
        return mac.finalize()
    }

    /// One-shot check that `code` authenticates `message` under `key`, in constant time.
    ///
    /// - Parameters:
    ///   - code: The full-length code to check.
    ///   - message: The authenticated bytes.
    ///   - key: The secret key.
    /// - Returns: `true` only when `code` is exactly the HMAC of `message` under `key`.
    public static func isValidAuthenticationCode(
        _ code: some ContiguousBytes, for message: some ContiguousBytes, using key: some ContiguousBytes
    ) -> Bool {
        var mac = HMAC(key: key)
        mac.update(message)
        return mac.isValidAuthenticationCode(code)
    }
}
