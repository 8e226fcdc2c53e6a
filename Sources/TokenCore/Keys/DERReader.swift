/// A strict reader for the small subset of DER (ITU-T X.690 §10) that public keys use.
///
/// Strict means one encoding per value: single-byte tags only, definite lengths only (the
/// indefinite form `0x80` is refused), lengths in their shortest form and at most four length
/// bytes, every length within the remaining input, INTEGERs minimal and non-negative, BIT
/// STRINGs of whole bytes. Anything else is a ``CryptoError/Code/invalidKey`` error that names
/// the rule, never the bytes.
package struct DERReader: Sendable {
    /// Universal tags used by key formats.
    package enum Tag {
        package static let integer: UInt8 = 0x02
        package static let bitString: UInt8 = 0x03
        package static let octetString: UInt8 = 0x04
        package static let null: UInt8 = 0x05
        package static let objectIdentifier: UInt8 = 0x06
        package static let sequence: UInt8 = 0x30
    }

    /// The largest DER input read at all; public keys are far smaller.
    package static let maximumInputCount = 64 * 1024

    private let bytes: ArraySlice<UInt8>
    private var position: Int

    /// Reads `bytes`.
    /// - Throws: When the input is larger than ``maximumInputCount``.
    package init(_ bytes: some Collection<UInt8>) throws(CryptoError) {
        guard bytes.count <= Self.maximumInputCount else {
            throw CryptoError(.invalidKey, "DER input of \(bytes.count) bytes exceeds \(Self.maximumInputCount)")
        }
        self.bytes = ArraySlice(bytes)
        position = self.bytes.startIndex
    }

    /// Whether every byte has been read.
    package var isAtEnd: Bool { position == bytes.endIndex }

    /// The tag of the next element, if any.
    package var peekTag: UInt8? { isAtEnd ? nil : bytes[position] }

    /// Fails unless every byte has been read (no trailing data).
    package func expectEnd(_ context: String) throws(CryptoError) {
        guard isAtEnd else { throw CryptoError(.invalidKey, "trailing bytes after \(context)") }
    }

    /// Reads one element with tag `tag` and returns its contents.
    package mutating func read(_ tag: UInt8, _ context: String) throws(CryptoError) -> ArraySlice<UInt8> {
        guard !isAtEnd else { throw CryptoError(.invalidKey, "\(context): unexpected end of DER") }
        let actual = bytes[position]
        guard actual & 0x1F != 0x1F else { throw CryptoError(.invalidKey, "\(context): multi-byte DER tags are not supported") }
        guard actual == tag else {
            throw CryptoError(.invalidKey, "\(context): expected DER tag 0x\(String(tag, radix: 16)), found 0x\(String(actual, radix: 16))")
        }
        var i = position + 1
        guard i < bytes.endIndex else { throw CryptoError(.invalidKey, "\(context): missing DER length") }
        let first = bytes[i]
        i += 1
        var length = 0
        if first < 0x80 {
            length = Int(first)
        } else if first == 0x80 {
            throw CryptoError(.invalidKey, "\(context): indefinite DER length")
        } else {
            let count = Int(first & 0x7F)
            guard count <= 4 else { throw CryptoError(.invalidKey, "\(context): DER length of more than 4 bytes") }
            guard bytes.endIndex - i >= count else { throw CryptoError(.invalidKey, "\(context): truncated DER length") }
            guard bytes[i] != 0 else { throw CryptoError(.invalidKey, "\(context): DER length with a leading zero byte") }
            for _ in 0..<count {
                length = length << 8 | Int(bytes[i])
                i += 1
            }
            guard length >= 0x80 else { throw CryptoError(.invalidKey, "\(context): DER length not in its shortest form") }
        }
        guard length <= bytes.endIndex - i else { throw CryptoError(.invalidKey, "\(context): DER length exceeds the input") }
        position = i + length
        return bytes[i..<(i + length)]
    }

    /// Reads a SEQUENCE and returns a reader over its contents.
    package mutating func readSequence(_ context: String) throws(CryptoError) -> DERReader {
        let contents = try read(Tag.sequence, context)
        return try DERReader(contents)
    }

    /// Reads a non-negative INTEGER in minimal form and returns its magnitude, big-endian,
    /// without the sign byte.
    package mutating func readUnsignedInteger(_ context: String) throws(CryptoError) -> ArraySlice<UInt8> {
        let contents = try read(Tag.integer, context)
        guard let first = contents.first else { throw CryptoError(.invalidKey, "\(context): empty INTEGER") }
        guard first & 0x80 == 0 else { throw CryptoError(.invalidKey, "\(context): negative INTEGER") }
        if first == 0, contents.count > 1 {
            guard contents[contents.startIndex + 1] & 0x80 != 0 else {
                throw CryptoError(.invalidKey, "\(context): INTEGER not in its shortest form")
            }
            return contents.dropFirst()
        }
        return contents
    }

    /// Reads an OBJECT IDENTIFIER and returns its encoded contents (compared byte for byte
    /// against known identifiers, so no decoding is needed).
    package mutating func readObjectIdentifier(_ context: String) throws(CryptoError) -> ArraySlice<UInt8> {
        let contents = try read(Tag.objectIdentifier, context)
        guard !contents.isEmpty, let last = contents.last, last & 0x80 == 0 else {
            throw CryptoError(.invalidKey, "\(context): malformed OBJECT IDENTIFIER")
        }
        return contents
    }

    /// Reads a NULL (which must be empty).
    package mutating func readNull(_ context: String) throws(CryptoError) {
        guard try read(Tag.null, context).isEmpty else { throw CryptoError(.invalidKey, "\(context): NULL with contents") }
    }

    /// Reads a BIT STRING of whole bytes (no unused bits) and returns its bytes.
    package mutating func readBitStringBytes(_ context: String) throws(CryptoError) -> ArraySlice<UInt8> {
        let contents = try read(Tag.bitString, context)
        guard let unused = contents.first else { throw CryptoError(.invalidKey, "\(context): empty BIT STRING") }
        guard unused == 0 else { throw CryptoError(.invalidKey, "\(context): BIT STRING with unused bits") }
        return contents.dropFirst()
    }
}
