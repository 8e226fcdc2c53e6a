import TokenCore

/// A cursor over a fuzz input, for targets that build structured values (a token's fields, a
/// mutation) from the raw bytes. Reading past the end yields zeros and empty arrays, so every
/// input, however short, describes some value.
struct FuzzInput {
    private let bytes: [UInt8]
    private var position = 0

    init(_ raw: UnsafeRawBufferPointer) { bytes = Array(raw) }

    var isAtEnd: Bool { position >= bytes.count }

    mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func uint16() -> UInt16 { UInt16(byte()) << 8 | UInt16(byte()) }

    mutating func uint32() -> UInt32 { UInt32(uint16()) << 16 | UInt32(uint16()) }

    /// `count` bytes, fewer when the input ends.
    mutating func bytes(_ count: Int) -> [UInt8] {
        let end = min(bytes.count, position + max(0, count))
        defer { position = end }
        return position < end ? Array(bytes[position..<end]) : []
    }

    /// Bytes up to (not including) the next `separator`, which is consumed; the rest when none.
    mutating func bytes(until separator: UInt8) -> [UInt8] {
        var end = position
        while end < bytes.count, bytes[end] != separator { end += 1 }
        let field = Array(bytes[min(position, bytes.count)..<end])
        position = min(bytes.count, end + 1)
        return field
    }

    /// Everything not read yet.
    mutating func rest() -> [UInt8] { bytes(bytes.count) }
}

/// A deterministic ``RandomSource`` for fuzzing: it repeats its seed bytes (zeros when empty), so
/// nonces and `jti`s come from the input and a crash reproduces exactly.
struct RepeatingRandomSource: RandomSource {
    let seed: [UInt8]

    func fill(_ buffer: UnsafeMutableRawBufferPointer) throws(CryptoError) {
        for i in 0..<buffer.count { buffer[i] = seed.isEmpty ? 0 : seed[i % seed.count] }
    }
}

extension String {
    /// The bytes as a string when they are valid UTF-8 (the library's API takes `String`s; the
    /// invalid-UTF-8 case is covered by the byte-level targets).
    init?(validatingFuzzBytes bytes: [UInt8]) {
        var decoded = ""
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): decoded.unicodeScalars.append(scalar)
            case .emptyInput: break loop
            case .error: return nil
            }
        }
        self = decoded
    }
}
