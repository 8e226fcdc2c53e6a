import Foundation

/// Makes legacy dynamic tokens that the JavaScript and Rust `dynamic-token` decoders accept.
///
/// For Swift clients of servers that only speak the legacy format. **The format is obfuscation:**
/// the API key is readable from any token. Prefer ``DynamicTokenSigner``.
///
/// Every token is checked before it is returned: it is decoded with the specification's steps
/// and must give back its own timestamp and uuid. Some short keys collide with the token's own
/// characters (a key `"x"` when the timestamp contains `x`); the encoder then draws new random
/// parts and, if needed, steps the timestamp back by a few milliseconds, and throws if no
/// unambiguous token exists.
///
/// ```swift
/// let encoder = LegacyDynamicTokenEncoder(options: try LegacyDynamicTokenOptions(apiKey: key))
/// request.headers.replaceOrAdd(name: "X-Dynamic-Token", value: try encoder.encode())
/// ```
public struct LegacyDynamicTokenEncoder: Sendable {
    /// The key and split characters.
    public let options: LegacyDynamicTokenOptions
    /// The source of token timestamps.
    public let clock: any WallClock
    /// The source of split characters and security numbers.
    public let random: any RandomSource

    /// - Parameters:
    ///   - options: The key and split characters (tolerance and the uuid requirement are the
    ///     decoder's and do not affect encoding).
    ///   - clock: The token's time. Default ``SystemClock``.
    ///   - random: For the split characters and security numbers. Default ``SystemRandomSource``.
    public init(options: LegacyDynamicTokenOptions, clock: any WallClock = SystemClock(), random: any RandomSource = SystemRandomSource()) {
        self.options = options
        self.clock = clock
        self.random = random
    }

    /// Makes a token at the clock's current time.
    /// - Parameter uuid: An optional identifier of 24 to 64 hexadecimal digits; hyphens are
    ///   removed first. A half starting with `0` comes back shorter from the references' decoder
    ///   (the format does not pad).
    /// - Throws: ``DynamicTokenError`` (`invalid_configuration`) for a malformed uuid, a time
    ///   before 1970, or a key that cannot be embedded unambiguously.
    public func encode(uuid: String? = nil) throws(DynamicTokenError) -> String {
        try encode(uuid: uuid, atMilliseconds: clock.now().unixMilliseconds)
    }

    /// Makes a token for the time `milliseconds` (Unix milliseconds). See ``encode(uuid:)``.
    public func encode(uuid: String? = nil, atMilliseconds milliseconds: Int64) throws(DynamicTokenError) -> String {
        var halves: (String, String)?
        var expectedUUID: String?
        if let uuid {
            let hex = uuid.unicodeScalars.filter { $0 != "-" }.map(Character.init)
            guard (24...64).contains(hex.count), hex.allSatisfy(\.isHexDigit) else {
                throw DynamicTokenError(.invalidConfiguration, "a legacy uuid must have 24 to 64 hexadecimal digits")
            }
            let text = String(hex).lowercased()
            let cut = text.index(text.startIndex, offsetBy: 12)
            do {
                let high = try Base36.fromHexadecimal(text[..<cut])
                let low = try Base36.fromHexadecimal(text[cut...])
                halves = (high, low)
                expectedUUID = try Base36.toHexadecimal(high) + Base36.toHexadecimal(low)
            } catch {
                throw DynamicTokenError(.invalidConfiguration, "a legacy uuid must have 24 to 64 hexadecimal digits")
            }
        }
        let checker = LegacyDynamicTokenDecoder(
            options: options.withUUIDRequirement(halves != nil),
            clock: clock
        )
        // Step the time back at most 50 ms (well inside any tolerance) looking for an
        // unambiguous token; at each time, a few draws of the random parts.
        for step in Int64(0)..<50 {
            let time = milliseconds - step
            guard time >= 0 else { break }
            for _ in 0..<4 {
                let token = try candidate(at: time, halves: halves)
                let verdict = checker.decode(token, nowMilliseconds: time)
                if verdict.status == .ok, verdict.timestampMilliseconds == time, verdict.uuid == expectedUUID {
                    return token
                }
            }
        }
        throw DynamicTokenError(.invalidConfiguration, "the API key cannot be embedded unambiguously in a legacy token at this time (use a longer key)")
    }

    /// One encoding with fresh random parts, following the specification's steps 1–5.
    func candidate(at time: Int64, halves: (String, String)?) throws(DynamicTokenError) -> String {
        let reversed = Array(Base36.encode(UInt64(time)).utf8.reversed())
        guard let first = reversed.first.flatMap(Base36.digitValue) else {
            throw DynamicTokenError(.invalidConfiguration, "internal base-36 error")
        }
        let offset = Int(first % 6) + 2
        guard reversed.count >= offset else {
            throw DynamicTokenError(.invalidConfiguration, "the time is too early for the legacy format")
        }
        var out = [UInt8]()
        out.reserveCapacity(reversed.count + options.keyBytes.count + 48)
        out.append(contentsOf: reversed[..<offset])
        out.append(contentsOf: options.keyBytes)
        out.append(contentsOf: reversed[offset...])
        try appendNoise(to: &out)
        if let (high, low) = halves {
            out.append(contentsOf: Array("__".utf8))
            out.append(contentsOf: Array(high.utf8))
            out.append(UInt8(ascii: "_"))
            out.append(contentsOf: Array(low.utf8))
            try appendNoise(to: &out)
        }
        return Base64.encode(out)
    }

    /// A random split character, then a random integer in [0, 1000) in base 36.
    private func appendNoise(to out: inout [UInt8]) throws(DynamicTokenError) {
        let bytes: [UInt8]
        do { bytes = try random.bytes(count: 5) } catch {
            throw DynamicTokenError(.invalidConfiguration, "the random source failed: \(error.reason)")
        }
        let sequences = options.splitSequences
        out.append(contentsOf: sequences[Int(bytes[0]) % sequences.count])
        let number = (UInt32(bytes[1]) << 24 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 8 | UInt32(bytes[4])) % 1000
        out.append(contentsOf: Array(Base36.encode(UInt64(number)).utf8))
    }
}

extension LegacyDynamicTokenOptions {
    /// A copy with ``requiresUUID`` set.
    func withUUIDRequirement(_ required: Bool) -> LegacyDynamicTokenOptions {
        var copy = self
        copy.requiresUUID = required
        return copy
    }
}
