// HMAC-SHA256 of a message that sits in a buffer with room for its padding: the one-shot path of
// short, assembled messages (the signed dynamic token's canonical string), with no byte copied
// into a hash buffer and no hash state copied beyond the two 32-byte chaining values.

extension HMAC where H == SHA256 {
    /// The bytes a buffer needs to hold a `count`-byte message followed by its SHA-256 padding
    /// (FIPS 180-4 §5.1.1): the next multiple of 64 after `count + 8`.
    static func paddedByteCount(forMessageOf count: Int) -> Int {
        ((count &+ 8) / 64 &+ 1) &* 64
    }

    /// Writes the HMAC-SHA256 of the first `count` bytes of `buffer` into the first
    /// `min(output.count, 32)` bytes of `output`.
    ///
    /// The SHA-256 padding is written into `buffer` after the message, so the bytes from `count`
    /// to ``paddedByteCount(forMessageOf:)`` are overwritten; the message itself is untouched.
    /// The result equals `update` of those bytes then `finalize(into:)` (a test compares them
    /// at every length), which is also the path taken when the receiver has absorbed a partial
    /// block or `buffer` is too small for the padding.
    ///
    /// - Precondition: `0 <= count <= buffer.count` (an internal caller's arithmetic).
    func authenticationCode(ofFirst count: Int, paddingInPlace buffer: UnsafeMutableRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        precondition(count >= 0 && count <= buffer.count, "the message must lie within the buffer") // safe: internal; the one caller sizes the buffer from this count (no input reaches it)
        let padded = Self.paddedByteCount(forMessageOf: count)
        guard inner.bufferedCount == 0, outer.bufferedCount == 0, buffer.count >= padded, let base = buffer.baseAddress else {
            var mac = self
            mac.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer.prefix(count)))
            mac.finalize(into: output)
            return
        }
        // Inner hash: 0x80, zeros, the 64-bit big-endian bit length of ipad block + message.
        base.storeBytes(of: 0x80, toByteOffset: count, as: UInt8.self)
        (base + count + 1).initializeMemory(as: UInt8.self, repeating: 0, count: padded - 8 - count - 1)
        base.storeBytes(of: ((inner.totalBytes &+ UInt64(count)) &<< 3).bigEndian, toByteOffset: padded - 8, as: UInt64.self)
        var innerState = inner.state
        innerState.compress(UnsafeRawPointer(base), blockCount: padded / 64)
        // Outer hash: one block, the inner digest and the padding of opad block + 32 bytes.
        var block = BlockBuffer64()
        block.withMutableBytes { innerState.store(into: $0) }
        block.pad(at: 32)
        block.storeBigEndian((outer.totalBytes &+ 32) &<< 3, at: 56)
        var outerState = outer.state
        block.withBytes { outerState.compress($0, blockCount: 1) }
        outerState.store(into: output)
    }
}
