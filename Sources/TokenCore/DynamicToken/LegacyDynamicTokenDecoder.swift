public import Foundation

/// Decodes and checks legacy dynamic tokens, the wire format of the JavaScript and Rust
/// `dynamic-token` libraries (see `Docs/DynamicTokenLegacy.md`).
///
/// **This format is obfuscation, not cryptography.** Anyone who base-64-decodes one token reads
/// the API key, and a token can be replayed for the whole tolerance window. Accept it only for
/// existing clients; the secure default is the signed format (``DynamicTokenVerifier``).
///
/// Differences from the references, all deliberate: a required uuid that is absent is rejected;
/// the input is bounded (``LegacyDynamicTokenOptions/maximumTokenLength``); the API key at its
/// expected position is compared in constant time; split characters are exactly the configured
/// ones; numbers are read strictly (whole fields of base-36 digits, overflow reported, not
/// wrapped); negative ages are reported as they are.
///
/// ```swift
/// let decoder = LegacyDynamicTokenDecoder(options: try LegacyDynamicTokenOptions(apiKey: key))
/// let verdict = decoder.decode(headerValue)
/// if verdict.isValid { … } else { log(verdict.status.rustName) }
/// ```
public struct LegacyDynamicTokenDecoder: Sendable {
    /// Key, split characters, tolerance and uuid requirement.
    public let options: LegacyDynamicTokenOptions
    /// The time tokens are checked against.
    public let clock: any WallClock

    /// - Parameters:
    ///   - options: Key, split characters, tolerance, uuid requirement.
    ///   - clock: The time tokens are checked against. Default ``SystemClock``.
    public init(options: LegacyDynamicTokenOptions, clock: any WallClock = SystemClock()) {
        self.options = options
        self.clock = clock
    }

    /// Decodes `token` at the clock's current time.
    public func decode(_ token: String) -> LegacyDynamicTokenVerdict {
        decode(token, nowMilliseconds: clock.now().unixMilliseconds)
    }

    /// Decodes `token` as if the time were `date`.
    public func decode(_ token: String, at date: Date) -> LegacyDynamicTokenVerdict {
        decode(token, nowMilliseconds: date.unixMilliseconds)
    }

    /// Decodes `token` at the clock's time and returns the verdict when valid.
    /// - Throws: ``DynamicTokenError`` with the code of the rejecting status (`legacy.timed_out`, …).
    public func verify(_ token: String) throws(DynamicTokenError) -> LegacyDynamicTokenVerdict {
        try decode(token).requireValid()
    }

    /// Decodes `token` as if the time were `nowMilliseconds` (Unix milliseconds).
    ///
    /// The steps of the specification, in order: base 64 and UTF-8 (`invalid`); the first
    /// character (`invalid`); the API key's first occurrence (`unmatched_api_key`,
    /// `misplaced_api_key`); the uuid when required (`valid_uuid_required`,
    /// `uuid_security_number_missing`); the timestamp part (`invalid_imestamp`); the age
    /// (`timed_out`).
    public func decode(_ token: String, nowMilliseconds now: Int64) -> LegacyDynamicTokenVerdict {
        guard token.utf8.count <= options.maximumTokenLength, !token.isEmpty else { return LegacyDynamicTokenVerdict(status: .invalid) }
        return token.withBorrowedUTF8 { raw in
            // Decoded on the stack (the token is bounded), then checked there.
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: raw.count / 4 * 3 + 3) { buffer in
                guard let count = try? Base64.decodePadded(UnsafeRawBufferPointer(raw), into: buffer), count > 0 else {
                    return LegacyDynamicTokenVerdict(status: .invalid)
                }
                return check(UnsafeBufferPointer(rebasing: buffer[0..<count]), now: now)
            }
        }
    }

    /// The decoding steps after base 64, on the decoded bytes.
    func check(_ bytes: UnsafeBufferPointer<UInt8>, now: Int64) -> LegacyDynamicTokenVerdict {
        let n = bytes.count
        // Step 1 (UTF-8). Only a token with a non-ASCII byte needs the full validation.
        var isASCII = true
        for b in bytes where b >= 0x80 { isASCII = false; break }
        if !isASCII, !Self.isValidUTF8(bytes) { return LegacyDynamicTokenVerdict(status: .invalid) }

        // Step 2: the first character designates where the key sits.
        guard let first = Base36.digitValue(bytes[0]) else { return LegacyDynamicTokenVerdict(status: .invalid) }
        let expected = Int(first % 6) + 2

        // Step 3: the key's first occurrence must start at `expected`. Every candidate position up
        // to `expected` is compared in constant time, so accepting a key never depends on where
        // its bytes first differ.
        let key = options.keyBytes
        let k = key.count
        var firstMatch = -1
        key.withUnsafeBufferPointer { keyBuffer in
            let keyRaw = UnsafeRawBufferPointer(keyBuffer)
            var p = 0
            while p <= expected, p + k <= n {
                let candidate = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[p..<(p + k)])
                if ConstantTime.isEqual(candidate, keyRaw), firstMatch < 0 { firstMatch = p }
                p += 1
            }
        }
        if firstMatch != expected {
            if firstMatch >= 0 { return LegacyDynamicTokenVerdict(status: .misplacedAPIKey) }
            return LegacyDynamicTokenVerdict(status: Self.find(key, in: bytes, from: expected + 1, to: n) == nil ? .unmatchedAPIKey : .misplacedAPIKey)
        }
        // A character index, as the references count: every byte before the key must be ASCII.
        for i in 0..<expected where bytes[i] >= 0x80 { return LegacyDynamicTokenVerdict(status: .misplacedAPIKey) }
        let keyEnd = expected + k

        // Step 4: the base part ends at the first `__` after the key (so a key that itself
        // contains `__` still works); the uuid part follows it.
        let separator = Self.find([0x5F, 0x5F], in: bytes, from: keyEnd, to: n)
        let baseEnd = separator ?? n
        var uuid: String?
        if options.requiresUUID {
            guard let separator else { return LegacyDynamicTokenVerdict(status: .uuidRequired) }
            switch readUUID(bytes, from: separator + 2, to: n) {
            case .uuid(let value): uuid = value
            case .rejected(let status): return LegacyDynamicTokenVerdict(status: status)
            }
        }

        // Step 5: remove every occurrence of the key from the base part (the first one is at
        // `expected`), split at the first split character, read the reversed timestamp.
        let timestamp: Int64? = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(baseEnd - k, 1)) { buffer in
            var count = 0
            for j in 0..<expected {
                buffer[count] = bytes[j]
                count += 1
            }
            var i = keyEnd
            while i < baseEnd {
                if i + k <= baseEnd, bytes[i] == key[0], Self.matches(key, in: bytes, at: i) {
                    i += k
                } else {
                    buffer[count] = bytes[i]
                    count += 1
                    i += 1
                }
            }
            let s = UnsafeBufferPointer(rebasing: buffer[0..<count])
            guard let split = options.firstSplit(in: s, from: 0, to: s.count), split.index > 0 else { return nil }
            let tailStart = split.index + split.length
            guard tailStart < s.count, s.count - tailStart <= 13,
                  (try? Base36.decode(utf8: s[tailStart..<s.count])) != nil,
                  let value = try? Base36.decodeReversed(utf8: s[0..<split.index]),
                  value <= UInt64(Int64.max)
            else { return nil }
            return Int64(value)
        }
        guard let timestamp else { return LegacyDynamicTokenVerdict(status: .invalidTimestamp, uuid: uuid) }

        // Step 6: the age, in both directions, without overflow.
        let (age, overflow) = now.subtractingReportingOverflow(timestamp)
        let tolerance = options.toleranceMilliseconds
        let inside = !overflow && age >= -tolerance && age <= tolerance
        return LegacyDynamicTokenVerdict(
            status: inside ? .ok : .timedOut,
            ageMilliseconds: overflow ? nil : age,
            timestampMilliseconds: timestamp,
            uuid: uuid
        )
    }

    /// Reads the uuid part: `base36 "_" base36 <split> base36`.
    ///
    /// Works on the bytes: exactly one `_` splits two non-empty halves of at most 40 base-36
    /// digits each, and each half is converted to hexadecimal straight into the result string.
    private func readUUID(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> UUIDRead {
        guard let split = options.firstSplit(in: bytes, from: start, to: end) else { return .rejected(.securityNumberMissing) }
        var underscore = -1
        for i in start..<split.index where bytes[i] == UInt8(ascii: "_") {
            guard underscore < 0 else { return .rejected(.uuidRequired) }
            underscore = i
        }
        // 40 base-36 digits per half is far beyond any identifier and keeps the conversion cheap.
        guard underscore >= 0 else { return .rejected(.uuidRequired) }
        let high = bytes[start..<underscore]
        let low = bytes[(underscore + 1)..<split.index]
        guard !high.isEmpty, high.count <= 40, !low.isEmpty, low.count <= 40,
              let uuid = Base36.hexadecimalConcatenation(high, low)
        else { return .rejected(.uuidRequired) }
        guard uuid.utf8.count >= 16 else { return .rejected(.uuidRequired) }
        let tailStart = split.index + split.length
        guard tailStart < end, end - tailStart <= 13,
              (try? Base36.decode(utf8: bytes[tailStart..<end])) != nil
        else { return .rejected(.securityNumberMissing) }
        return .uuid(uuid)
    }

    private enum UUIDRead {
        case uuid(String)
        case rejected(LegacyDynamicTokenStatus)
    }

    static func matches(_ needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        guard i + needle.count <= bytes.count else { return false }
        for j in 0..<needle.count where bytes[i + j] != needle[j] { return false }
        return true
    }

    static func find(_ needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int? {
        guard !needle.isEmpty, start >= 0 else { return nil }
        var i = start
        while i + needle.count <= end {
            if bytes[i] == needle[0], matches(needle, in: bytes, at: i) { return i }
            i += 1
        }
        return nil
    }

    /// Whether `bytes` is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // Decoding replaces each ill-formed sequence with U+FFFD; a well-formed input round-trips.
        String(decoding: bytes, as: UTF8.self).utf8.elementsEqual(bytes)
    }
}
