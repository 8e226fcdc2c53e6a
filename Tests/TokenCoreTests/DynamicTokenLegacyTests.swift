import Foundation
import Testing
import TestSupport
@testable import TokenCore

// MARK: - Ported reference vectors

/// A vector made by the JavaScript reference (dynamic-token 1.0.0), with what its decoder
/// answered at fixed clocks. Five of the forty in ../shared/vectors/dynamic-token-legacy.json,
/// one per API key, ported so this suite is meaningful without ../shared.
struct PortedLegacyVector: Sendable, CustomTestStringConvertible {
    struct Check: Sendable {
        var apiKey: String?
        var checkUUID: Bool
        var toleranceMs: Int64
        var nowMs: Int64
        var valid: Bool
        var status: String
        var ageMs: Int64
        var uuid: String
    }
    var apiKey: String
    var uuid: String
    var createdMs: Int64
    var token: String
    var decoded: String
    var checks: [Check]
    var testDescription: String { decoded }
}

let portedLegacyVectors: [PortedLegacyVector] = [
    PortedLegacyVector(
        apiKey: "Opus;Magna-897", uuid: "", createdMs: 1710105367868,
        token: "OHR5a09wdXM7TWFnbmEtODk3MG10bCw3Mg==",
        decoded: "8tykOpus;Magna-8970mtl,72",
        checks: [
            .init(apiKey: nil, checkUUID: false, toleranceMs: 300000, nowMs: 1710105369368, valid: true, status: "ok", ageMs: 1500, uuid: ""),
            .init(apiKey: nil, checkUUID: false, toleranceMs: 300000, nowMs: 1710105667867, valid: true, status: "ok", ageMs: 299999, uuid: ""),
            .init(apiKey: nil, checkUUID: false, toleranceMs: 300000, nowMs: 1710105667869, valid: false, status: "timed_out", ageMs: 300001, uuid: ""),
            .init(apiKey: nil, checkUUID: false, toleranceMs: 300000, nowMs: 1710105067867, valid: false, status: "timed_out", ageMs: -1, uuid: ""),
            .init(apiKey: nil, checkUUID: false, toleranceMs: 1000, nowMs: 1710105368868, valid: true, status: "ok", ageMs: 1000, uuid: ""),
            .init(apiKey: nil, checkUUID: false, toleranceMs: 1000, nowMs: 1710105366869, valid: true, status: "ok", ageMs: -1, uuid: ""),
            .init(apiKey: "Opus;Magna-897Z", checkUUID: false, toleranceMs: 300000, nowMs: 1710105367878, valid: false, status: "unmatched_api_key", ageMs: -1, uuid: ""),
        ]
    ),
    PortedLegacyVector(
        apiKey: "Magna;Carta123", uuid: "5d00012de43dcd165cceb295", createdMs: 1710105375788,
        token: "OHg0bE1hZ25hO0NhcnRhMTIzMG10bCU3aV9fMTA4djQ1ZWU2NV8yN3hqZWVscjRsLjNt",
        decoded: "8x4lMagna;Carta1230mtl%7i__108v45ee65_27xjeelr4l.3m",
        checks: [
            .init(apiKey: nil, checkUUID: false, toleranceMs: 300000, nowMs: 1710105377288, valid: true, status: "ok", ageMs: 1500, uuid: ""),
            .init(apiKey: nil, checkUUID: true, toleranceMs: 300000, nowMs: 1710105675787, valid: true, status: "ok", ageMs: 299999, uuid: "5d00012de43dcd165cceb295"),
            .init(apiKey: nil, checkUUID: false, toleranceMs: 300000, nowMs: 1710105675789, valid: false, status: "timed_out", ageMs: 300001, uuid: ""),
            .init(apiKey: nil, checkUUID: false, toleranceMs: 300000, nowMs: 1710105075787, valid: false, status: "timed_out", ageMs: -1, uuid: ""),
            .init(apiKey: nil, checkUUID: true, toleranceMs: 1000, nowMs: 1710105376788, valid: true, status: "ok", ageMs: 1000, uuid: "5d00012de43dcd165cceb295"),
            .init(apiKey: nil, checkUUID: false, toleranceMs: 1000, nowMs: 1710105374789, valid: true, status: "ok", ageMs: -1, uuid: ""),
            .init(apiKey: "Magna;Carta123Z", checkUUID: false, toleranceMs: 300000, nowMs: 1710105375798, valid: false, status: "unmatched_api_key", ageMs: -1, uuid: ""),
        ]
    ),
    PortedLegacyVector(
        apiKey: "my_cryptic_shared_api_key", uuid: "0a1b2c3d4e5f60718293a4b5", createdMs: 1710105383708,
        token: "ODFibG15X2NyeXB0aWNfc2hhcmVkX2FwaV9rZXkwbXRsLjc0X18zeHNwOGE3MzNfMTFsNmVhNWE1eC5nMQ==",
        decoded: "81blmy_cryptic_shared_api_key0mtl.74__3xsp8a733_11l6ea5a5x.g1",
        checks: [
            .init(apiKey: nil, checkUUID: false, toleranceMs: 300000, nowMs: 1710105385208, valid: true, status: "ok", ageMs: 1500, uuid: ""),
            .init(apiKey: nil, checkUUID: true, toleranceMs: 300000, nowMs: 1710105683707, valid: true, status: "ok", ageMs: 299999, uuid: "a1b2c3d4e5f60718293a4b5"),
            .init(apiKey: nil, checkUUID: false, toleranceMs: 300000, nowMs: 1710105683709, valid: false, status: "timed_out", ageMs: 300001, uuid: ""),
            .init(apiKey: nil, checkUUID: false, toleranceMs: 300000, nowMs: 1710105083707, valid: false, status: "timed_out", ageMs: -1, uuid: ""),
            .init(apiKey: nil, checkUUID: true, toleranceMs: 1000, nowMs: 1710105384708, valid: true, status: "ok", ageMs: 1000, uuid: "a1b2c3d4e5f60718293a4b5"),
            .init(apiKey: nil, checkUUID: false, toleranceMs: 1000, nowMs: 1710105382709, valid: true, status: "ok", ageMs: -1, uuid: ""),
            .init(apiKey: "my_cryptic_shared_api_keyZ", checkUUID: false, toleranceMs: 300000, nowMs: 1710105383718, valid: false, status: "unmatched_api_key", ageMs: -1, uuid: ""),
        ]
    ),
    PortedLegacyVector(
        apiKey: "k3y-with-dash", uuid: "6061f78686f34f52da3ef464", createdMs: 1710105391628,
        token: "ODVobGszeS13aXRoLWRhc2gwbXRsJW14X18xMWticThpaDJyX3V3ejI1NjNqOCU0Zg==",
        decoded: "85hlk3y-with-dash0mtl%mx__11kbq8ih2r_uwz2563j8%4f",
        checks: [
            .init(apiKey: nil, checkUUID: false, toleranceMs: 300000, nowMs: 1710105393128, valid: true, status: "ok", ageMs: 1500, uuid: ""),
            .init(apiKey: nil, checkUUID: true, toleranceMs: 300000, nowMs: 1710105691627, valid: true, status: "ok", ageMs: 299999, uuid: "6061f78686f34f52da3ef464"),
            .init(apiKey: nil, checkUUID: false, toleranceMs: 300000, nowMs: 1710105691629, valid: false, status: "timed_out", ageMs: 300001, uuid: ""),
            .init(apiKey: nil, checkUUID: false, toleranceMs: 300000, nowMs: 1710105091627, valid: false, status: "timed_out", ageMs: -1, uuid: ""),
            .init(apiKey: nil, checkUUID: true, toleranceMs: 1000, nowMs: 1710105392628, valid: true, status: "ok", ageMs: 1000, uuid: "6061f78686f34f52da3ef464"),
            .init(apiKey: nil, checkUUID: false, toleranceMs: 1000, nowMs: 1710105390629, valid: true, status: "ok", ageMs: -1, uuid: ""),
            .init(apiKey: "k3y-with-dashZ", checkUUID: false, toleranceMs: 300000, nowMs: 1710105391638, valid: false, status: "unmatched_api_key", ageMs: -1, uuid: ""),
        ]
    ),
    PortedLegacyVector(
        apiKey: "x", uuid: "acde070d8c4c4f0d9d8a1628", createdMs: 1710105399548,
        token: "ODlubHgwbXRsLnE5X18xdmRncnAwZTMwX3V0Nmc2MG01ay5mYg==",
        decoded: "89nlx0mtl.q9__1vdgrp0e30_ut6g60m5k.fb",
        checks: [
            .init(apiKey: nil, checkUUID: false, toleranceMs: 300000, nowMs: 1710105401048, valid: true, status: "ok", ageMs: 1500, uuid: ""),
            .init(apiKey: nil, checkUUID: true, toleranceMs: 300000, nowMs: 1710105699547, valid: true, status: "ok", ageMs: 299999, uuid: "acde070d8c4c4f0d9d8a1628"),
            .init(apiKey: nil, checkUUID: false, toleranceMs: 300000, nowMs: 1710105699549, valid: false, status: "timed_out", ageMs: 300001, uuid: ""),
            .init(apiKey: nil, checkUUID: false, toleranceMs: 300000, nowMs: 1710105099547, valid: false, status: "timed_out", ageMs: -1, uuid: ""),
            .init(apiKey: nil, checkUUID: true, toleranceMs: 1000, nowMs: 1710105400548, valid: true, status: "ok", ageMs: 1000, uuid: "acde070d8c4c4f0d9d8a1628"),
            .init(apiKey: nil, checkUUID: false, toleranceMs: 1000, nowMs: 1710105398549, valid: true, status: "ok", ageMs: -1, uuid: ""),
            .init(apiKey: "xZ", checkUUID: false, toleranceMs: 300000, nowMs: 1710105399558, valid: false, status: "unmatched_api_key", ageMs: -1, uuid: ""),
        ]
    ),
]

/// Compares our verdict with the reference's answer. For negative ages the reference reports
/// −1 and we report the true age; when no timestamp was read the reference reports −1 and we
/// report nil.
func expectSameVerdict(
    _ verdict: LegacyDynamicTokenVerdict, valid: Bool, status: String, ageMs: Int64, uuid: String,
    createdMs: Int64, nowMs: Int64, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(verdict.isValid == valid, sourceLocation: sourceLocation)
    #expect(verdict.status.javaScriptName == status, sourceLocation: sourceLocation)
    #expect((verdict.uuid ?? "") == uuid, sourceLocation: sourceLocation)
    if status == "ok" || status == "timed_out" {
        #expect(verdict.timestampMilliseconds == createdMs, sourceLocation: sourceLocation)
        let trueAge = nowMs - createdMs
        #expect(verdict.ageMilliseconds == trueAge, sourceLocation: sourceLocation)
        #expect(ageMs == (trueAge < 0 ? -1 : trueAge), sourceLocation: sourceLocation)
    } else {
        #expect(verdict.ageMilliseconds == nil, sourceLocation: sourceLocation)
    }
}

func decodeLikeVector(_ token: String, vectorKey: String, check: PortedLegacyVector.Check) throws -> LegacyDynamicTokenVerdict {
    let options = try LegacyDynamicTokenOptions(
        apiKey: check.apiKey ?? vectorKey,
        tolerance: .milliseconds(check.toleranceMs),
        requiresUUID: check.checkUUID
    )
    return LegacyDynamicTokenDecoder(options: options, clock: ManualClock(Date(ms: check.nowMs))).decode(token)
}

func legacyToken(_ decoded: String) -> String { Base64.encode(Array(decoded.utf8)) }

// MARK: - An independent implementation of the decoding steps

/// The specification's decoding steps written again, on Swift `String`s and Foundation instead of
/// the decoder's bytes, to check what the encoder makes. Returns the timestamp and the uuid (when
/// one is present), or nil when a step fails.
func referenceDecode(_ token: String, apiKey: String, split: Set<Character>) -> (timestamp: Int64, uuid: String?)? {
    guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8),
          let first = text.first, first.isASCII, let digit = Int(String(first), radix: 36) else { return nil }
    // The key's first occurrence must start at character index (digit mod 6) + 2.
    guard let keyRange = text.range(of: apiKey),
          text.distance(from: text.startIndex, to: keyRange.lowerBound) == digit % 6 + 2 else { return nil }
    let parts = text.components(separatedBy: "__")
    var uuid: String?
    if parts.count == 2 {
        let pieces = parts[1].split(omittingEmptySubsequences: false, whereSeparator: { split.contains($0) })
        guard pieces.count == 2, UInt64(pieces[1], radix: 36) != nil else { return nil }
        let halves = pieces[0].split(separator: "_", omittingEmptySubsequences: false)
        guard halves.count == 2, let high = UInt64(halves[0], radix: 36), let low = UInt64(halves[1], radix: 36) else { return nil }
        uuid = String(high, radix: 16) + String(low, radix: 16)
    }
    let base = parts[0].replacingOccurrences(of: apiKey, with: "")
    guard let cut = base.firstIndex(where: { split.contains($0) }) else { return nil }
    let head = base[..<cut], tail = base[base.index(after: cut)...]
    guard !head.isEmpty, head.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
          UInt64(tail, radix: 36) != nil,
          let timestamp = Int64(String(head.reversed()), radix: 36) else { return nil }
    return (timestamp, uuid)
}

/// A uuid's expected decoding: each half without its leading zeros.
func unpaddedUUID(_ hex: String) -> String {
    func strip(_ s: Substring) -> String {
        let t = s.drop { $0 == "0" }
        return t.isEmpty ? "0" : String(t)
    }
    let cut = hex.index(hex.startIndex, offsetBy: 12)
    return strip(hex[..<cut]) + strip(hex[cut...])
}

// MARK: - Tests

@Suite("Legacy dynamic token: reference vectors")
struct DynamicTokenLegacyVectorTests {
    @Test("ported vectors give the reference's verdict at the reference's clock", arguments: portedLegacyVectors)
    func portedVector(_ vector: PortedLegacyVector) throws {
        #expect(Base64.encode(Array(vector.decoded.utf8)) == vector.token)
        for check in vector.checks {
            let verdict = try decodeLikeVector(vector.token, vectorKey: vector.apiKey, check: check)
            expectSameVerdict(verdict, valid: check.valid, status: check.status, ageMs: check.ageMs, uuid: check.uuid,
                              createdMs: vector.createdMs, nowMs: check.nowMs)
        }
    }

    @Test("every vector in ../shared gives the reference's verdict",
          .enabled(if: TestEnvironment.hasShared("vectors/dynamic-token-legacy.json"),
                   "needs ../shared/vectors/dynamic-token-legacy.json"))
    func sharedVectors() throws {
        struct File: Decodable {
            struct Vector: Decodable {
                struct Check: Decodable {
                    var apiKey: String?
                    var checkUuid: Bool
                    var toleranceMs: Int64
                    var nowMs: Int64
                    var valid: Bool
                    var status: String
                    var ageMs: Int64
                    var uuid: String
                }
                var apiKey: String
                var uuid: String
                var createdMs: Int64
                var token: String
                var decoded: String
                var checks: [Check]
            }
            var vectors: [Vector]
        }
        let data = try Data(contentsOf: TestEnvironment.shared.appendingPathComponent("vectors/dynamic-token-legacy.json"))
        let file = try JSONDecoder().decode(File.self, from: data)
        #expect(file.vectors.count == 40)
        var checked = 0
        for vector in file.vectors {
            #expect(Base64.encode(Array(vector.decoded.utf8)) == vector.token)
            for c in vector.checks {
                let check = PortedLegacyVector.Check(apiKey: c.apiKey, checkUUID: c.checkUuid, toleranceMs: c.toleranceMs, nowMs: c.nowMs,
                                                     valid: c.valid, status: c.status, ageMs: c.ageMs, uuid: c.uuid)
                let verdict = try decodeLikeVector(vector.token, vectorKey: vector.apiKey, check: check)
                expectSameVerdict(verdict, valid: c.valid, status: c.status, ageMs: c.ageMs, uuid: c.uuid,
                                  createdMs: vector.createdMs, nowMs: c.nowMs)
                checked += 1
            }
        }
        #expect(checked == 280)
    }

    @Test("CI has ../shared")
    func sharedPresentUnderCI() {
        #expect(TestEnvironment.missingUnderCI(["../shared/vectors/dynamic-token-legacy.json": TestEnvironment.hasShared("vectors/dynamic-token-legacy.json")]).isEmpty)
    }

    @Test("the spec's worked example: 1710105367868 is ltm0kyt8, reversed 8tyk0mtl, key at index 4")
    func specExample() throws {
        #expect(Base36.encode(1_710_105_367_868) == "ltm0kyt8")
        let options = try LegacyDynamicTokenOptions(apiKey: "Opus;Magna-897")
        let encoder = LegacyDynamicTokenEncoder(options: options, random: SeededRandom(seed: 1))
        let token = try encoder.encode(atMilliseconds: 1_710_105_367_868)
        let data = try #require(Data(base64Encoded: token))
        let decoded = try #require(String(data: data, encoding: .utf8))
        #expect(decoded.hasPrefix("8tykOpus;Magna-8970mtl"))
    }
}

@Suite("Legacy dynamic token: verdicts")
struct DynamicTokenLegacyVerdictTests {
    static let now: Int64 = 1_710_105_367_868
    static let key = "Opus;Magna-897"

    func decode(_ decoded: String, key: String = key, requiresUUID: Bool = false, split: String = "%.,", now: Int64 = now) throws -> LegacyDynamicTokenVerdict {
        let options = try LegacyDynamicTokenOptions(apiKey: key, splitCharacters: split, requiresUUID: requiresUUID)
        return LegacyDynamicTokenDecoder(options: options).decode(legacyToken(decoded), nowMilliseconds: now)
    }

    @Test func ok() throws {
        let v = try decode("8tykOpus;Magna-8970mtl,72")
        #expect(v.status == .ok)
        #expect(v.timestampMilliseconds == Self.now)
        #expect(v.ageMilliseconds == 0)
    }

    @Test("invalid: not base 64, not UTF-8, empty, oversized, bad first character",
          arguments: ["not base64!", "OHR5a09wdXM7TWFnbmEtODk3MG10bCw3Mg", "", "%%%%"])
    func invalidText(_ token: String) throws {
        let options = try LegacyDynamicTokenOptions(apiKey: Self.key)
        #expect(LegacyDynamicTokenDecoder(options: options).decode(token, nowMilliseconds: Self.now).status == .invalid)
    }

    @Test func invalidUTF8AndFirstCharacter() throws {
        let options = try LegacyDynamicTokenOptions(apiKey: Self.key)
        let decoder = LegacyDynamicTokenDecoder(options: options)
        let badUTF8 = Base64.encode([0x38, 0x74, 0xC3, 0x28] + Array("Opus;Magna-8970mtl,72".utf8))
        #expect(decoder.decode(badUTF8, nowMilliseconds: Self.now).status == .invalid)
        #expect(try decode("-tykOpus;Magna-8970mtl,72").status == .invalid)
        #expect(try decode("ütykOpus;Magna-8970mtl,72").status == .invalid)
        let oversized = legacyToken("8tykOpus;Magna-8970mtl,72" + String(repeating: "a", count: 2000))
        #expect(decoder.decode(oversized, nowMilliseconds: Self.now).status == .invalid)
    }

    @Test func unmatchedAndMisplacedKey() throws {
        #expect(try decode("8tykOpus;Magna-8970mtl,72", key: "Opus;Magna-898").status == .unmatchedAPIKey)
        // Key one character late, one early, and an earlier second copy.
        #expect(try decode("8tyk0Opus;Magna-897mtl,72").status == .misplacedAPIKey)
        #expect(try decode("8tyOpus;Magna-897k0mtl,72").status == .misplacedAPIKey)
        #expect(try decode("8tOpus;Magna-897Opus;Magna-897yk0mtl,72").status == .misplacedAPIKey)
        // A non-ASCII character before the key makes its character index smaller than its byte index.
        #expect(try decode("8éyOpus;Magna-8970mtl,72").status == .misplacedAPIKey)
    }

    @Test func uuidRequired() throws {
        let uuidToken = "8x4lMagna;Carta1230mtl%7i__108v45ee65_27xjeelr4l.3m"
        // Reference defect not copied: no uuid part at all is rejected when one is required.
        #expect(try decode("8tykOpus;Magna-8970mtl,72", requiresUUID: true).status == .uuidRequired)
        #expect(try decode(uuidToken, key: "Magna;Carta123", requiresUUID: true, now: 1_710_105_375_788).uuid == "5d00012de43dcd165cceb295")
        // Too short (fewer than 16 hex digits), one half only, a non-base-36 half.
        #expect(try decode("8x4lMagna;Carta1230mtl%7i__1_2.3m", key: "Magna;Carta123", requiresUUID: true).status == .uuidRequired)
        #expect(try decode("8x4lMagna;Carta1230mtl%7i__108v45ee6527xjeelr4l.3m", key: "Magna;Carta123", requiresUUID: true).status == .uuidRequired)
        #expect(try decode("8x4lMagna;Carta1230mtl%7i__108v4!ee65_27xjeelr4l.3m", key: "Magna;Carta123", requiresUUID: true).status == .uuidRequired)
        // Not required: the uuid part is not read.
        #expect(try decode("8x4lMagna;Carta1230mtl%7i__garbage", key: "Magna;Carta123", now: 1_710_105_375_788).status == .ok)
    }

    @Test func securityNumberMissing() throws {
        let key = "Magna;Carta123", now: Int64 = 1_710_105_375_788
        #expect(try decode("8x4lMagna;Carta1230mtl%7i__108v45ee65_27xjeelr4l", key: key, requiresUUID: true, now: now).status == .securityNumberMissing)
        #expect(try decode("8x4lMagna;Carta1230mtl%7i__108v45ee65_27xjeelr4l.", key: key, requiresUUID: true, now: now).status == .securityNumberMissing)
        #expect(try decode("8x4lMagna;Carta1230mtl%7i__108v45ee65_27xjeelr4l.3-", key: key, requiresUUID: true, now: now).status == .securityNumberMissing)
    }

    @Test("invalid timestamp part", arguments: [
        "8tykOpus;Magna-8970mtl72",          // no split character
        "8tykOpus;Magna-8970mtl,",           // no security number
        "8tykOpus;Magna-8970m-tl,72",        // not alphanumeric
        "8tykOpus;Magna-8970mtl,7!",         // security number not base 36
        "8tykOpus;Magna-8970mtlzzzzzzzzzzzzzzz,72", // beyond 64 bits
        "8tykOpus;Magna-897,72",             // timestamp cut short is still read, but this one …
    ])
    func invalidTimestamp(_ decoded: String) throws {
        let verdict = try decode(decoded)
        if decoded == "8tykOpus;Magna-897,72" {
            // … reads as 8tyk reversed: a valid number, far in the past.
            #expect(verdict.status == .timedOut)
        } else {
            #expect(verdict.status == .invalidTimestamp)
        }
    }

    @Test func timedOutBothDirectionsWithTrueAge() throws {
        let past = try decode("8tykOpus;Magna-8970mtl,72", now: Self.now + 300_001)
        #expect(past.status == .timedOut)
        #expect(past.ageMilliseconds == 300_001)
        let future = try decode("8tykOpus;Magna-8970mtl,72", now: Self.now - 300_001)
        #expect(future.status == .timedOut)
        #expect(future.ageMilliseconds == -300_001)
        #expect(try decode("8tykOpus;Magna-8970mtl,72", now: Self.now - 300_000).status == .ok)
        // A clock at the edge of Int64 does not overflow.
        #expect(try decode("8tykOpus;Magna-8970mtl,72", now: .min).status == .timedOut)
        #expect(try decode("8tykOpus;Magna-8970mtl,72", now: .max).status == .timedOut)
    }

    @Test("each status has the JavaScript and Rust names and an error code")
    func statusNames() throws {
        let expected: [LegacyDynamicTokenStatus: (String, String)] = [
            .ok: ("ok", "ok"), .invalid: ("invalid", "invalid"),
            .unmatchedAPIKey: ("unmatched_api_key", "api_key_unmatched"),
            .misplacedAPIKey: ("misplaced_api_key", "api_key_misplaced"),
            .uuidRequired: ("valid_uuid_required", "uuid_required"),
            .securityNumberMissing: ("uuid_security_number_missing", "security_number_required"),
            .invalidTimestamp: ("invalid", "invalid_imestamp"),
            .timedOut: ("timed_out", "timed_out"),
        ]
        for status in LegacyDynamicTokenStatus.allCases {
            #expect(status.javaScriptName == expected[status]?.0)
            #expect(status.rustName == expected[status]?.1)
            #expect((status.errorCode == nil) == (status == .ok))
        }
        let error = try #require(throws: DynamicTokenError.self) {
            try LegacyDynamicTokenVerdict(status: .timedOut).requireValid()
        }
        #expect(error.machineCode == "dynamic_token.legacy.timed_out")
        #expect(error.failureKind == .invalid)
    }

    @Test("custom split characters are exactly the configured ones (the JavaScript reference always adds ',')")
    func customSplitCharacters() throws {
        #expect(try decode("8tykOpus;Magna-8970mtl§72", split: "§").status == .ok)
        #expect(try decode("8tykOpus;Magna-8970mtl,72", split: "§").status == .invalidTimestamp)
        #expect(try decode("8tykOpus;Magna-8970mtl😀72", split: "😀→").status == .ok)
    }

    @Test("split characters that are letters, digits, '_' or repeated are refused",
          arguments: ["", "a", "5", "_", "é", "%%", "٣"])
    func badSplitCharacters(_ split: String) {
        #expect(throws: DynamicTokenError.self) { try LegacyDynamicTokenOptions(apiKey: "k", splitCharacters: split) }
    }

    @Test func badOptions() {
        #expect(throws: DynamicTokenError.self) { try LegacyDynamicTokenOptions(apiKey: "") }
        #expect(throws: DynamicTokenError.self) { try LegacyDynamicTokenOptions(apiKey: "k", tolerance: .seconds(-1)) }
        #expect(throws: DynamicTokenError.self) { try LegacyDynamicTokenOptions(apiKey: "k", tolerance: .seconds(Int64.max)) }
        #expect(throws: DynamicTokenError.self) { try LegacyDynamicTokenOptions(apiKey: "k", maximumTokenLength: 1) }
    }

    @Test("a key containing '__' still works (the references split it apart)")
    func keyWithDoubleUnderscore() throws {
        let options = try LegacyDynamicTokenOptions(apiKey: "my__key", requiresUUID: true)
        let encoder = LegacyDynamicTokenEncoder(options: options, random: SeededRandom(seed: 9))
        let token = try encoder.encode(uuid: "5d00012de43dcd165cceb295", atMilliseconds: Self.now)
        let verdict = LegacyDynamicTokenDecoder(options: options).decode(token, nowMilliseconds: Self.now)
        #expect(verdict.status == .ok)
        #expect(verdict.uuid == "5d00012de43dcd165cceb295")
    }

    @Test("garbage of every length never crashes and is never accepted")
    func garbage() throws {
        let random = SeededRandom(seed: 42)
        let options = try LegacyDynamicTokenOptions(apiKey: "k", splitCharacters: "%.,→", requiresUUID: true)
        let decoder = LegacyDynamicTokenDecoder(options: options)
        let alphabet = Array("8tyk0mtl_%.,→kK=/+ab".unicodeScalars)
        for length in 0...512 {
            let raw = random.bytes(length)
            #expect(decoder.decode(Base64.encode(raw), nowMilliseconds: Self.now).status != .ok || raw.contains(UInt8(ascii: "k")))
            _ = decoder.decode(String(decoding: raw, as: UTF8.self), nowMilliseconds: Self.now)
            var text = String.UnicodeScalarView()
            for _ in 0..<length { text.append(alphabet[random.int(below: alphabet.count)]) }
            _ = decoder.decode(legacyToken(String(text)), nowMilliseconds: Self.now)
        }
    }
}

@Suite("Legacy dynamic token: encoder")
struct DynamicTokenLegacyEncoderTests {
    static let splitSets = ["%.,", "§", "→·", "😀", "%.,§→😀"]

    @Test("round trip across random keys, uuids and split characters, checked by an independent decoding", arguments: splitSets)
    func roundTrip(split: String) throws {
        let random = SeededRandom(seed: UInt64(split.unicodeScalars.first?.value ?? 0))
        let keyAlphabet = Array("abcXYZ019;-!@#*+=éß日ü".unicodeScalars)
        for i in 0..<60 {
            var key = String.UnicodeScalarView()
            for _ in 0..<(4 + random.int(below: 20)) { key.append(keyAlphabet[random.int(below: keyAlphabet.count)]) }
            let withUUID = i % 3 != 0
            let uuid = withUUID ? Hex.encode(random.bytes(12 + random.int(below: 3))) : nil
            let now = 1_700_000_000_000 + Int64(random.int(below: 1_000_000_000))
            let options = try LegacyDynamicTokenOptions(apiKey: String(key), splitCharacters: split, requiresUUID: withUUID)
            let encoder = LegacyDynamicTokenEncoder(options: options, clock: ManualClock(Date(ms: now)), random: random)
            let token = try encoder.encode(uuid: uuid)

            let verdict = LegacyDynamicTokenDecoder(options: options).decode(token, nowMilliseconds: now)
            #expect(verdict.status == .ok)
            #expect(verdict.timestampMilliseconds.map { now - $0 }.map { (0..<50).contains($0) } == true)
            #expect(verdict.uuid == uuid.map(unpaddedUUID))

            let independent = try #require(referenceDecode(token, apiKey: String(key), split: Set(split)))
            #expect(independent.timestamp == verdict.timestampMilliseconds)
            #expect(independent.uuid == uuid.map(unpaddedUUID))
        }
    }

    @Test("uuids with hyphens and wide uuids (second half beyond 64 bits) round-trip through our decoder")
    func wideUUIDs() throws {
        let options = try LegacyDynamicTokenOptions(apiKey: "Opus;Magna-897", requiresUUID: true)
        let encoder = LegacyDynamicTokenEncoder(options: options, random: SeededRandom(seed: 3))
        let decoder = LegacyDynamicTokenDecoder(options: options)
        let now: Int64 = 1_710_105_367_868
        let cases = [
            ("0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9", "a1b2c3d4e5f60718293a4b5c6d7e8f9"),
            ("ffffffffffffffffffffffffffffffffffffffff", "ffffffffffffffffffffffffffffffffffffffff"),
            ("5d00012de43dcd165cceb295", "5d00012de43dcd165cceb295"),
        ]
        for (input, expected) in cases {
            let token = try encoder.encode(uuid: input, atMilliseconds: now)
            #expect(decoder.decode(token, nowMilliseconds: now).uuid == expected)
        }
        for bad in ["12345", "zz00012de43dcd165cceb295", String(repeating: "a", count: 65)] {
            #expect(throws: DynamicTokenError.self) { try encoder.encode(uuid: bad, atMilliseconds: now) }
        }
    }

    @Test("a key that collides with the timestamp is stepped around, or refused when it always collides")
    func ambiguousKeys() throws {
        // 1710105367868 reversed is 8tyk0mtl. The key "8" would collide with the first digit,
        // so the encoder steps back a millisecond; "m" occurs in every timestamp of this
        // decade and can never be placed unambiguously.
        let now: Int64 = 1_710_105_367_868
        let eight = try LegacyDynamicTokenOptions(apiKey: "8")
        let x = LegacyDynamicTokenEncoder(options: eight, random: SeededRandom(seed: 5))
        let token = try x.encode(atMilliseconds: now)
        let verdict = LegacyDynamicTokenDecoder(options: eight).decode(token, nowMilliseconds: now)
        #expect(verdict.status == .ok)
        #expect(verdict.timestampMilliseconds.map { $0 < now && $0 >= now - 50 } == true)
        #expect(referenceDecode(token, apiKey: "8", split: ["%", ".", ","])?.timestamp == verdict.timestampMilliseconds)
        let always = LegacyDynamicTokenEncoder(options: try LegacyDynamicTokenOptions(apiKey: "m"), random: SeededRandom(seed: 5))
        #expect(throws: DynamicTokenError.self) { try always.encode(atMilliseconds: now) }
        #expect(throws: DynamicTokenError.self) { try x.encode(atMilliseconds: -5) }
    }

    @Test func failingRandomSourceIsReported() throws {
        let encoder = LegacyDynamicTokenEncoder(options: try LegacyDynamicTokenOptions(apiKey: "key"), random: FailingRandom())
        #expect(throws: DynamicTokenError.self) { try encoder.encode() }
    }
}

@Suite("Base36")
struct DynamicTokenBase36Tests {
    @Test func integers() throws {
        #expect(Base36.encode(0) == "0")
        #expect(Base36.encode(35) == "z")
        #expect(Base36.encode(UInt64.max) == "3w5e11264sgsf")
        #expect(try Base36.decode("3W5E11264SGSF") == UInt64.max)
        #expect(try Base36.decode("00000000000000000000ltm0kyt8") == 1_710_105_367_868)
        #expect(throws: ByteEncodingError.self) { try Base36.decode("3w5e11264sgsg") }
        #expect(throws: ByteEncodingError.self) { try Base36.decode("") }
        #expect(throws: ByteEncodingError.self) { try Base36.decode("-1") }
        #expect(throws: ByteEncodingError.self) { try Base36.decode(" 1") }
        let random = SeededRandom(seed: 7)
        for _ in 0..<1000 {
            let v = random.next() >> UInt64(random.int(below: 64))
            #expect(try Base36.decode(Base36.encode(v)) == v)
            #expect(Base36.encode(v) == String(v, radix: 36))
        }
    }

    @Test("hexadecimal conversion of any width (values from Python's int(_, 16) and base 36)")
    func hexadecimal() throws {
        #expect(try Base36.fromHexadecimal("5d00012de43d") == "108v45ee65")
        #expect(try Base36.fromHexadecimal("cd165cceb295") == "27xjeelr4l")
        #expect(try Base36.toHexadecimal("3xsp8a733") == "a1b2c3d4e5f")
        #expect(try Base36.fromHexadecimal("ffffffffffffffffffffffffffffffff") == "f5lxx1zz5pnorynqglhzmsp33")
        #expect(try Base36.toHexadecimal("f5lxx1zz5pnorynqglhzmsp33") == "ffffffffffffffffffffffffffffffff")
        #expect(try Base36.fromHexadecimal("000") == "0")
        #expect(throws: ByteEncodingError.self) { try Base36.fromHexadecimal("xyz") }
        #expect(throws: ByteEncodingError.self) { try Base36.toHexadecimal("") }
    }

    @Test("the uuid path's limb conversion equals the digit-array conversion for 1 to 40 digits")
    func hexadecimalConcatenationMatchesToHexadecimal() throws {
        let random = SeededRandom(seed: 36)
        let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
        func digits(_ count: Int) -> [UInt8] {
            // Some inputs start with zeros, some are all "z" (the largest 40-digit value).
            switch random.int(below: 4) {
            case 0: return [UInt8](repeating: UInt8(ascii: "0"), count: count / 2) + (0..<(count - count / 2)).map { _ in alphabet[random.int(below: alphabet.count)] }
            case 1: return [UInt8](repeating: UInt8(ascii: "z"), count: count)
            default: return (0..<count).map { _ in alphabet[random.int(below: alphabet.count)] }
            }
        }
        for _ in 0..<500 {
            let high = digits(1 + random.int(below: 40)), low = digits(1 + random.int(below: 40))
            let expected = try Base36.toHexadecimal(String(decoding: high, as: UTF8.self)) + Base36.toHexadecimal(String(decoding: low, as: UTF8.self))
            let actual = high.withUnsafeBufferPointer { h in low.withUnsafeBufferPointer { l in Base36.hexadecimalConcatenation(h[...], l[...]) } }
            #expect(actual == expected)
        }
        let zero = Array("000".utf8), tooLong = [UInt8](repeating: UInt8(ascii: "1"), count: 41), bad = Array("12_3".utf8), empty: [UInt8] = []
        func convert(_ a: [UInt8], _ b: [UInt8]) -> String? {
            a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in Base36.hexadecimalConcatenation(x[...], y[...]) } }
        }
        #expect(convert(zero, zero) == "00")
        #expect(convert(tooLong, zero) == nil)
        #expect(convert(bad, zero) == nil)
        #expect(convert(zero, empty) == nil)
    }
}
