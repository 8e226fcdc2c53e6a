public import Foundation

/// Constant-time comparison: the one function through which every MAC, signature-byte and secret
/// comparison in this project goes.
public enum ConstantTime {
    /// Returns whether `a` and `b` hold the same bytes.
    ///
    /// The running time depends only on the two lengths, never on the contents or on where the
    /// first difference is. A length mismatch is not an early exit: every position up to the
    /// longer length is still visited (the shorter side reads as zeros), and the length
    /// difference is folded into the result. Lengths themselves are treated as public.
    @inline(never)
    public static func isEqual(_ a: some ContiguousBytes, _ b: some ContiguousBytes) -> Bool {
        a.withUnsafeBytes { x in
            b.withUnsafeBytes { y in
                isEqual(x, y)
            }
        }
    }

    @inline(never)
    static func isEqual(_ x: UnsafeRawBufferPointer, _ y: UnsafeRawBufferPointer) -> Bool {
        var difference = UInt64(truncatingIfNeeded: x.count ^ y.count)
        let common = min(x.count, y.count)
        var i = 0
        // Every branch below depends on the (public) lengths only. Eight bytes a step over the
        // common length, then byte by byte.
        if let a = x.baseAddress, let b = y.baseAddress {
            while i &+ 8 <= common {
                difference |= a.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ b.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                i &+= 8
            }
        }
        while i < common {
            difference |= UInt64(x[i] ^ y[i])
            i &+= 1
        }
        // The longer side's remaining bytes are still visited, compared with zeros.
        let longer = x.count > y.count ? x : y
        while i < longer.count {
            difference |= UInt64(longer[i])
            i &+= 1
        }
        return difference == 0
    }
}
