import Foundation
import Testing
import TokenCore

/// Every encoder/decoder pair round-trips over many inputs from a seeded generator (issue 12).
/// A failure names the seed's iteration, so it reproduces.
@Suite struct RoundTripPropertyTests {
    static let iterations = 300

    @Test func base64URLRoundTrips() throws {
        let random = SeededRandom(seed: 1)
        for i in 0..<Self.iterations {
            let bytes = random.bytes(random.int(below: 100))
            let text = Base64URL.encode(bytes)
            #expect(try Base64URL.decode(text) == bytes, "iteration \(i)")
            #expect(!text.contains("=") && !text.contains("+") && !text.contains("/"))
        }
    }

    @Test func base64RoundTrips() throws {
        let random = SeededRandom(seed: 2)
        for i in 0..<Self.iterations {
            let bytes = random.bytes(random.int(below: 100))
            let text = Base64.encode(bytes)
            #expect(text.utf8.count % 4 == 0)
            #expect(try Base64.decode(text) == bytes, "iteration \(i)")
        }
    }

    @Test func hexRoundTrips() throws {
        let random = SeededRandom(seed: 3)
        for i in 0..<Self.iterations {
            let bytes = random.bytes(random.int(below: 64))
            let text = Hex.encode(bytes)
            #expect(text.utf8.count == 2 * bytes.count)
            #expect(try Hex.decode(text) == bytes, "iteration \(i)")
        }
    }

    @Test func base36RoundTrips() throws {
        let random = SeededRandom(seed: 4)
        let edges: [UInt64] = [0, 1, 35, 36, UInt64(Int64.max), .max]
        for (i, value) in (edges + (0..<Self.iterations).map { _ in random.next() >> random.int(below: 64) }).enumerated() {
            #expect(try Base36.decode(Base36.encode(value)) == value, "iteration \(i)")
        }
    }

    @Test func legacyDynamicTokensRoundTrip() throws {
        let random = SeededRandom(seed: 5)
        let options = try LegacyDynamicTokenOptions(apiKey: "Opus;Magna-897", requiresUUID: true)
        let decoder = LegacyDynamicTokenDecoder(options: options)
        for i in 0..<100 {
            let time = Int64(1_500_000_000_000) + Int64(random.int(below: 400_000_000_000))
            // 32 hex digits without a leading zero in either half, so the uuid comes back whole.
            let uuid = "1" + Hex.encode(random.bytes(6)).dropFirst() + "2" + Hex.encode(random.bytes(10)).dropFirst()
            let encoder = LegacyDynamicTokenEncoder(options: options, random: random)
            let token = try encoder.encode(uuid: String(uuid), atMilliseconds: time)
            let verdict = decoder.decode(token, nowMilliseconds: time)
            #expect(verdict.status == .ok, "iteration \(i)")
            #expect(verdict.uuid == String(uuid), "iteration \(i)")
            #expect(verdict.timestampMilliseconds.map { $0 <= time && $0 > time - 50 } == true, "iteration \(i)")
        }
    }

    @Test func signedDynamicTokensRoundTrip() throws {
        let random = SeededRandom(seed: 6)
        let key = try DynamicTokenKey(id: "key-2026", secret: random.bytes(32))
        let signer = try DynamicTokenSigner(key: key)
        let verifier = try DynamicTokenVerifier(keys: try DynamicTokenKeyRing([key]), replayCache: InMemoryReplayCache(),
                                                bodyBinding: .optional)
        let now: Int64 = 1_700_000_000_000
        let methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "X-CUSTOM"]
        for i in 0..<Self.iterations {
            let method = methods[random.int(below: methods.count)]
            let target = "/" + String(decoding: random.bytes(random.int(below: 40)).map { 0x21 + $0 % 94 }, as: UTF8.self)
            let body: [UInt8]? = random.int(below: 3) == 0 ? nil : random.bytes(random.int(below: 200))
            let subject: String? = random.int(below: 2) == 0 ? nil : "user-\(random.int(below: 1_000_000))"
            let nonce = random.bytes(16 + random.int(below: 17))
            let time = now - Int64(random.int(below: 300_000))
            let token = try signer.token(method: method, target: target, body: body, subject: subject, timestampMilliseconds: time, nonce: nonce)
            let verified = try verifier.check(token, method: method, target: target, body: body ?? [], nowMilliseconds: now)
            #expect(verified == SignedDynamicToken(keyID: "key-2026", timestampMilliseconds: time, nonce: nonce, bindsBody: body != nil, subject: subject),
                    "iteration \(i)")
        }
    }

    @Test func hs256JWTsRoundTrip() throws {
        let random = SeededRandom(seed: 7)
        let now = 1_700_000_000.0
        let key = try HMACJWTKey(.hs256, secret: random.bytes(32))
        let issuer = JWTIssuer(signer: key, timeToLive: 300, clock: ManualClock(unixSeconds: now), random: random)
        var keys = JWTKeySet()
        try keys.add(key)
        let verifier = JWTVerifier(keys: keys, clock: ManualClock(unixSeconds: now))
        for i in 0..<100 {
            let subject = "user-" + Base64URL.encode(random.bytes(random.int(below: 20)))
            let text = String(decoding: random.bytes(random.int(below: 30)).map { 0x20 + $0 % 0x5F }, as: UTF8.self) + "é😀\n\"\\"
            let claims = try JSONObject([("sub", .string(subject)), ("note", .string(text)), ("n", .number(JSONNumber(Int64(random.next() >> 1))))])
            let verified = try verifier.verify(try issuer.issue(claims: claims))
            #expect(verified.claims.subject == subject, "iteration \(i)")
            #expect(verified.payloadJSON["note"] == .string(text), "iteration \(i)")
            #expect(verified.payloadJSON["n"] == claims["n"], "iteration \(i)")
        }
    }

    @Test func apiKeysRoundTrip() throws {
        let random = SeededRandom(seed: 8)
        for byteCount in [APIKeyFormat.minimumRandomByteCount, 24, 32, APIKeyFormat.maximumRandomByteCount] {
            let format = try APIKeyFormat(prefix: "tka_prop_", randomByteCount: byteCount)
            for i in 0..<50 {
                let key = try format.generate(using: random)
                #expect(key.utf8.count == format.keyLength, "\(byteCount) bytes, iteration \(i)")
                #expect(throws: Never.self) { try format.validate(key) }
                // One changed checksum character is caught.
                var bytes = Array(key.utf8)
                bytes[bytes.count - 1 - random.int(below: APIKeyFormat.checksumLength)] ^= 0x01
                #expect(throws: APIKeyError.self) { try format.validate(String(decoding: bytes, as: UTF8.self)) }
            }
        }
    }

    @Test func passwordHashStringsRoundTrip() throws {
        let random = SeededRandom(seed: 9)
        for i in 0..<Self.iterations {
            let algorithm: PasswordHash.Algorithm = random.int(below: 2) == 0 ? .pbkdf2SHA256 : .pbkdf2SHA512
            let iterations = 1 + random.int(below: 10_000_000)
            let salt = random.bytes(8 + random.int(below: 57))
            let hash = random.bytes(PasswordHash.minimumHashByteCount + random.int(below: algorithm.digestByteCount - PasswordHash.minimumHashByteCount + 1))
            let encoded = PasswordHash(algorithm: algorithm, iterations: iterations, salt: salt, hash: hash).encoded
            let parsed = try PasswordHash(parsing: encoded, maximumIterations: 10_000_000)
            #expect(parsed.algorithm == algorithm && parsed.iterations == iterations, "iteration \(i)")
            #expect(parsed.salt == salt && parsed.hash == hash, "iteration \(i)")
            #expect(parsed.encoded == encoded, "iteration \(i)")
        }
    }
}
