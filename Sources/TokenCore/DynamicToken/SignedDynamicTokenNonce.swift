extension SignedDynamicToken {
    /// A token's nonce bytes: held inline when they fit in 32 bytes (every v1 nonce does), so
    /// returning a verified token allocates nothing for it; longer values, which only the public
    /// initialiser can produce, stay in an array.
    ///
    /// The representation is canonical (the same bytes always give the same case, with the
    /// unused inline bytes zero), so the synthesised `Hashable` compares bytes.
    enum NonceStorage: Sendable, Hashable {
        /// Up to 32 bytes in four words, unused bytes zero; `count` of them are the nonce.
        case inline(UInt64, UInt64, UInt64, UInt64, count: UInt8)
        /// More than 32 bytes.
        case array([UInt8])

        /// Stores `bytes`.
        init(_ bytes: UnsafeRawBufferPointer) {
            guard bytes.count <= 32 else {
                self = .array(Array(bytes))
                return
            }
            var words: Inline32 = (0, 0, 0, 0)
            withUnsafeMutableBytes(of: &words) { UnsafeMutableRawBufferPointer(rebasing: $0[0..<bytes.count]).copyMemory(from: bytes) }
            self = .inline(words.0, words.1, words.2, words.3, count: UInt8(bytes.count))
        }

        /// The first `count` bytes of `words` (at most 32), as the verifier decoded them.
        init(_ words: Inline32, count: Int) {
            var words = words
            self = Swift.withUnsafeBytes(of: &words) { NonceStorage(UnsafeRawBufferPointer(rebasing: $0.prefix(count))) }
        }

        /// The bytes as an array.
        var bytes: [UInt8] {
            switch self {
            case let .inline(w0, w1, w2, w3, count):
                var words: Inline32 = (w0, w1, w2, w3)
                return Swift.withUnsafeBytes(of: &words) { Array($0.prefix(Int(count))) }
            case let .array(bytes):
                return bytes
            }
        }
    }
}
