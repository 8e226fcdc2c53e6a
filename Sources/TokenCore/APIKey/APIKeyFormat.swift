/// The shape of an API key: `<prefix><random><checksum>`, after GitHub's token design.
///
/// ```text
/// tka_live_4QmZ0Yq1kX8pRt2VbN6cJ3wH9sLf5aUe7Dg1Ko2Bx3Cz9
/// └prefix─┘└──────── 33 base62: 192 random bits ───────┘└crc┘
/// ```
///
/// - The **prefix** names the issuer and environment (`tka_live_`, `tka_test_`), so a secret
///   scanner can recognise a leaked key by a regular expression and a human can tell live from
///   test keys. It ends with `_`, which base62 never contains, so the key splits unambiguously.
/// - The **random part** is ``randomByteCount`` bytes (default 24: 192 bits, at least 20:
///   160 bits) from the injected ``RandomSource``, written as one fixed-width base62 number
///   (``Base62/encode(_:)``).
/// - The **checksum** is the CRC-32 (``CRC32``) of the UTF-8 bytes of prefix and random part,
///   as six base62 digits. It is not a secret and not a MAC: it lets ``validate(_:)`` reject a
///   typo, a truncated copy or a scanner false positive without touching the key store.
public struct APIKeyFormat: Sendable, Hashable {
    /// The issuer/environment prefix, ending with `_`.
    public let prefix: String
    /// How many random bytes a key carries (at least ``minimumRandomByteCount``).
    public let randomByteCount: Int

    /// Base62 digits in the checksum: `62^6 > 2^32`.
    public static let checksumLength = 6
    /// 160 bits: the least entropy a key may carry.
    public static let minimumRandomByteCount = 20
    /// The most random bytes accepted, which also bounds the key length.
    public static let maximumRandomByteCount = 64
    /// Characters of the random part shown in a ``APIKeyRecord/displayPrefix``: 4 base62 digits
    /// (about 24 bits), leaving at least 136 bits (168 with the default) unknown to anyone who
    /// sees listings or logs.
    public static let displayedRandomCharacters = 4
    /// The longest presented key that is even looked at; anything longer is `malformed`.
    public static let maximumKeyLength = 256

    /// `tka_live_` with 192 random bits: keys for production.
    public static let live = APIKeyFormat(checkedPrefix: "tka_live_", randomByteCount: 24)
    /// `tka_test_` with 192 random bits: keys for test environments.
    public static let test = APIKeyFormat(checkedPrefix: "tka_test_", randomByteCount: 24)

    /// Creates a format.
    ///
    /// - Parameters:
    ///   - prefix: 2 to 32 characters from `A–Z a–z 0–9 _`, starting with a letter and ending with `_`.
    ///   - randomByteCount: Random bytes per key, from 20 (160 bits) to 64.
    /// - Throws: ``APIKeyError/Code/invalidArgument`` when either is out of range.
    public init(prefix: String, randomByteCount: Int = 24) throws(APIKeyError) {
        let bytes = Array(prefix.utf8)
        guard bytes.count >= 2, bytes.count <= 32,
              let first = bytes.first, Self.isASCIILetter(first),
              bytes.last == UInt8(ascii: "_"),
              bytes.allSatisfy({ Self.isASCIILetter($0) || Base62.isDigit($0) || $0 == UInt8(ascii: "_") })
        else {
            throw APIKeyError(.invalidArgument, "a key prefix has 2 to 32 characters from A-Z a-z 0-9 _, starts with a letter and ends with _")
        }
        guard randomByteCount >= Self.minimumRandomByteCount, randomByteCount <= Self.maximumRandomByteCount else {
            throw APIKeyError(.invalidArgument, "random byte count must be \(Self.minimumRandomByteCount)...\(Self.maximumRandomByteCount) (at least 160 bits)")
        }
        self.init(checkedPrefix: prefix, randomByteCount: randomByteCount)
    }

    private init(checkedPrefix: String, randomByteCount: Int) {
        self.prefix = checkedPrefix
        self.randomByteCount = randomByteCount
    }

    /// Base62 digits in the random part (33 for 24 bytes).
    public var randomLength: Int { Base62.encodedLength(byteCount: randomByteCount) }

    /// The length of every key of this format, in characters (48 for ``live``).
    public var keyLength: Int { prefix.utf8.count + randomLength + Self.checksumLength }

    /// Generates a new key from `random`.
    ///
    /// - Parameter random: The entropy source; ``SystemRandomSource`` in production.
    /// - Returns: The full key. It is shown to its owner once and only its hash is stored.
    /// - Throws: ``APIKeyError/Code/generationFailed`` when the random source fails.
    public func generate(using random: any RandomSource) throws(APIKeyError) -> String {
        let bytes: [UInt8]
        do { bytes = try random.bytes(count: randomByteCount) } catch {
            throw APIKeyError(.generationFailed, "the random source failed: \(error.reason)")
        }
        return key(randomBytes: bytes)
    }

    /// The key for given random bytes (generation with the entropy supplied by the caller).
    func key(randomBytes: [UInt8]) -> String {
        let body = prefix + Base62.encode(randomBytes)
        return body + Self.checksum(of: body)
    }

    /// The six checksum digits for `body` (prefix and random part).
    static func checksum(of body: String) -> String {
        // safe: a UInt32 always fits in 6 base62 digits (62^6 > 2^32)
        Base62.encode(UInt64(CRC32.checksum(body)), width: checksumLength) ?? ""
    }

    /// Checks that `key` is a key of this format with a correct checksum, without any lookup.
    ///
    /// - Throws: ``APIKeyError/Code/malformed`` for a wrong prefix, length or character;
    ///   ``APIKeyError/Code/badChecksum`` when only the checksum is wrong.
    public func validate(_ key: String) throws(APIKeyError) {
        let failure: APIKeyError? = key.withBorrowedUTF8 { validate(utf8: UnsafeRawBufferPointer($0)) }
        if let failure { throw failure }
    }

    /// The allocation-free core of ``validate(_:)``; returns the error instead of throwing.
    func validate(utf8 key: UnsafeRawBufferPointer) -> APIKeyError? {
        let prefixLength = prefix.utf8.count
        guard key.count == keyLength else {
            return APIKeyError(.malformed, "the API key has the wrong length")
        }
        // Byte by byte on borrowed storage: a short prefix is a small (inline) string, which has
        // no contiguous storage to lend, and the generic `elementsEqual` fallback was slow.
        let prefixMatches = prefix.withBorrowedUTF8 { p in
            for i in 0..<prefixLength where p[i] != key[i] { return false }
            return true
        }
        guard prefixMatches else {
            return APIKeyError(.malformed, "the API key does not have the expected prefix")
        }
        let checksumStart = key.count - Self.checksumLength
        // The digit table is fetched once, not once per character (each access to a global
        // array goes through its lazy initialiser and a bounds check).
        let presented: UInt64? = Base62.decodeTable.withUnsafeBufferPointer { table in
            for i in prefixLength..<key.count where table[Int(key[i])] == 0xFF { return nil }
            var value: UInt64 = 0
            for i in checksumStart..<key.count {
                value = value &* 62 &+ UInt64(table[Int(key[i])])
            }
            return value
        }
        guard let presented else {
            return APIKeyError(.malformed, "the API key contains a character outside base62")
        }
        var crc = CRC32()
        crc.update(bufferPointer: UnsafeRawBufferPointer(rebasing: key[0..<checksumStart]))
        // The checksum is public (anyone can compute it from the rest), so an ordinary
        // comparison is fine here.
        guard presented == UInt64(crc.finalize()) else {
            return APIKeyError(.badChecksum, "the API key's checksum does not match: it was mistyped or truncated")
        }
        return nil
    }

    /// The non-secret beginning of `key` shown in listings and logs: the prefix and the first
    /// ``displayedRandomCharacters`` random digits, such as `tka_live_4QmZ`.
    public func displayPrefix(of key: String) -> String {
        String(decoding: key.utf8.prefix(prefix.utf8.count + Self.displayedRandomCharacters), as: UTF8.self)
    }

    static func isASCIILetter(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
    }
}
