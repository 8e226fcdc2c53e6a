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
        let n = max(x.count, y.count)
        var i = 0
        while i < n {
            // The branches depend on the (public) lengths only.
            let p: UInt8 = i < x.count ? x[i] : 0
            let q: UInt8 = i < y.count ? y[i] : 0
            difference |= UInt64(p ^ q)
            i &+= 1
        }
        return difference == 0
    }
}
