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
public struct HMAC<H: HashFunction>: Sendable {
    @usableFromInline var inner: H
    @usableFromInline var outer: H

    /// Prepares an HMAC with `key`. Keys longer than the hash block are hashed first (RFC 2104 §2).
    ///
    /// Key-length policy (for example RFC 7518 §3.2's minimum for JWS) is the caller's: this
    /// primitive accepts any key, as RFC 2104 does.
    public init(key: some ContiguousBytes) {
        var block = [UInt8](repeating: 0, count: H.blockByteCount)
        key.withUnsafeBytes { raw in
            if raw.count > H.blockByteCount {
                var hasher = H()
                hasher.update(bufferPointer: raw)
                let digest = hasher.finalize()
                block.replaceSubrange(0..<digest.count, with: digest)
            } else if raw.count > 0 {
                block.replaceSubrange(0..<raw.count, with: raw)
            }
        }
        var inner = H()
        var outer = H()
        var padded = block
        for i in padded.indices { padded[i] = block[i] ^ 0x36 }
        inner.update(padded)
        for i in padded.indices { padded[i] = block[i] ^ 0x5c }
        outer.update(padded)
        // Wipe the key-derived copies; the states above hold only their compressions.
        for i in padded.indices { padded[i] = 0; block[i] = 0 }
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
        data.withUnsafeBytes { inner.update(bufferPointer: $0) }
    }

    /// Absorbs the UTF-8 bytes of a string.
    public mutating func update(_ string: String) {
        inner.update(string)
    }

    /// Returns the authentication code of everything absorbed so far.
    public func finalize() -> [UInt8] {
        let innerDigest = inner.finalize()
        var outer = self.outer
        outer.update(innerDigest)
        return outer.finalize()
    }

    /// Returns whether `code` is the authentication code of everything absorbed so far, comparing
    /// in constant time (``ConstantTime/isEqual(_:_:)``).
    public func isValidAuthenticationCode(_ code: some ContiguousBytes) -> Bool {
        ConstantTime.isEqual(finalize(), code)
    }

    /// One-shot HMAC of `message` under `key`.
    public static func authenticationCode(for message: some ContiguousBytes, using key: some ContiguousBytes) -> [UInt8] {
        var mac = HMAC(key: key)
        mac.update(message)
        return mac.finalize()
    }

    /// One-shot check that `code` authenticates `message` under `key`, in constant time.
    public static func isValidAuthenticationCode(
        _ code: some ContiguousBytes, for message: some ContiguousBytes, using key: some ContiguousBytes
    ) -> Bool {
        var mac = HMAC(key: key)
        mac.update(message)
        return mac.isValidAuthenticationCode(code)
    }
}
