/// SHA-512 (FIPS 180-4 §6.4).
///
/// Same shape as ``SHA256``: inline state and a 128-byte inline block buffer, no allocation per
/// block; ``finalize(into:)`` writes the digest into caller memory.
public struct SHA512: HashFunction {
    /// 64 bytes.
    public static let digestByteCount = 64
    /// 128 bytes.
    public static let blockByteCount = 128
    /// `"sha512"`.
    public static let name = "sha512"

    var engine: SHA512Engine

    /// Starts a new SHA-512 computation with the initial hash value of FIPS 180-4 §5.3.5.
    public init() {
        engine = SHA512Engine(initialState: SHA512State(
            0x6a09_e667_f3bc_c908, 0xbb67_ae85_84ca_a73b, 0x3c6e_f372_fe94_f82b, 0xa54f_f53a_5f1d_36f1,
            0x510e_527f_ade6_82d1, 0x9b05_688c_2b3e_6c1f, 0x1f83_d9ab_fb41_bd6b, 0x5be0_cd19_137e_2179
        ))
    }

    /// Absorbs `input`.
    public mutating func update(bufferPointer input: UnsafeRawBufferPointer) { engine.update(input) }

    /// Returns the 64-byte digest of everything absorbed so far; the receiver is unchanged.
    public func finalize() -> [UInt8] { engine.finalize(digestByteCount: 64) }

    /// Writes the first `min(output.count, 64)` digest bytes into `output` without allocating.
    public func finalize(into output: UnsafeMutableRawBufferPointer) {
        engine.finalize(into: output, digestByteCount: 64)
    }
}

/// SHA-384 (FIPS 180-4 §6.5): SHA-512 with other initial values, truncated to 48 bytes.
public struct SHA384: HashFunction {
    /// 48 bytes.
    public static let digestByteCount = 48
    /// 128 bytes.
    public static let blockByteCount = 128
    /// `"sha384"`.
    public static let name = "sha384"

    var engine: SHA512Engine

    /// Starts a new SHA-384 computation with the initial hash value of FIPS 180-4 §5.3.4.
    public init() {
        engine = SHA512Engine(initialState: SHA512State(
            0xcbbb_9d5d_c105_9ed8, 0x629a_292a_367c_d507, 0x9159_015a_3070_dd17, 0x152f_ecd8_f70e_5939,
            0x6733_2667_ffc0_0b31, 0x8eb4_4a87_6858_1511, 0xdb0c_2e0d_64f9_8fa7, 0x47b5_481d_befa_4fa4
        ))
    }

    /// Absorbs `input`.
    public mutating func update(bufferPointer input: UnsafeRawBufferPointer) { engine.update(input) }

    /// Returns the 48-byte digest of everything absorbed so far; the receiver is unchanged.
    public func finalize() -> [UInt8] { engine.finalize(digestByteCount: 48) }

    /// Writes the first `min(output.count, 48)` digest bytes into `output` without allocating.
    public func finalize(into output: UnsafeMutableRawBufferPointer) {
        engine.finalize(into: output, digestByteCount: 48)
    }
}

extension SHA512: ChainingHash {
    var chaining: SHA512State { engine.state }
    var bufferedByteCount: Int { engine.bufferedCount }
    static func compress(_ chaining: inout SHA512State, block: UnsafeRawPointer) { chaining.compress(block, blockCount: 1) }
    static func store(_ chaining: SHA512State, into output: UnsafeMutableRawBufferPointer) { chaining.store(into: output) }
}

extension SHA384: ChainingHash {
    var chaining: SHA512State { engine.state }
    var bufferedByteCount: Int { engine.bufferedCount }
    static func compress(_ chaining: inout SHA512State, block: UnsafeRawPointer) { chaining.compress(block, blockCount: 1) }
    static func store(_ chaining: SHA512State, into output: UnsafeMutableRawBufferPointer) { chaining.store(into: output) }
}

/// The block engine shared by SHA-384 and SHA-512.
struct SHA512Engine: Sendable {
    var state: SHA512State
    var buffer = BlockBuffer128()
    /// Bytes waiting in `buffer`; always `< 128` between calls.
    var bufferedCount = 0
    /// Total input length in bytes modulo 2^64. FIPS 180-4 allows 2^128 bits; the length field's
    /// high word carries the three bits shifted out of this count.
    var totalBytes: UInt64 = 0

    init(initialState: SHA512State) { state = initialState }

    mutating func update(_ input: UnsafeRawBufferPointer) {
        guard var base = input.baseAddress, input.count > 0 else { return }
        var remaining = input.count
        totalBytes &+= UInt64(truncatingIfNeeded: remaining)
        if bufferedCount > 0 {
            let take = min(128 &- bufferedCount, remaining)
            buffer.copy(from: base, count: take, at: bufferedCount)
            bufferedCount &+= take
            base += take
            remaining &-= take
            guard bufferedCount == 128 else { return }
            buffer.withBytes { state.compress($0, blockCount: 1) }
            bufferedCount = 0
        }
        let blocks = remaining &>> 7
        if blocks > 0 {
            state.compress(base, blockCount: blocks)
            base += blocks &<< 7
            remaining &= 127
        }
        if remaining > 0 {
            buffer.copy(from: base, count: remaining, at: 0)
            bufferedCount = remaining
        }
    }

    func finalize(digestByteCount: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: digestByteCount) { out, initialized in
            finalize(into: UnsafeMutableRawBufferPointer(out), digestByteCount: digestByteCount)
            initialized = digestByteCount
        }
    }

    func finalize(into output: UnsafeMutableRawBufferPointer, digestByteCount: Int) {
        var state = self.state
        var block = buffer
        // FIPS 180-4 §5.1.2: 0x80, zeros, then the 128-bit big-endian bit length.
        block.pad(at: bufferedCount)
        if bufferedCount >= 112 {
            block.withBytes { state.compress($0, blockCount: 1) }
            block.clear()
        }
        block.storeBigEndian(totalBytes &>> 61, at: 112)
        block.storeBigEndian(totalBytes &<< 3, at: 120)
        block.withBytes { state.compress($0, blockCount: 1) }
        state.store(into: UnsafeMutableRawBufferPointer(rebasing: output.prefix(digestByteCount)))
    }
}

/// The eight 64-bit chaining words of SHA-512 and its compression function (FIPS 180-4 §6.4.2).
struct SHA512State: Sendable {
    var h0, h1, h2, h3, h4, h5, h6, h7: UInt64

    init(_ h0: UInt64, _ h1: UInt64, _ h2: UInt64, _ h3: UInt64,
         _ h4: UInt64, _ h5: UInt64, _ h6: UInt64, _ h7: UInt64) {
        (self.h0, self.h1, self.h2, self.h3, self.h4, self.h5, self.h6, self.h7) = (h0, h1, h2, h3, h4, h5, h6, h7)
    }

    /// Compresses `blockCount` consecutive 128-byte blocks at `blocks` (no alignment needed).
    ///
    /// Unrolled like ``SHA256State/compress(_:blockCount:)``: 80 rounds with immediate
    /// constants and a sixteen-local rolling message schedule.
    mutating func compress(_ blocks: UnsafeRawPointer, blockCount: Int) {
        var h0 = self.h0, h1 = self.h1, h2 = self.h2, h3 = self.h3
        var h4 = self.h4, h5 = self.h5, h6 = self.h6, h7 = self.h7
        var p = blocks
        for _ in 0..<blockCount {
            var a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7
            var w0 = load64(p, 0), w1 = load64(p, 1), w2 = load64(p, 2), w3 = load64(p, 3)
            var w4 = load64(p, 4), w5 = load64(p, 5), w6 = load64(p, 6), w7 = load64(p, 7)
            var w8 = load64(p, 8), w9 = load64(p, 9), w10 = load64(p, 10), w11 = load64(p, 11)
            var w12 = load64(p, 12), w13 = load64(p, 13), w14 = load64(p, 14), w15 = load64(p, 15)
            // Maj(a, b, c) = b ⊕ ((a ⊕ b) ∧ (b ⊕ c)); each round's a ⊕ b is the next round's b ⊕ c.
            var x0 = b ^ c, x1: UInt64 = 0
            round512(a, b, c, &d, e, f, g, &h, 0x428a_2f98_d728_ae22, w0, &x1, x0)
            round512(h, a, b, &c, d, e, f, &g, 0x7137_4491_23ef_65cd, w1, &x0, x1)
            round512(g, h, a, &b, c, d, e, &f, 0xb5c0_fbcf_ec4d_3b2f, w2, &x1, x0)
            round512(f, g, h, &a, b, c, d, &e, 0xe9b5_dba5_8189_dbbc, w3, &x0, x1)
            round512(e, f, g, &h, a, b, c, &d, 0x3956_c25b_f348_b538, w4, &x1, x0)
            round512(d, e, f, &g, h, a, b, &c, 0x59f1_11f1_b605_d019, w5, &x0, x1)
            round512(c, d, e, &f, g, h, a, &b, 0x923f_82a4_af19_4f9b, w6, &x1, x0)
            round512(b, c, d, &e, f, g, h, &a, 0xab1c_5ed5_da6d_8118, w7, &x0, x1)
            round512(a, b, c, &d, e, f, g, &h, 0xd807_aa98_a303_0242, w8, &x1, x0)
            round512(h, a, b, &c, d, e, f, &g, 0x1283_5b01_4570_6fbe, w9, &x0, x1)
            round512(g, h, a, &b, c, d, e, &f, 0x2431_85be_4ee4_b28c, w10, &x1, x0)
            round512(f, g, h, &a, b, c, d, &e, 0x550c_7dc3_d5ff_b4e2, w11, &x0, x1)
            round512(e, f, g, &h, a, b, c, &d, 0x72be_5d74_f27b_896f, w12, &x1, x0)
            round512(d, e, f, &g, h, a, b, &c, 0x80de_b1fe_3b16_96b1, w13, &x0, x1)
            round512(c, d, e, &f, g, h, a, &b, 0x9bdc_06a7_25c7_1235, w14, &x1, x0)
            round512(b, c, d, &e, f, g, h, &a, 0xc19b_f174_cf69_2694, w15, &x0, x1)
            w0 = schedule512(w0, w1, w9, w14)
            round512(a, b, c, &d, e, f, g, &h, 0xe49b_69c1_9ef1_4ad2, w0, &x1, x0)
            w1 = schedule512(w1, w2, w10, w15)
            round512(h, a, b, &c, d, e, f, &g, 0xefbe_4786_384f_25e3, w1, &x0, x1)
            w2 = schedule512(w2, w3, w11, w0)
            round512(g, h, a, &b, c, d, e, &f, 0x0fc1_9dc6_8b8c_d5b5, w2, &x1, x0)
            w3 = schedule512(w3, w4, w12, w1)
            round512(f, g, h, &a, b, c, d, &e, 0x240c_a1cc_77ac_9c65, w3, &x0, x1)
            w4 = schedule512(w4, w5, w13, w2)
            round512(e, f, g, &h, a, b, c, &d, 0x2de9_2c6f_592b_0275, w4, &x1, x0)
            w5 = schedule512(w5, w6, w14, w3)
            round512(d, e, f, &g, h, a, b, &c, 0x4a74_84aa_6ea6_e483, w5, &x0, x1)
            w6 = schedule512(w6, w7, w15, w4)
            round512(c, d, e, &f, g, h, a, &b, 0x5cb0_a9dc_bd41_fbd4, w6, &x1, x0)
            w7 = schedule512(w7, w8, w0, w5)
            round512(b, c, d, &e, f, g, h, &a, 0x76f9_88da_8311_53b5, w7, &x0, x1)
            w8 = schedule512(w8, w9, w1, w6)
            round512(a, b, c, &d, e, f, g, &h, 0x983e_5152_ee66_dfab, w8, &x1, x0)
            w9 = schedule512(w9, w10, w2, w7)
            round512(h, a, b, &c, d, e, f, &g, 0xa831_c66d_2db4_3210, w9, &x0, x1)
            w10 = schedule512(w10, w11, w3, w8)
            round512(g, h, a, &b, c, d, e, &f, 0xb003_27c8_98fb_213f, w10, &x1, x0)
            w11 = schedule512(w11, w12, w4, w9)
            round512(f, g, h, &a, b, c, d, &e, 0xbf59_7fc7_beef_0ee4, w11, &x0, x1)
            w12 = schedule512(w12, w13, w5, w10)
            round512(e, f, g, &h, a, b, c, &d, 0xc6e0_0bf3_3da8_8fc2, w12, &x1, x0)
            w13 = schedule512(w13, w14, w6, w11)
            round512(d, e, f, &g, h, a, b, &c, 0xd5a7_9147_930a_a725, w13, &x0, x1)
            w14 = schedule512(w14, w15, w7, w12)
            round512(c, d, e, &f, g, h, a, &b, 0x06ca_6351_e003_826f, w14, &x1, x0)
            w15 = schedule512(w15, w0, w8, w13)
            round512(b, c, d, &e, f, g, h, &a, 0x1429_2967_0a0e_6e70, w15, &x0, x1)
            w0 = schedule512(w0, w1, w9, w14)
            round512(a, b, c, &d, e, f, g, &h, 0x27b7_0a85_46d2_2ffc, w0, &x1, x0)
            w1 = schedule512(w1, w2, w10, w15)
            round512(h, a, b, &c, d, e, f, &g, 0x2e1b_2138_5c26_c926, w1, &x0, x1)
            w2 = schedule512(w2, w3, w11, w0)
            round512(g, h, a, &b, c, d, e, &f, 0x4d2c_6dfc_5ac4_2aed, w2, &x1, x0)
            w3 = schedule512(w3, w4, w12, w1)
            round512(f, g, h, &a, b, c, d, &e, 0x5338_0d13_9d95_b3df, w3, &x0, x1)
            w4 = schedule512(w4, w5, w13, w2)
            round512(e, f, g, &h, a, b, c, &d, 0x650a_7354_8baf_63de, w4, &x1, x0)
            w5 = schedule512(w5, w6, w14, w3)
            round512(d, e, f, &g, h, a, b, &c, 0x766a_0abb_3c77_b2a8, w5, &x0, x1)
            w6 = schedule512(w6, w7, w15, w4)
            round512(c, d, e, &f, g, h, a, &b, 0x81c2_c92e_47ed_aee6, w6, &x1, x0)
            w7 = schedule512(w7, w8, w0, w5)
            round512(b, c, d, &e, f, g, h, &a, 0x9272_2c85_1482_353b, w7, &x0, x1)
            w8 = schedule512(w8, w9, w1, w6)
            round512(a, b, c, &d, e, f, g, &h, 0xa2bf_e8a1_4cf1_0364, w8, &x1, x0)
            w9 = schedule512(w9, w10, w2, w7)
            round512(h, a, b, &c, d, e, f, &g, 0xa81a_664b_bc42_3001, w9, &x0, x1)
            w10 = schedule512(w10, w11, w3, w8)
            round512(g, h, a, &b, c, d, e, &f, 0xc24b_8b70_d0f8_9791, w10, &x1, x0)
            w11 = schedule512(w11, w12, w4, w9)
            round512(f, g, h, &a, b, c, d, &e, 0xc76c_51a3_0654_be30, w11, &x0, x1)
            w12 = schedule512(w12, w13, w5, w10)
            round512(e, f, g, &h, a, b, c, &d, 0xd192_e819_d6ef_5218, w12, &x1, x0)
            w13 = schedule512(w13, w14, w6, w11)
            round512(d, e, f, &g, h, a, b, &c, 0xd699_0624_5565_a910, w13, &x0, x1)
            w14 = schedule512(w14, w15, w7, w12)
            round512(c, d, e, &f, g, h, a, &b, 0xf40e_3585_5771_202a, w14, &x1, x0)
            w15 = schedule512(w15, w0, w8, w13)
            round512(b, c, d, &e, f, g, h, &a, 0x106a_a070_32bb_d1b8, w15, &x0, x1)
            w0 = schedule512(w0, w1, w9, w14)
            round512(a, b, c, &d, e, f, g, &h, 0x19a4_c116_b8d2_d0c8, w0, &x1, x0)
            w1 = schedule512(w1, w2, w10, w15)
            round512(h, a, b, &c, d, e, f, &g, 0x1e37_6c08_5141_ab53, w1, &x0, x1)
            w2 = schedule512(w2, w3, w11, w0)
            round512(g, h, a, &b, c, d, e, &f, 0x2748_774c_df8e_eb99, w2, &x1, x0)
            w3 = schedule512(w3, w4, w12, w1)
            round512(f, g, h, &a, b, c, d, &e, 0x34b0_bcb5_e19b_48a8, w3, &x0, x1)
            w4 = schedule512(w4, w5, w13, w2)
            round512(e, f, g, &h, a, b, c, &d, 0x391c_0cb3_c5c9_5a63, w4, &x1, x0)
            w5 = schedule512(w5, w6, w14, w3)
            round512(d, e, f, &g, h, a, b, &c, 0x4ed8_aa4a_e341_8acb, w5, &x0, x1)
            w6 = schedule512(w6, w7, w15, w4)
            round512(c, d, e, &f, g, h, a, &b, 0x5b9c_ca4f_7763_e373, w6, &x1, x0)
            w7 = schedule512(w7, w8, w0, w5)
            round512(b, c, d, &e, f, g, h, &a, 0x682e_6ff3_d6b2_b8a3, w7, &x0, x1)
            w8 = schedule512(w8, w9, w1, w6)
            round512(a, b, c, &d, e, f, g, &h, 0x748f_82ee_5def_b2fc, w8, &x1, x0)
            w9 = schedule512(w9, w10, w2, w7)
            round512(h, a, b, &c, d, e, f, &g, 0x78a5_636f_4317_2f60, w9, &x0, x1)
            w10 = schedule512(w10, w11, w3, w8)
            round512(g, h, a, &b, c, d, e, &f, 0x84c8_7814_a1f0_ab72, w10, &x1, x0)
            w11 = schedule512(w11, w12, w4, w9)
            round512(f, g, h, &a, b, c, d, &e, 0x8cc7_0208_1a64_39ec, w11, &x0, x1)
            w12 = schedule512(w12, w13, w5, w10)
            round512(e, f, g, &h, a, b, c, &d, 0x90be_fffa_2363_1e28, w12, &x1, x0)
            w13 = schedule512(w13, w14, w6, w11)
            round512(d, e, f, &g, h, a, b, &c, 0xa450_6ceb_de82_bde9, w13, &x0, x1)
            w14 = schedule512(w14, w15, w7, w12)
            round512(c, d, e, &f, g, h, a, &b, 0xbef9_a3f7_b2c6_7915, w14, &x1, x0)
            w15 = schedule512(w15, w0, w8, w13)
            round512(b, c, d, &e, f, g, h, &a, 0xc671_78f2_e372_532b, w15, &x0, x1)
            w0 = schedule512(w0, w1, w9, w14)
            round512(a, b, c, &d, e, f, g, &h, 0xca27_3ece_ea26_619c, w0, &x1, x0)
            w1 = schedule512(w1, w2, w10, w15)
            round512(h, a, b, &c, d, e, f, &g, 0xd186_b8c7_21c0_c207, w1, &x0, x1)
            w2 = schedule512(w2, w3, w11, w0)
            round512(g, h, a, &b, c, d, e, &f, 0xeada_7dd6_cde0_eb1e, w2, &x1, x0)
            w3 = schedule512(w3, w4, w12, w1)
            round512(f, g, h, &a, b, c, d, &e, 0xf57d_4f7f_ee6e_d178, w3, &x0, x1)
            w4 = schedule512(w4, w5, w13, w2)
            round512(e, f, g, &h, a, b, c, &d, 0x06f0_67aa_7217_6fba, w4, &x1, x0)
            w5 = schedule512(w5, w6, w14, w3)
            round512(d, e, f, &g, h, a, b, &c, 0x0a63_7dc5_a2c8_98a6, w5, &x0, x1)
            w6 = schedule512(w6, w7, w15, w4)
            round512(c, d, e, &f, g, h, a, &b, 0x113f_9804_bef9_0dae, w6, &x1, x0)
            w7 = schedule512(w7, w8, w0, w5)
            round512(b, c, d, &e, f, g, h, &a, 0x1b71_0b35_131c_471b, w7, &x0, x1)
            w8 = schedule512(w8, w9, w1, w6)
            round512(a, b, c, &d, e, f, g, &h, 0x28db_77f5_2304_7d84, w8, &x1, x0)
            w9 = schedule512(w9, w10, w2, w7)
            round512(h, a, b, &c, d, e, f, &g, 0x32ca_ab7b_40c7_2493, w9, &x0, x1)
            w10 = schedule512(w10, w11, w3, w8)
            round512(g, h, a, &b, c, d, e, &f, 0x3c9e_be0a_15c9_bebc, w10, &x1, x0)
            w11 = schedule512(w11, w12, w4, w9)
            round512(f, g, h, &a, b, c, d, &e, 0x431d_67c4_9c10_0d4c, w11, &x0, x1)
            w12 = schedule512(w12, w13, w5, w10)
            round512(e, f, g, &h, a, b, c, &d, 0x4cc5_d4be_cb3e_42b6, w12, &x1, x0)
            w13 = schedule512(w13, w14, w6, w11)
            round512(d, e, f, &g, h, a, b, &c, 0x597f_299c_fc65_7e2a, w13, &x0, x1)
            w14 = schedule512(w14, w15, w7, w12)
            round512(c, d, e, &f, g, h, a, &b, 0x5fcb_6fab_3ad6_faec, w14, &x1, x0)
            w15 = schedule512(w15, w0, w8, w13)
            round512(b, c, d, &e, f, g, h, &a, 0x6c44_198c_4a47_5817, w15, &x0, x1)
            h0 &+= a; h1 &+= b; h2 &+= c; h3 &+= d
            h4 &+= e; h5 &+= f; h6 &+= g; h7 &+= h
            p += 128
        }
        (self.h0, self.h1, self.h2, self.h3, self.h4, self.h5, self.h6, self.h7) = (h0, h1, h2, h3, h4, h5, h6, h7)
    }

    /// Writes the big-endian chaining words, truncated to `output.count` bytes.
    func store(into output: UnsafeMutableRawBufferPointer) {
        var words = (h0.bigEndian, h1.bigEndian, h2.bigEndian, h3.bigEndian,
                     h4.bigEndian, h5.bigEndian, h6.bigEndian, h7.bigEndian)
        withUnsafeBytes(of: &words) { bytes in
            guard let target = output.baseAddress, let source = bytes.baseAddress else { return }
            target.copyMemory(from: source, byteCount: min(output.count, 64))
        }
    }
}

// MARK: - Round functions (FIPS 180-4 §4.1.3)

@inline(__always)
private func load64(_ p: UnsafeRawPointer, _ index: Int) -> UInt64 {
    UInt64(bigEndian: p.loadUnaligned(fromByteOffset: index &<< 3, as: UInt64.self))
}

@inline(__always)
private func rotr(_ x: UInt64, _ n: UInt64) -> UInt64 { (x &>> n) | (x &<< (64 &- n)) }

/// One round: `d += T1`, `h = T1 + T2`. The caller rotates the roles of a…h between rounds and
/// hands `a ⊕ b` on as the next round's `b ⊕ c`.
@inline(__always)
private func round512(
    _ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: inout UInt64,
    _ e: UInt64, _ f: UInt64, _ g: UInt64, _ h: inout UInt64,
    _ k: UInt64, _ w: UInt64, _ aXorB: inout UInt64, _ bXorC: UInt64
) {
    // Σ1(e) = ROTR¹⁴ ⊕ ROTR¹⁸ ⊕ ROTR⁴¹ and Σ0(a) = ROTR²⁸ ⊕ ROTR³⁴ ⊕ ROTR³⁹, nested so that x86
    // needs one copy of the input instead of three.
    let bigSigma1 = rotr(rotr(rotr(e, 23) ^ e, 4) ^ e, 14)
    let choose = g ^ (e & (f ^ g))
    let t1 = h &+ bigSigma1 &+ choose &+ (k &+ w)
    let bigSigma0 = rotr(rotr(rotr(a, 5) ^ a, 6) ^ a, 28)
    aXorB = a ^ b
    let majority = b ^ (aXorB & bXorC)
    d &+= t1
    h = t1 &+ bigSigma0 &+ majority
}

/// The next schedule word W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16], in the rolling window.
@inline(__always)
private func schedule512(_ w16: UInt64, _ w15: UInt64, _ w7: UInt64, _ w2: UInt64) -> UInt64 {
    // σ0 = ROTR¹ ⊕ ROTR⁸ ⊕ SHR⁷ and σ1 = ROTR¹⁹ ⊕ ROTR⁶¹ ⊕ SHR⁶, rotations nested as in the rounds.
    let sigma0 = rotr(rotr(w15, 7) ^ w15, 1) ^ (w15 &>> 7)
    let sigma1 = rotr(rotr(w2, 42) ^ w2, 19) ^ (w2 &>> 6)
    return w16 &+ sigma0 &+ w7 &+ sigma1
}
