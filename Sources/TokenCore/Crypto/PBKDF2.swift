public import Foundation

/// PBKDF2 (RFC 8018 §5.2) with HMAC over any ``HashFunction`` as the pseudorandom function.
///
/// For storing passwords use ``PasswordHasher``, which adds a random salt, the OWASP iteration
/// count and a self-describing string. This type is the bare key-derivation function.
///
/// ```swift
/// let key = try PBKDF2<SHA256>.deriveKey(
///     from: Array("passwd".utf8), salt: Array("salt".utf8), iterations: 1, byteCount: 64)
/// ```
public enum PBKDF2<H: HashFunction> {
    /// The largest iteration count accepted: 2^32 − 1, the range RFC 8018 §4.2 has in mind and
    /// far beyond any sensible cost. Bounding *untrusted* counts is ``PasswordHasher``'s job.
    public static var maximumIterations: Int { Int(UInt32.max) }

    /// The longest derived key accepted, in bytes. RFC 8018 §5.2 allows (2^32 − 1)·hLen; every
    /// output block costs the full iteration count, so this primitive stops at 1 KiB.
    public static var maximumByteCount: Int { 1024 }

    /// Derives `byteCount` bytes from `password` and `salt` (RFC 8018 §5.2, PRF = HMAC-`H`).
    ///
    /// The password is the HMAC key, absorbed once; each iteration then costs two compression
    /// calls of `H` and no allocation.
    ///
    /// - Parameters:
    ///   - password: The password bytes (RFC 8018's P), used as the HMAC key; any length.
    ///   - salt: The salt (S); any length, though callers should use at least 16 random bytes.
    ///   - iterations: The iteration count (c), `1...maximumIterations`.
    ///   - byteCount: The derived key length (dkLen), `1...maximumByteCount`.
    /// - Returns: The derived key, `byteCount` bytes.
    /// - Throws: ``CryptoError/Code/invalidParameter`` when `iterations` or `byteCount` is out of range.
    public static func deriveKey(
        from password: some ContiguousBytes,
        salt: some ContiguousBytes,
        iterations: Int,
        byteCount: Int
    ) throws(CryptoError) -> [UInt8] {
        guard iterations >= 1, iterations <= maximumIterations else {
            throw CryptoError(.invalidParameter, "PBKDF2 iteration count must be between 1 and \(maximumIterations)")
        }
        guard byteCount >= 1, byteCount <= maximumByteCount else {
            throw CryptoError(.invalidParameter, "PBKDF2 output length must be between 1 and \(maximumByteCount) bytes")
        }
        let hLen = H.digestByteCount
        guard hLen >= 1 else {
            throw CryptoError(.invalidParameter, "PBKDF2 needs a hash function with a non-empty digest")
        }
        let prf = HMAC<H>(key: password)
        var output = [UInt8](repeating: 0, count: byteCount)
        salt.withUnsafeBytes { salt in
            output.withUnsafeMutableBytes { out in
                withUnsafeTemporaryAllocation(byteCount: 2 * hLen, alignment: 16) { scratch in
                    let u = UnsafeMutableRawBufferPointer(rebasing: scratch[0..<hLen])
                    let t = UnsafeMutableRawBufferPointer(rebasing: scratch[hLen..<(2 * hLen)])
                    var offset = 0
                    var blockIndex: UInt32 = 1
                    while offset < byteCount {
                        // U_1 = PRF(P, S ‖ INT(i)); T_i = U_1 ⊕ U_2 ⊕ … ⊕ U_c (RFC 8018 §5.2 step 3).
                        var mac = prf
                        mac.update(bufferPointer: salt)
                        var index = blockIndex.bigEndian
                        withUnsafeBytes(of: &index) { mac.update(bufferPointer: $0) }
                        mac.finalize(into: u)
                        t.copyMemory(from: UnsafeRawBufferPointer(u))
                        iterate(prf, u: u, t: t, count: iterations &- 1)
                        let take = min(hLen, byteCount &- offset)
                        (out.baseAddress! + offset).copyMemory(from: t.baseAddress!, byteCount: take) // safe: both buffers are non-empty (byteCount >= 1, hLen >= 1) and offset + take <= byteCount
                        offset &+= take
                        blockIndex &+= 1
                    }
                    scratch.initializeMemory(as: UInt8.self, repeating: 0)
                }
            }
        }
        return output
    }

    /// U_{j+1} = PRF(P, U_j) and T ^= U_{j+1}, `count` times; `u` ends as the last U.
    ///
    /// For the SHA-2 types this runs on raw compressions (``ChainingHash``); any other
    /// ``HashFunction`` goes through the generic HMAC, with the same result.
    private static func iterate(_ prf: HMAC<H>, u: UnsafeMutableRawBufferPointer, t: UnsafeMutableRawBufferPointer, count: Int) {
        if let prf = prf as? HMAC<SHA256> {
            PBKDF2<SHA256>.iterateCompressions(prf, u: u, t: t, count: count)
        } else if let prf = prf as? HMAC<SHA512> {
            PBKDF2<SHA512>.iterateCompressions(prf, u: u, t: t, count: count)
        } else if let prf = prf as? HMAC<SHA384> {
            PBKDF2<SHA384>.iterateCompressions(prf, u: u, t: t, count: count)
        } else {
            for _ in 0..<max(count, 0) {
                var next = prf
                next.update(bufferPointer: UnsafeRawBufferPointer(u))
                next.finalize(into: u)
                xor(t, u)
            }
        }
    }

    @inline(__always)
    private static func xor(_ target: UnsafeMutableRawBufferPointer, _ source: UnsafeMutableRawBufferPointer) {
        xorBytes(target, UnsafeRawBufferPointer(source))
    }
}

extension PBKDF2 where H: ChainingHash {
    /// The PBKDF2 inner loop as two compressions per iteration and nothing else.
    ///
    /// HMAC's inner and outer states have absorbed exactly one block (K0 ⊕ ipad, K0 ⊕ opad), so
    /// both remaining messages are one digest long: one final block each, `U ‖ 0x80 ‖ 0… ‖
    /// bit length of (block + digest)` (FIPS 180-4 §5.1). One block buffer serves both: the
    /// inner digest is written over U in place and the padding never changes.
    fileprivate static func iterateCompressions(_ prf: HMAC<H>, u: UnsafeMutableRawBufferPointer, t: UnsafeMutableRawBufferPointer, count: Int) {
        let blockCount = H.blockByteCount, digestCount = H.digestByteCount
        guard count > 0, prf.inner.bufferedByteCount == 0, prf.outer.bufferedByteCount == 0,
              digestCount + 1 + 8 <= blockCount else {
            for _ in 0..<max(count, 0) {
                var next = prf
                next.update(bufferPointer: UnsafeRawBufferPointer(u))
                next.finalize(into: u)
                xorBytes(t, UnsafeRawBufferPointer(u))
            }
            return
        }
        let innerStart = prf.inner.chaining, outerStart = prf.outer.chaining
        withUnsafeTemporaryAllocation(byteCount: blockCount, alignment: 16) { block in
            block.initializeMemory(as: UInt8.self, repeating: 0)
            let digest = UnsafeMutableRawBufferPointer(rebasing: block[0..<digestCount])
            digest.copyMemory(from: UnsafeRawBufferPointer(u))
            block[digestCount] = 0x80
            block.storeBytes(of: UInt64((blockCount + digestCount) * 8).bigEndian, toByteOffset: blockCount - 8, as: UInt64.self)
            let base = UnsafeRawPointer(block.baseAddress!) // safe: blockCount >= digestCount + 9 > 0
            for _ in 0..<count {
                var inner = innerStart
                H.compress(&inner, block: base)
                H.store(inner, into: digest)
                var outer = outerStart
                H.compress(&outer, block: base)
                H.store(outer, into: digest)
                xorBytes(t, UnsafeRawBufferPointer(digest))
            }
            u.copyMemory(from: UnsafeRawBufferPointer(digest))
            block.initializeMemory(as: UInt8.self, repeating: 0)
        }
    }
}

/// `target ^= source`, word by word where possible.
@inline(__always)
private func xorBytes(_ target: UnsafeMutableRawBufferPointer, _ source: UnsafeRawBufferPointer) {
    let count = min(target.count, source.count)
    var i = 0
    while i &+ 8 <= count {
        let x = target.loadUnaligned(fromByteOffset: i, as: UInt64.self)
        let y = source.loadUnaligned(fromByteOffset: i, as: UInt64.self)
        target.storeBytes(of: x ^ y, toByteOffset: i, as: UInt64.self)
        i &+= 8
    }
    while i < count {
        target[i] ^= source[i]
        i &+= 1
    }
}
