/// The base64 engine behind ``Base64URL`` and ``Base64``, parameterised by the two characters
/// that differ between the alphabets (RFC 4648 §4 and §5).
///
/// Both directions are branch-free and table-free in the data: each 6-bit value is mapped to
/// its character (and back) with arithmetic masks, so decoding a key does not leak its bytes
/// through the cache or the branch predictor. Validity is accumulated over the whole input and
/// checked once at the end; only lengths (public) steer control flow.
enum Base64Codec {
    struct Alphabet: Sendable {
        /// The characters for values 62 and 63.
        var c62: Int32
        var c63: Int32

        static let standard = Alphabet(c62: Int32(UInt8(ascii: "+")), c63: Int32(UInt8(ascii: "/")))
        static let url = Alphabet(c62: Int32(UInt8(ascii: "-")), c63: Int32(UInt8(ascii: "_")))

        /// The character for `x` in `0..<64`. `(k &- x) >> 8` is all ones when `x > k`, else zero.
        @inline(__always)
        func character(_ x: Int32) -> UInt8 {
            var shift: Int32 = 65                                     // 'A' − 0
            shift &+= ((25 &- x) >> 8) & 6                             // 'a' − 26
            shift &+= ((51 &- x) >> 8) & -75                           // '0' − 52
            shift &+= ((61 &- x) >> 8) & (c62 &- 62 &+ 4)              // c62 − 62
            shift &+= ((62 &- x) >> 8) & (c63 &- 63 &- (c62 &- 62))    // c63 − 63
            return UInt8(truncatingIfNeeded: x &+ shift)
        }

        /// The value of character `c`, or −1 when it is outside the alphabet.
        @inline(__always)
        func value(_ c: Int32) -> Int32 {
            var v: Int32 = -1
            v &+= (((0x40 &- c) & (c &- 0x5B)) >> 8) & (c &- 64)        // 'A'…'Z' → c − 65
            v &+= (((0x60 &- c) & (c &- 0x7B)) >> 8) & (c &- 70)        // 'a'…'z' → c − 71
            v &+= (((0x2F &- c) & (c &- 0x3A)) >> 8) & (c &+ 5)         // '0'…'9' → c + 4
            v &+= (((c62 &- 1 &- c) & (c &- c62 &- 1)) >> 8) & 63       // c62 → 62
            v &+= (((c63 &- 1 &- c) & (c &- c63 &- 1)) >> 8) & 64       // c63 → 63
            return v
        }
    }

    static func encode<Bytes: Collection<UInt8>>(_ bytes: Bytes, alphabet: Alphabet, pad: Bool) -> String {
        if let encoded = bytes.withContiguousStorageIfAvailable({ encode(UnsafeRawBufferPointer($0), alphabet: alphabet, pad: pad) }) {
            return encoded
        }
        return Array(bytes).withUnsafeBytes { encode($0, alphabet: alphabet, pad: pad) }
    }

    static func encode(_ input: UnsafeRawBufferPointer, alphabet: Alphabet, pad: Bool) -> String {
        let count = input.count
        let fullGroups = count / 3
        let rest = count % 3
        let outputCount = pad ? (count + 2) / 3 * 4 : fullGroups * 4 + (rest == 0 ? 0 : rest + 1)
        guard outputCount > 0 else { return "" }
        return String(unsafeUninitializedCapacity: outputCount) { out in
            var o = 0
            var i = 0
            for _ in 0..<fullGroups {
                let v = Int32(input[i]) << 16 | Int32(input[i &+ 1]) << 8 | Int32(input[i &+ 2])
                out[o] = alphabet.character(v >> 18)
                out[o &+ 1] = alphabet.character(v >> 12 & 63)
                out[o &+ 2] = alphabet.character(v >> 6 & 63)
                out[o &+ 3] = alphabet.character(v & 63)
                i &+= 3
                o &+= 4
            }
            if rest == 1 {
                let v = Int32(input[i]) << 16
                out[o] = alphabet.character(v >> 18)
                out[o &+ 1] = alphabet.character(v >> 12 & 63)
                o &+= 2
                if pad { out[o] = UInt8(ascii: "="); out[o &+ 1] = UInt8(ascii: "="); o &+= 2 }
            } else if rest == 2 {
                let v = Int32(input[i]) << 16 | Int32(input[i &+ 1]) << 8
                out[o] = alphabet.character(v >> 18)
                out[o &+ 1] = alphabet.character(v >> 12 & 63)
                out[o &+ 2] = alphabet.character(v >> 6 & 63)
                o &+= 3
                if pad { out[o] = UInt8(ascii: "="); o &+= 1 }
            }
            return o
        }
    }

    /// Decodes unpadded base64 canonically: length ≢ 1 (mod 4), every character in the
    /// alphabet, unused trailing bits zero.
    static func decodeUnpadded(_ input: UnsafeRawBufferPointer, alphabet: Alphabet) throws(ByteEncodingError) -> [UInt8] {
        let n = input.count
        guard n % 4 != 1 else { throw ByteEncodingError(.invalidLength, "length \(n) is not a valid base64 length") }
        var failure: ByteEncodingError?
        let output = [UInt8](unsafeUninitializedCapacity: decodedCount(n)) { out, initialized in
            do throws(ByteEncodingError) {
                initialized = try decodeUnpadded(input, alphabet: alphabet, into: out)
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return output
    }

    /// The decoded length of `n` characters of unpadded base64 (`n % 4 != 1`).
    static func decodedCount(_ n: Int) -> Int {
        n / 4 * 3 + (n % 4 == 0 ? 0 : n % 4 - 1)
    }

    /// ``decodeUnpadded(_:alphabet:)`` into `out`, which must hold ``decodedCount(_:)`` bytes,
    /// without allocating; returns the number of bytes written. Same rules, same branch-free
    /// mapping.
    static func decodeUnpadded(_ input: UnsafeRawBufferPointer, alphabet: Alphabet, into out: UnsafeMutableBufferPointer<UInt8>) throws(ByteEncodingError) -> Int {
        let n = input.count
        guard n % 4 != 1, out.count >= decodedCount(n) else {
            throw ByteEncodingError(.invalidLength, "length \(n) is not a valid base64 length")
        }
        var invalid: Int32 = 0
        var trailing: Int32 = 0
        var i = 0
        var o = 0
        while i &+ 4 <= n {
            let a = alphabet.value(Int32(input[i])), b = alphabet.value(Int32(input[i &+ 1]))
            let c = alphabet.value(Int32(input[i &+ 2])), d = alphabet.value(Int32(input[i &+ 3]))
            invalid |= a | b | c | d
            let v = (a & 63) << 18 | (b & 63) << 12 | (c & 63) << 6 | (d & 63)
            out[o] = UInt8(truncatingIfNeeded: v >> 16)
            out[o &+ 1] = UInt8(truncatingIfNeeded: v >> 8)
            out[o &+ 2] = UInt8(truncatingIfNeeded: v)
            i &+= 4
            o &+= 3
        }
        let rest = n &- i
        if rest == 2 {
            let a = alphabet.value(Int32(input[i])), b = alphabet.value(Int32(input[i &+ 1]))
            invalid |= a | b
            trailing = b & 0x0F
            out[o] = UInt8(truncatingIfNeeded: (a & 63) << 2 | (b & 63) >> 4)
            o &+= 1
        } else if rest == 3 {
            let a = alphabet.value(Int32(input[i])), b = alphabet.value(Int32(input[i &+ 1]))
            let c = alphabet.value(Int32(input[i &+ 2]))
            invalid |= a | b | c
            trailing = c & 0x03
            out[o] = UInt8(truncatingIfNeeded: (a & 63) << 2 | (b & 63) >> 4)
            out[o &+ 1] = UInt8(truncatingIfNeeded: (b & 0x0F) << 4 | (c & 63) >> 2)
            o &+= 2
        }
        // Checked once, after the whole input: the position of a bad character is not revealed
        // by timing, and is not reported.
        if invalid < 0 { throw ByteEncodingError(.invalidCharacter, "character outside the base64 alphabet") }
        if trailing != 0 { throw ByteEncodingError(.nonCanonical, "non-zero trailing bits") }
        return o
    }
}
