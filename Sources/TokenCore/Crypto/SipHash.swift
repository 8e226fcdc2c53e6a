/// SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input PRF", 2012), with the
/// 64-bit output of the paper and the 128-bit output of the authors' reference code.
///
/// A keyed pseudorandom function for short inputs: with a secret 128-bit key its outputs cannot
/// be predicted or steered by whoever chooses the input, which is what a hash table fed by
/// clients needs. It is not a MAC for data that leaves the process. The standard library's
/// `Hasher` is SipHash-1-3 with a per-process seed and no 128-bit output; this type takes the key
/// explicitly and is pinned by the reference vectors (`SipHashTests`).
///
/// One call hashes one contiguous message; there is no streaming state.
struct SipHash24 {
    /// The 128-bit key as two little-endian words (key bytes 0–7 and 8–15).
    let k0: UInt64
    let k1: UInt64

    init(k0: UInt64, k1: UInt64) {
        self.k0 = k0
        self.k1 = k1
    }

    /// The 64-bit output of the paper (its value read as a little-endian word).
    func hash64(_ message: UnsafeRawBufferPointer) -> UInt64 {
        var state = initialState(wide: false)
        absorb(message, into: &state)
        state.v2 ^= 0xff
        state.rounds(4)
        return state.v0 ^ state.v1 ^ state.v2 ^ state.v3
    }

    /// The 128-bit output: bytes 0–7 of the reference output as the first little-endian word,
    /// bytes 8–15 as the second.
    func hash128(_ message: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
        var state = initialState(wide: true)
        absorb(message, into: &state)
        state.v2 ^= 0xee
        state.rounds(4)
        let first = state.v0 ^ state.v1 ^ state.v2 ^ state.v3
        state.v1 ^= 0xdd
        state.rounds(4)
        return (first, state.v0 ^ state.v1 ^ state.v2 ^ state.v3)
    }

    private func initialState(wide: Bool) -> State {
        // "somepseudorandomlygeneratedbytes" as four words.
        State(
            v0: k0 ^ 0x736f_6d65_7073_6575,
            v1: k1 ^ 0x646f_7261_6e64_6f6d ^ (wide ? 0xee : 0),
            v2: k0 ^ 0x6c79_6765_6e65_7261,
            v3: k1 ^ 0x7465_6462_7974_6573
        )
    }

    /// Compression: every whole 8-byte word, then the last word with the length in its top byte.
    @inline(__always)
    private func absorb(_ message: UnsafeRawBufferPointer, into state: inout State) {
        let count = message.count
        let whole = count & ~7
        var offset = 0
        while offset < whole {
            let m = UInt64(littleEndian: message.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            state.v3 ^= m
            state.rounds(2)
            state.v0 ^= m
            offset &+= 8
        }
        var last = UInt64(truncatingIfNeeded: count) &<< 56
        var shift: UInt64 = 0
        while offset < count {
            last |= UInt64(message[offset]) &<< shift
            shift &+= 8
            offset &+= 1
        }
        state.v3 ^= last
        state.rounds(2)
        state.v0 ^= last
    }

    private struct State {
        var v0, v1, v2, v3: UInt64

        @inline(__always)
        mutating func rounds(_ n: Int) {
            for _ in 0..<n {
                v0 &+= v1; v1 = v1.rotatedLeft(13); v1 ^= v0; v0 = v0.rotatedLeft(32)
                v2 &+= v3; v3 = v3.rotatedLeft(16); v3 ^= v2
                v0 &+= v3; v3 = v3.rotatedLeft(21); v3 ^= v0
                v2 &+= v1; v1 = v1.rotatedLeft(17); v1 ^= v2; v2 = v2.rotatedLeft(32)
            }
        }
    }
}

extension UInt64 {
    @inline(__always)
    fileprivate func rotatedLeft(_ n: UInt64) -> UInt64 { (self &<< n) | (self &>> (64 &- n)) }
}
