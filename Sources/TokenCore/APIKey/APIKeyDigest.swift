/// The 32-byte hash of an API key: what stores keep and look keys up by.
///
/// Held as four words so that hashing it into a dictionary and comparing it cost no allocation.
/// Looking a key up by its digest means no comparison ever runs over the key's secret bytes:
/// the dictionary compares digests of attacker-chosen input, which reveal nothing useful about
/// stored keys (SHA-256 preimage resistance).
public struct APIKeyDigest: Sendable, Hashable, CustomStringConvertible {
    var w0, w1, w2, w3: UInt64

    /// Creates a digest from exactly 32 bytes.
    /// - Returns: `nil` when `bytes` is not 32 bytes long.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        func word(_ i: Int) -> UInt64 {
            var w: UInt64 = 0
            for j in 0..<8 { w = w << 8 | UInt64(bytes[i * 8 + j]) }
            return w
        }
        (w0, w1, w2, w3) = (word(0), word(1), word(2), word(3))
    }

    /// Parses 64 hex digits, as written in key files.
    /// - Throws: ``APIKeyError/Code/storeCorrupt`` when `hex` is not a 32-byte hex string.
    public init(hex: String) throws(APIKeyError) {
        guard let bytes = try? Hex.decode(hex), let digest = APIKeyDigest(bytes: bytes) else {
            throw APIKeyError(.storeCorrupt, "a stored key hash is not 64 hex digits")
        }
        self = digest
    }

    /// The 32 bytes, big-endian word by word.
    public var bytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(32)
        for w in [w0, w1, w2, w3] {
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: w >> UInt64(shift))) }
        }
        return out
    }

    /// Lowercase hex, as written in key files.
    public var hex: String { Hex.encode(bytes) }

    /// A redacted form: a digest is not a credential, but it has no business in logs.
    public var description: String { "APIKeyDigest(…)" }
}
