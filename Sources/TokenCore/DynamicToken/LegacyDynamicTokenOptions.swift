/// The shared settings of the legacy dynamic-token format: API key, split characters, tolerance,
/// whether a uuid is required, and the input size bound.
///
/// The legacy format is **obfuscation, not cryptography**: base-64-decoding one token shows the
/// API key in clear text. Use it only to accept tokens from existing clients of the JavaScript and
/// Rust `dynamic-token` libraries; new clients use ``DynamicTokenSigner``.
///
/// ```swift
/// let options = try LegacyDynamicTokenOptions(apiKey: "Opus;Magna-897", requiresUUID: true)
/// ```
public struct LegacyDynamicTokenOptions: Sendable {
    /// The characters the default options split on: `%`, `.` and `,`.
    public static let defaultSplitCharacters = "%.,"

    /// The shared API key.
    public let apiKey: String
    /// The split characters, one Unicode scalar each, in the order given.
    public let splitCharacters: [Unicode.Scalar]
    /// How far the token's timestamp may be from the clock, in either direction.
    public let tolerance: Duration
    /// Whether a token must carry a uuid (with at least 16 hexadecimal digits).
    public var requiresUUID: Bool
    /// The longest token (base-64 text, in bytes) the decoder reads; longer ones are `invalid`.
    public let maximumTokenLength: Int

    let keyBytes: [UInt8]
    let splitSequences: [[UInt8]]
    /// `splitTable[b]` for ASCII split characters; non-ASCII ones are matched by sequence.
    let asciiSplitTable: [Bool]
    let hasNonASCIISplit: Bool
    let toleranceMilliseconds: Int64

    /// Creates options, validating each one.
    ///
    /// - Parameters:
    ///   - apiKey: The shared key: non-empty UTF-8, at most 512 bytes.
    ///   - splitCharacters: One or more distinct characters, none a letter, a digit or `_` (the
    ///     Rust crate's rule; letters and digits would be confused with base-36 digits). Any other
    ///     Unicode scalar is allowed. Default `%.,`.
    ///   - tolerance: Accepted clock difference in either direction, 0 to 1 day. Default 5 minutes.
    ///   - requiresUUID: Require an embedded uuid. Unlike the references, a token with no uuid
    ///     part at all is then rejected. Default `false`.
    ///   - maximumTokenLength: Input bound in bytes, 64 to 65 536. Default 2 048.
    /// - Throws: ``DynamicTokenError`` with code `invalid_configuration`.
    public init(
        apiKey: String,
        splitCharacters: String = LegacyDynamicTokenOptions.defaultSplitCharacters,
        tolerance: Duration = .seconds(300),
        requiresUUID: Bool = false,
        maximumTokenLength: Int = 2048
    ) throws(DynamicTokenError) {
        let keyBytes = Array(apiKey.utf8)
        guard !keyBytes.isEmpty, keyBytes.count <= 512 else {
            throw DynamicTokenError(.invalidConfiguration, "the legacy API key must be 1 to 512 bytes of UTF-8")
        }
        let scalars = Array(splitCharacters.unicodeScalars)
        guard !scalars.isEmpty else {
            throw DynamicTokenError(.invalidConfiguration, "at least one split character is required")
        }
        guard Set(scalars).count == scalars.count else {
            throw DynamicTokenError(.invalidConfiguration, "split characters must be distinct")
        }
        for s in scalars where s == "_" || s.properties.isAlphabetic || s.properties.numericType != nil
            || (s.isASCII && Base36.digitValue(UInt8(s.value)) != nil) {
            throw DynamicTokenError(.invalidConfiguration, "split characters must not be letters, digits or '_' (U+\(String(s.value, radix: 16, uppercase: true)))")
        }
        guard let ms = Self.milliseconds(tolerance), ms >= 0, ms <= 86_400_000 else {
            throw DynamicTokenError(.invalidConfiguration, "the tolerance must be between 0 and 1 day")
        }
        guard (64...65_536).contains(maximumTokenLength) else {
            throw DynamicTokenError(.invalidConfiguration, "the maximum token length must be between 64 and 65536 bytes")
        }
        self.apiKey = apiKey
        self.keyBytes = keyBytes
        self.splitCharacters = scalars
        self.splitSequences = scalars.map { Array(String($0).utf8) }
        var table = [Bool](repeating: false, count: 256)
        for s in scalars where s.isASCII { table[Int(s.value)] = true }
        self.asciiSplitTable = table
        self.hasNonASCIISplit = scalars.contains { !$0.isASCII }
        self.tolerance = tolerance
        self.toleranceMilliseconds = ms
        self.requiresUUID = requiresUUID
        self.maximumTokenLength = maximumTokenLength
    }

    /// Whole milliseconds in `duration` (truncated), or `nil` when it does not fit `Int64`.
    static func milliseconds(_ duration: Duration) -> Int64? {
        let (seconds, attoseconds) = duration.components
        let (ms, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        guard !overflow else { return nil }
        let (total, overflow2) = ms.addingReportingOverflow(attoseconds / 1_000_000_000_000_000)
        return overflow2 ? nil : total
    }

    /// The index in `bytes` of the first split character at or after `start`, and its length.
    func firstSplit(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> (index: Int, length: Int)? {
        var i = start
        while i < end {
            let b = bytes[i]
            if b < 0x80 {
                if asciiSplitTable[Int(b)] { return (i, 1) }
            } else if hasNonASCIISplit {
                for seq in splitSequences where seq.count > 1 && i + seq.count <= end {
                    var match = true
                    for j in 0..<seq.count where bytes[i + j] != seq[j] { match = false; break }
                    if match { return (i, seq.count) }
                }
            }
            i += 1
        }
        return nil
    }
}
