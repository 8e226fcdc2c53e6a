/// SHA-256 (FIPS 180-4 §6.2).
///
/// A small value type: eight state words, a 64-byte inline buffer for a partial block and a byte
/// count. Nothing is allocated per block, or at all except by the `[UInt8]`-returning
/// ``finalize()``; ``finalize(into:)`` writes the digest into caller memory.
///
/// ```swift
/// let digest = SHA256.hash(Array("abc".utf8))  // ba7816bf…
/// ```
public struct SHA256: HashFunction {
    /// 32 bytes.
    public static let digestByteCount = 32
    /// 64 bytes.
    public static let blockByteCount = 64
    /// `"sha256"`.
    public static let name = "sha256"

    var state: SHA256State
    var buffer: BlockBuffer64
    /// Bytes waiting in `buffer`; always `< 64` between calls.
    var bufferedCount: Int
    /// Total input length in bytes, modulo 2^64 (the length field holds bits modulo 2^64: FIPS 180-4 allows < 2^64 bits).
    var totalBytes: UInt64

    /// Starts a new SHA-256 computation with the initial hash value of FIPS 180-4 §5.3.3.
    public init() {
        state = SHA256State(
            0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a,
            0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
        )
        buffer = BlockBuffer64()
        bufferedCount = 0
        totalBytes = 0
    }

    /// Absorbs `input`. Whole blocks are compressed straight from the caller's memory.
    public mutating func update(bufferPointer input: UnsafeRawBufferPointer) {
        guard var base = input.baseAddress, input.count > 0 else { return }
        var remaining = input.count
        totalBytes &+= UInt64(truncatingIfNeeded: remaining)
        if bufferedCount > 0 {
            let take = min(64 &- bufferedCount, remaining)
            buffer.copy(from: base, count: take, at: bufferedCount)
            bufferedCount &+= take
            base += take
            remaining &-= take
            guard bufferedCount == 64 else { return }
            buffer.withBytes { state.compress($0, blockCount: 1) }
            bufferedCount = 0
        }
        let blocks = remaining &>> 6
        if blocks > 0 {
            state.compress(base, blockCount: blocks)
            base += blocks &<< 6
            remaining &= 63
        }
        if remaining > 0 {
            buffer.copy(from: base, count: remaining, at: 0)
            bufferedCount = remaining
        }
    }

    /// Returns the 32-byte digest of everything absorbed so far; the receiver is unchanged.
    public func finalize() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { out, initialized in
            finalize(into: UnsafeMutableRawBufferPointer(out))
            initialized = 32
        }
    }

    /// Writes the digest into `output` without allocating: the first `min(output.count, 32)`
    /// bytes of it. The receiver is unchanged.
    public func finalize(into output: UnsafeMutableRawBufferPointer) {
        var state = self.state
        var block = buffer
        // FIPS 180-4 §5.1.1: 0x80, zeros, then the 64-bit big-endian bit length.
        block.pad(at: bufferedCount)
        if bufferedCount >= 56 {
            block.withBytes { state.compress($0, blockCount: 1) }
            block.clear()
        }
        block.storeBigEndian(totalBytes &<< 3, at: 56)
        block.withBytes { state.compress($0, blockCount: 1) }
        state.store(into: output)
    }
}

extension SHA256: ChainingHash {
    var chaining: SHA256State { state }
    var bufferedByteCount: Int { bufferedCount }
    static func compress(_ chaining: inout SHA256State, block: UnsafeRawPointer) { chaining.compress(block, blockCount: 1) }
    static func store(_ chaining: SHA256State, into output: UnsafeMutableRawBufferPointer) { chaining.store(into: output) }
}

/// The eight 32-bit chaining words of SHA-256 and its compression function (FIPS 180-4 §6.2.2).
struct SHA256State: Sendable {
    var h0, h1, h2, h3, h4, h5, h6, h7: UInt32

    init(_ h0: UInt32, _ h1: UInt32, _ h2: UInt32, _ h3: UInt32,
         _ h4: UInt32, _ h5: UInt32, _ h6: UInt32, _ h7: UInt32) {
        (self.h0, self.h1, self.h2, self.h3, self.h4, self.h5, self.h6, self.h7) = (h0, h1, h2, h3, h4, h5, h6, h7)
    }

    /// Compresses `blockCount` consecutive 64-byte blocks at `blocks` (no alignment needed).
    ///
    /// The 64 rounds are unrolled with the round constants as immediates and the message
    /// schedule in sixteen locals (a rolling window over W, FIPS 180-4 §6.2.2 step 1), so the
    /// hot loop touches no array, no bounds check and no heap. Renaming the working variables
    /// in each call to `round256` replaces the eight-way shuffle of step 3.
    mutating func compress(_ blocks: UnsafeRawPointer, blockCount: Int) {
        var h0 = self.h0, h1 = self.h1, h2 = self.h2, h3 = self.h3
        var h4 = self.h4, h5 = self.h5, h6 = self.h6, h7 = self.h7
        var p = blocks
        for _ in 0..<blockCount {
            var a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7
            var w0 = load32(p, 0), w1 = load32(p, 1), w2 = load32(p, 2), w3 = load32(p, 3)
            var w4 = load32(p, 4), w5 = load32(p, 5), w6 = load32(p, 6), w7 = load32(p, 7)
            var w8 = load32(p, 8), w9 = load32(p, 9), w10 = load32(p, 10), w11 = load32(p, 11)
            var w12 = load32(p, 12), w13 = load32(p, 13), w14 = load32(p, 14), w15 = load32(p, 15)
            // Maj(a, b, c) = b ⊕ ((a ⊕ b) ∧ (b ⊕ c)); each round's a ⊕ b is the next round's b ⊕ c.
            var x0 = b ^ c, x1: UInt32 = 0
            round256(a, b, c, &d, e, f, g, &h, 0x428a_2f98, w0, &x1, x0)
            round256(h, a, b, &c, d, e, f, &g, 0x7137_4491, w1, &x0, x1)
            round256(g, h, a, &b, c, d, e, &f, 0xb5c0_fbcf, w2, &x1, x0)
            round256(f, g, h, &a, b, c, d, &e, 0xe9b5_dba5, w3, &x0, x1)
            round256(e, f, g, &h, a, b, c, &d, 0x3956_c25b, w4, &x1, x0)
            round256(d, e, f, &g, h, a, b, &c, 0x59f1_11f1, w5, &x0, x1)
            round256(c, d, e, &f, g, h, a, &b, 0x923f_82a4, w6, &x1, x0)
            round256(b, c, d, &e, f, g, h, &a, 0xab1c_5ed5, w7, &x0, x1)
            round256(a, b, c, &d, e, f, g, &h, 0xd807_aa98, w8, &x1, x0)
            round256(h, a, b, &c, d, e, f, &g, 0x1283_5b01, w9, &x0, x1)
            round256(g, h, a, &b, c, d, e, &f, 0x2431_85be, w10, &x1, x0)
            round256(f, g, h, &a, b, c, d, &e, 0x550c_7dc3, w11, &x0, x1)
            round256(e, f, g, &h, a, b, c, &d, 0x72be_5d74, w12, &x1, x0)
            round256(d, e, f, &g, h, a, b, &c, 0x80de_b1fe, w13, &x0, x1)
            round256(c, d, e, &f, g, h, a, &b, 0x9bdc_06a7, w14, &x1, x0)
            round256(b, c, d, &e, f, g, h, &a, 0xc19b_f174, w15, &x0, x1)
            w0 = schedule256(w0, w1, w9, w14)
            round256(a, b, c, &d, e, f, g, &h, 0xe49b_69c1, w0, &x1, x0)
            w1 = schedule256(w1, w2, w10, w15)
            round256(h, a, b, &c, d, e, f, &g, 0xefbe_4786, w1, &x0, x1)
            w2 = schedule256(w2, w3, w11, w0)
            round256(g, h, a, &b, c, d, e, &f, 0x0fc1_9dc6, w2, &x1, x0)
            w3 = schedule256(w3, w4, w12, w1)
            round256(f, g, h, &a, b, c, d, &e, 0x240c_a1cc, w3, &x0, x1)
            w4 = schedule256(w4, w5, w13, w2)
            round256(e, f, g, &h, a, b, c, &d, 0x2de9_2c6f, w4, &x1, x0)
            w5 = schedule256(w5, w6, w14, w3)
            round256(d, e, f, &g, h, a, b, &c, 0x4a74_84aa, w5, &x0, x1)
            w6 = schedule256(w6, w7, w15, w4)
            round256(c, d, e, &f, g, h, a, &b, 0x5cb0_a9dc, w6, &x1, x0)
            w7 = schedule256(w7, w8, w0, w5)
            round256(b, c, d, &e, f, g, h, &a, 0x76f9_88da, w7, &x0, x1)
            w8 = schedule256(w8, w9, w1, w6)
            round256(a, b, c, &d, e, f, g, &h, 0x983e_5152, w8, &x1, x0)
            w9 = schedule256(w9, w10, w2, w7)
            round256(h, a, b, &c, d, e, f, &g, 0xa831_c66d, w9, &x0, x1)
            w10 = schedule256(w10, w11, w3, w8)
            round256(g, h, a, &b, c, d, e, &f, 0xb003_27c8, w10, &x1, x0)
            w11 = schedule256(w11, w12, w4, w9)
            round256(f, g, h, &a, b, c, d, &e, 0xbf59_7fc7, w11, &x0, x1)
            w12 = schedule256(w12, w13, w5, w10)
            round256(e, f, g, &h, a, b, c, &d, 0xc6e0_0bf3, w12, &x1, x0)
            w13 = schedule256(w13, w14, w6, w11)
            round256(d, e, f, &g, h, a, b, &c, 0xd5a7_9147, w13, &x0, x1)
            w14 = schedule256(w14, w15, w7, w12)
            round256(c, d, e, &f, g, h, a, &b, 0x06ca_6351, w14, &x1, x0)
            w15 = schedule256(w15, w0, w8, w13)
            round256(b, c, d, &e, f, g, h, &a, 0x1429_2967, w15, &x0, x1)
            w0 = schedule256(w0, w1, w9, w14)
            round256(a, b, c, &d, e, f, g, &h, 0x27b7_0a85, w0, &x1, x0)
            w1 = schedule256(w1, w2, w10, w15)
            round256(h, a, b, &c, d, e, f, &g, 0x2e1b_2138, w1, &x0, x1)
            w2 = schedule256(w2, w3, w11, w0)
            round256(g, h, a, &b, c, d, e, &f, 0x4d2c_6dfc, w2, &x1, x0)
            w3 = schedule256(w3, w4, w12, w1)
            round256(f, g, h, &a, b, c, d, &e, 0x5338_0d13, w3, &x0, x1)
            w4 = schedule256(w4, w5, w13, w2)
            round256(e, f, g, &h, a, b, c, &d, 0x650a_7354, w4, &x1, x0)
            w5 = schedule256(w5, w6, w14, w3)
            round256(d, e, f, &g, h, a, b, &c, 0x766a_0abb, w5, &x0, x1)
            w6 = schedule256(w6, w7, w15, w4)
            round256(c, d, e, &f, g, h, a, &b, 0x81c2_c92e, w6, &x1, x0)
            w7 = schedule256(w7, w8, w0, w5)
            round256(b, c, d, &e, f, g, h, &a, 0x9272_2c85, w7, &x0, x1)
            w8 = schedule256(w8, w9, w1, w6)
            round256(a, b, c, &d, e, f, g, &h, 0xa2bf_e8a1, w8, &x1, x0)
            w9 = schedule256(w9, w10, w2, w7)
            round256(h, a, b, &c, d, e, f, &g, 0xa81a_664b, w9, &x0, x1)
            w10 = schedule256(w10, w11, w3, w8)
            round256(g, h, a, &b, c, d, e, &f, 0xc24b_8b70, w10, &x1, x0)
            w11 = schedule256(w11, w12, w4, w9)
            round256(f, g, h, &a, b, c, d, &e, 0xc76c_51a3, w11, &x0, x1)
            w12 = schedule256(w12, w13, w5, w10)
            round256(e, f, g, &h, a, b, c, &d, 0xd192_e819, w12, &x1, x0)
            w13 = schedule256(w13, w14, w6, w11)
            round256(d, e, f, &g, h, a, b, &c, 0xd699_0624, w13, &x0, x1)
            w14 = schedule256(w14, w15, w7, w12)
            round256(c, d, e, &f, g, h, a, &b, 0xf40e_3585, w14, &x1, x0)
            w15 = schedule256(w15, w0, w8, w13)
            round256(b, c, d, &e, f, g, h, &a, 0x106a_a070, w15, &x0, x1)
            w0 = schedule256(w0, w1, w9, w14)
            round256(a, b, c, &d, e, f, g, &h, 0x19a4_c116, w0, &x1, x0)
            w1 = schedule256(w1, w2, w10, w15)
            round256(h, a, b, &c, d, e, f, &g, 0x1e37_6c08, w1, &x0, x1)
            w2 = schedule256(w2, w3, w11, w0)
            round256(g, h, a, &b, c, d, e, &f, 0x2748_774c, w2, &x1, x0)
            w3 = schedule256(w3, w4, w12, w1)
            round256(f, g, h, &a, b, c, d, &e, 0x34b0_bcb5, w3, &x0, x1)
            w4 = schedule256(w4, w5, w13, w2)
            round256(e, f, g, &h, a, b, c, &d, 0x391c_0cb3, w4, &x1, x0)
            w5 = schedule256(w5, w6, w14, w3)
            round256(d, e, f, &g, h, a, b, &c, 0x4ed8_aa4a, w5, &x0, x1)
            w6 = schedule256(w6, w7, w15, w4)
            round256(c, d, e, &f, g, h, a, &b, 0x5b9c_ca4f, w6, &x1, x0)
            w7 = schedule256(w7, w8, w0, w5)
            round256(b, c, d, &e, f, g, h, &a, 0x682e_6ff3, w7, &x0, x1)
            w8 = schedule256(w8, w9, w1, w6)
            round256(a, b, c, &d, e, f, g, &h, 0x748f_82ee, w8, &x1, x0)
            w9 = schedule256(w9, w10, w2, w7)
            round256(h, a, b, &c, d, e, f, &g, 0x78a5_636f, w9, &x0, x1)
            w10 = schedule256(w10, w11, w3, w8)
            round256(g, h, a, &b, c, d, e, &f, 0x84c8_7814, w10, &x1, x0)
            w11 = schedule256(w11, w12, w4, w9)
            round256(f, g, h, &a, b, c, d, &e, 0x8cc7_0208, w11, &x0, x1)
            w12 = schedule256(w12, w13, w5, w10)
            round256(e, f, g, &h, a, b, c, &d, 0x90be_fffa, w12, &x1, x0)
            w13 = schedule256(w13, w14, w6, w11)
            round256(d, e, f, &g, h, a, b, &c, 0xa450_6ceb, w13, &x0, x1)
            w14 = schedule256(w14, w15, w7, w12)
            round256(c, d, e, &f, g, h, a, &b, 0xbef9_a3f7, w14, &x1, x0)
            w15 = schedule256(w15, w0, w8, w13)
            round256(b, c, d, &e, f, g, h, &a, 0xc671_78f2, w15, &x0, x1)
            h0 &+= a; h1 &+= b; h2 &+= c; h3 &+= d
            h4 &+= e; h5 &+= f; h6 &+= g; h7 &+= h
            p += 64
        }
        (self.h0, self.h1, self.h2, self.h3, self.h4, self.h5, self.h6, self.h7) = (h0, h1, h2, h3, h4, h5, h6, h7)
    }

    /// Writes the big-endian chaining words, truncated to `output.count` bytes.
    func store(into output: UnsafeMutableRawBufferPointer) {
        var words = (h0.bigEndian, h1.bigEndian, h2.bigEndian, h3.bigEndian,
                     h4.bigEndian, h5.bigEndian, h6.bigEndian, h7.bigEndian)
        withUnsafeBytes(of: &words) { bytes in
            guard let target = output.baseAddress, let source = bytes.baseAddress else { return }
            target.copyMemory(from: source, byteCount: min(output.count, 32))
        }
    }
}

// MARK: - Round functions (FIPS 180-4 §4.1.2)

@inline(__always)
private func load32(_ p: UnsafeRawPointer, _ index: Int) -> UInt32 {
    UInt32(bigEndian: p.loadUnaligned(fromByteOffset: index &<< 2, as: UInt32.self))
}

@inline(__always)
private func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x &>> n) | (x &<< (32 &- n)) }

/// One round: `d += T1`, `h = T1 + T2`. The caller rotates the roles of a…h between rounds and
/// hands `a ⊕ b` on as the next round's `b ⊕ c`.
@inline(__always)
private func round256(
    _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
    _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32,
    _ k: UInt32, _ w: UInt32, _ aXorB: inout UInt32, _ bXorC: UInt32
) {
    // Σ1(e) = ROTR⁶ ⊕ ROTR¹¹ ⊕ ROTR²⁵ and Σ0(a) = ROTR² ⊕ ROTR¹³ ⊕ ROTR²², nested so that x86
    // needs one copy of the input instead of three.
    let bigSigma1 = rotr(rotr(rotr(e, 14) ^ e, 5) ^ e, 6)
    let choose = g ^ (e & (f ^ g))
    let t1 = h &+ bigSigma1 &+ choose &+ (k &+ w)
    let bigSigma0 = rotr(rotr(rotr(a, 9) ^ a, 11) ^ a, 2)
    aXorB = a ^ b
    let majority = b ^ (aXorB & bXorC)
    d &+= t1
    h = t1 &+ bigSigma0 &+ majority
}

/// The next schedule word W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16], in the rolling window.
@inline(__always)
private func schedule256(_ w16: UInt32, _ w15: UInt32, _ w7: UInt32, _ w2: UInt32) -> UInt32 {
    // σ0 = ROTR⁷ ⊕ ROTR¹⁸ ⊕ SHR³ and σ1 = ROTR¹⁷ ⊕ ROTR¹⁹ ⊕ SHR¹⁰, rotations nested as in the rounds.
    let sigma0 = rotr(rotr(w15, 11) ^ w15, 7) ^ (w15 &>> 3)
    let sigma1 = rotr(rotr(w2, 2) ^ w2, 17) ^ (w2 &>> 10)
    return w16 &+ sigma0 &+ w7 &+ sigma1
}
