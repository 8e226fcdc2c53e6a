extension String {
    /// Runs `body` on the string's UTF-8 bytes, borrowed in place when the string is native and
    /// contiguous, through a temporary contiguous copy otherwise (a small string, kept inline,
    /// or a bridged one on Darwin).
    ///
    /// `String.withUTF8` is `mutating`, so calling it on a parameter means copying the string
    /// into a `var` first: a retain and a release on every call. On the verification paths (a
    /// token, a key, a method, a target, per request) that pair is measurable; this borrow is not.
    ///
    /// - Parameter body: Reads the bytes; they are valid only during the call.
    @inline(__always)
    func withBorrowedUTF8<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return copy.withUTF8(body)
    }
}
