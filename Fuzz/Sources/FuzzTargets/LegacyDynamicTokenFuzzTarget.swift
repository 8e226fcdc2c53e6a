import Foundation
import TokenCore

/// The legacy dynamic-token decoder (`LegacyDynamicTokenDecoder`), the wire format of the
/// JavaScript and Rust `dynamic-token` libraries.
///
/// The first input byte picks a mode and the options (uuid required or not, default or
/// non-ASCII split characters):
/// - **decode** (even): the rest is a token, decoded at a fixed time. A valid verdict carries
///   its timestamp, an age equal to `now − timestamp` and within the tolerance, and a uuid of at
///   least 16 hexadecimal digits when one is required; a token longer than the bound is invalid.
/// - **round trip** (odd): a time, a uuid and the encoder's random bytes from the input;
///   `LegacyDynamicTokenEncoder` makes a token and the decoder accepts it at that time, with a
///   timestamp at most 50 ms earlier and the uuid when one was given.
enum LegacyDynamicTokenFuzzTarget {
    static let target = FuzzTarget(
        name: "dynamic-legacy",
        summary: "legacy dynamic tokens: verdicts are consistent; encode then decode round-trips",
        run: run,
        seeds: seeds
    )

    static let now: Int64 = 1_700_000_000_000
    static let apiKey = "Opus;Magna-897"

    /// [plain, uuid required] × [default split characters, `%.,` plus two non-ASCII ones]: the
    /// options at index `i + 2` are those at `i` with a uuid required.
    static let optionSets: [LegacyDynamicTokenOptions] = [false, true].flatMap { requiresUUID in
        [LegacyDynamicTokenOptions.defaultSplitCharacters, "%.,§→"].compactMap { split in
            try? LegacyDynamicTokenOptions(apiKey: apiKey, splitCharacters: split, requiresUUID: requiresUUID)
        }
    }

    static func run(_ raw: UnsafeRawBufferPointer) {
        invariant(optionSets.count == 4, "the fixed legacy options were refused")
        var input = FuzzInput(raw)
        let selector = input.byte()
        let options = optionSets[Int(selector >> 1) % optionSets.count]
        let decoder = LegacyDynamicTokenDecoder(options: options)
        if selector % 2 == 0 {
            let token = String(decoding: input.rest(), as: UTF8.self)
            check(decoder.decode(token, nowMilliseconds: now), token: token, options: options)
        } else {
            let time = Int64(input.uint32()) * 1000 + Int64(input.uint16() % 1000)
            let uuidLength = Int(input.byte() % 48)
            let uuidBytes = input.bytes(uuidLength)
            let hexDigits = Array("0123456789abcdefABCDEF-".utf8)
            let uuid = uuidLength < 24 && !options.requiresUUID
                ? nil : String(decoding: uuidBytes.map { hexDigits[Int($0) % hexDigits.count] }, as: UTF8.self)
            let encoder = LegacyDynamicTokenEncoder(options: options, random: RepeatingRandomSource(seed: input.rest()))
            guard let token = try? encoder.encode(uuid: uuid, atMilliseconds: time) else { return }
            let verdict = decoder.decode(token, nowMilliseconds: time)
            invariant(verdict.status == .ok, "an encoded token decodes as \(verdict.status)")
            invariant(verdict.timestampMilliseconds.map { $0 <= time && $0 > time - 50 } == true, "the encoded time did not round-trip")
            // The decoder reports a uuid only when its options require one.
            invariant((verdict.uuid != nil) == (uuid != nil && options.requiresUUID), "the uuid did not round-trip")
            check(verdict, token: token, options: options, now: time)
            if uuid != nil, !options.requiresUUID {
                let requiring = optionSets[Int(selector >> 1) % 2 + 2]
                let strict = LegacyDynamicTokenDecoder(options: requiring).decode(token, nowMilliseconds: time)
                invariant(strict.status == .ok && strict.uuid != nil, "a token made with a uuid is refused where one is required")
            }
        }
    }

    static func check(_ verdict: LegacyDynamicTokenVerdict, token: String, options: LegacyDynamicTokenOptions, now: Int64 = now) {
        if token.utf8.count > options.maximumTokenLength {
            invariant(verdict.status == .invalid, "a token over the length bound was read")
        }
        guard verdict.isValid else { return }
        invariant(verdict.timestampMilliseconds != nil && verdict.ageMilliseconds != nil, "a valid verdict without a time")
        if let timestamp = verdict.timestampMilliseconds, let age = verdict.ageMilliseconds {
            invariant(age == now - timestamp, "age \(age) is not now − timestamp")
            invariant(abs(age) <= options.toleranceMillisecondsForFuzzing, "a valid verdict outside the tolerance")
        }
        if options.requiresUUID {
            invariant((verdict.uuid?.utf8.count ?? 0) >= 16, "a required uuid is missing or short in a valid verdict")
            invariant(verdict.uuid?.allSatisfy(\.isHexDigit) == true, "the uuid is not hexadecimal")
        }
    }

    static func seeds() -> [[UInt8]] {
        var seeds: [[UInt8]] = []
        for (index, options) in optionSets.enumerated() {
            let encoder = LegacyDynamicTokenEncoder(options: options, random: RepeatingRandomSource(seed: [3, 141, 59, 26]))
            let uuid: String? = options.requiresUUID ? "3f2504e0-4f89-11d3-9a0c-0305e82c3301" : nil
            if let token = try? encoder.encode(uuid: uuid, atMilliseconds: now) {
                seeds.append([UInt8(index << 1)] + Array(token.utf8))
            }
            seeds.append([UInt8(index << 1 | 1), 0x65, 0x53, 0xF1, 0x00, 0x01, 0x2C, 36] + Array("3f2504e04f8911d39a0c0305e82c3301abcd".utf8) + [9, 8, 7])
        }
        return seeds
    }
}

extension LegacyDynamicTokenOptions {
    /// The tolerance in milliseconds (the decoder's own field is internal to TokenCore).
    var toleranceMillisecondsForFuzzing: Int64 {
        let (seconds, attoseconds) = tolerance.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
