/// SHA-256 (FIPS 180-4 §6.2).
///
/// State lives in stored properties and a fixed 64-byte buffer: nothing is allocated per block.
public struct SHA256: HashFunction {
    public static let digestByteCount = 32
    public static let blockByteCount = 64
    public static let name = "sha256"

    @usableFromInline var state: SHA256State
    @usableFromInline var buffer: BlockBuffer64
    @usableFromInline var bufferedCount: Int
    @usableFromInline var totalBytes: UInt64

    public init() {
        state = SHA256State(
            0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a,
            0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
        )
        buffer = BlockBuffer64()
        bufferedCount = 0
        totalBytes = 0
    }

    public mutating func update(bufferPointer input: UnsafeRawBufferPointer) {
        guard var base = input.baseAddress, input.count > 0 else { return }
        var remaining = input.count
        totalBytes &+= UInt64(remaining)
        if bufferedCount > 0 {
            let take = min(64 - bufferedCount, remaining)
            buffer.copy(from: base, count: take, at: bufferedCount)
            bufferedCount += take
            base += take
            remaining -= take
            guard bufferedCount == 64 else { return }
            buffer.withBytes { state.compress($0) }
            bufferedCount = 0
        }
        while remaining >= 64 {
            state.compress(base)
            base += 64
            remaining -= 64
        }
        if remaining > 0 {
            buffer.copy(from: base, count: remaining, at: 0)
            bufferedCount = remaining
        }
    }

    public func finalize() -> [UInt8] {
        var copy = self
        let bitLength = totalBytes &* 8
        var pad = BlockBuffer64()
        // 0x80, zeros, then the 64-bit big-endian bit length, so the total is a multiple of 64.
        let padLength = bufferedCount < 56 ? 56 - bufferedCount : 120 - bufferedCount
        pad.setByte(0x80, at: 0)
        pad.withBytes { copy.updateWithoutCounting(UnsafeRawBufferPointer(start: $0, count: padLength)) }
        var lengthBytes = bitLength.bigEndian
        withUnsafeBytes(of: &lengthBytes) { copy.updateWithoutCounting($0) }
        return copy.state.bigEndianBytes()
    }

    private mutating func updateWithoutCounting(_ bytes: UnsafeRawBufferPointer) {
        let saved = totalBytes
        update(bufferPointer: bytes)
        totalBytes = saved
    }
}

/// The eight 32-bit working variables of SHA-256 and its compression function.
@usableFromInline
struct SHA256State: Sendable {
    @usableFromInline var h0, h1, h2, h3, h4, h5, h6, h7: UInt32

    init(_ h0: UInt32, _ h1: UInt32, _ h2: UInt32, _ h3: UInt32,
         _ h4: UInt32, _ h5: UInt32, _ h6: UInt32, _ h7: UInt32) {
        (self.h0, self.h1, self.h2, self.h3, self.h4, self.h5, self.h6, self.h7) = (h0, h1, h2, h3, h4, h5, h6, h7)
    }

    static let k: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    /// Processes one 64-byte block at `block` (which need not be aligned).
    @usableFromInline
    mutating func compress(_ block: UnsafeRawPointer) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            for i in 0..<16 {
                w[i] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: i &* 4, as: UInt32.self))
            }
            for i in 16..<64 {
                let x = w[i &- 15], y = w[i &- 2]
                let s0 = x.rotatedRight(7) ^ x.rotatedRight(18) ^ (x >> 3)
                let s1 = y.rotatedRight(17) ^ y.rotatedRight(19) ^ (y >> 10)
                w[i] = w[i &- 16] &+ s0 &+ w[i &- 7] &+ s1
            }
            var a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7
            Self.k.withUnsafeBufferPointer { k in
                for i in 0..<64 {
                    let s1 = e.rotatedRight(6) ^ e.rotatedRight(11) ^ e.rotatedRight(25)
                    let ch = (e & f) ^ (~e & g)
                    let t1 = h &+ s1 &+ ch &+ k[i] &+ w[i]
                    let s0 = a.rotatedRight(2) ^ a.rotatedRight(13) ^ a.rotatedRight(22)
                    let maj = (a & b) ^ (a & c) ^ (b & c)
                    let t2 = s0 &+ maj
                    h = g; g = f; f = e; e = d &+ t1
                    d = c; c = b; b = a; a = t1 &+ t2
                }
            }
            h0 &+= a; h1 &+= b; h2 &+= c; h3 &+= d; h4 &+= e; h5 &+= f; h6 &+= g; h7 &+= h
        }
    }

    func bigEndianBytes() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        out.withUnsafeMutableBytes { raw in
            for (i, word) in [h0, h1, h2, h3, h4, h5, h6, h7].enumerated() {
                raw.storeBytes(of: word.bigEndian, toByteOffset: i * 4, as: UInt32.self)
            }
        }
        return out
    }
}

extension UInt32 {
    @inline(__always) @usableFromInline
    func rotatedRight(_ n: UInt32) -> UInt32 { (self >> n) | (self << (32 &- n)) }
}
