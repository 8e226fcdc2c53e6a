import Foundation
import Testing
import TestSupport
@testable import TokenCore

/// One vector of Fixtures/dynamic-token/signed-v1.json (made by scripts/vectors/gen_dynamic_token_signed.py).
struct SignedVector: Decodable, Sendable, CustomTestStringConvertible {
    var name: String
    var keyID: String
    var secretHex: String
    var timestampMs: Int64
    var nonceHex: String
    var method: String
    var target: String
    var bodyHex: String?
    var subject: String?
    var canonical: String
    var token: String
    var testDescription: String { name }

    var body: [UInt8]? { bodyHex.flatMap { try? Hex.decode($0) } }

    static let all: [SignedVector] = {
        struct File: Decodable { var vectors: [SignedVector] }
        guard let data = try? TestEnvironment.fixture("TokenCoreTests", "dynamic-token/signed-v1.json"),
              let file = try? JSONDecoder().decode(File.self, from: data) else { return [] }
        return file.vectors
    }()
}

/// A replay cache that always fails, to show verification fails closed.
struct BrokenReplayCache: ReplayCache {
    struct Down: Error {}
    func insertIfAbsent(keyID: String, nonce: [UInt8], expiresAt: Date, now: Date) async throws -> ReplayCacheInsertion {
        throw Down()
    }
}

enum SignedFixture {
    static let secret = Array(0..<32 as Range<UInt8>)
    static let now: Int64 = 1_710_105_367_868
    static let nonce: [UInt8] = try! Hex.decode("00112233445566778899aabbccddeeff") // safe: constant test input

    static func key(_ id: String = "k1", secret: [UInt8] = secret) throws -> DynamicTokenKey {
        try DynamicTokenKey(id: id, secret: secret)
    }

    static func verifier(
        keys: [DynamicTokenKey]? = nil, cache: any ReplayCache = InMemoryReplayCache(), clock: ManualClock = ManualClock(Date(ms: now)),
        body: DynamicTokenVerifier.BodyBinding = .required, past: Duration = .seconds(300), future: Duration = .seconds(30)
    ) throws -> DynamicTokenVerifier {
        try DynamicTokenVerifier(keys: DynamicTokenKeyRing(keys ?? [key()]), replayCache: cache, clock: clock,
                                 pastTolerance: past, futureTolerance: future, bodyBinding: body)
    }

    static func token(key: DynamicTokenKey? = nil, method: String = "POST", target: String = "/api/orders?dry=1",
                      body: [UInt8]? = Array("{\"a\":1}".utf8), subject: String? = "user-7", at: Int64 = now, nonce: [UInt8] = nonce) throws -> String {
        try DynamicTokenSigner(key: key ?? self.key()).token(method: method, target: target, body: body, subject: subject,
                                                             timestampMilliseconds: at, nonce: nonce)
    }
}

func expectCode(_ code: DynamicTokenError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async {
    do {
        try await body()
        Issue.record("expected \(code), nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as DynamicTokenError {
        #expect(error.code == code, sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected \(code), got \(error)", sourceLocation: sourceLocation)
    }
}

func expectSyncCode(_ code: DynamicTokenError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
    do {
        try body()
        Issue.record("expected \(code), nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as DynamicTokenError {
        #expect(error.code == code, sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected \(code), got \(error)", sourceLocation: sourceLocation)
    }
}

@Suite("Signed dynamic token: vectors and format")
struct DynamicTokenSignedVectorTests {
    @Test("the fixture file is present and complete")
    func fixturePresent() { #expect(SignedVector.all.count == 6) }

    @Test("the canonical string's constants are what they stand for")
    func canonicalConstants() {
        #expect(SignedDynamicToken.labelLine.description == SignedDynamicToken.canonicalLabel + "\n")
        #expect(SignedDynamicToken.emptyBodyHash.description == Hex.encode(SHA256.hash([UInt8]())))
    }

    @Test("method and target rules: RFC 9110 tchar, origin-form visible ASCII")
    func methodAndTargetRules() {
        for method in ["GET", "M-SEARCH", "!#$%&'*+-.^_`|~09AZaz"] { #expect(SignedDynamicToken.isMethod(method)) }
        for method in ["", "G T", "GET\n", "(GET)", "GÉT", "\u{7F}", String(repeating: "A", count: 33), "A/B", "A:B", "A@B"] {
            #expect(!SignedDynamicToken.isMethod(method))
        }
        #expect(SignedDynamicToken.isMethod(String(repeating: "A", count: 32)))
        // Every ASCII byte against the tchar list written out.
        let tchar = Set("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
        for b in 0..<256 {
            #expect(SignedDynamicToken.isMethodByte(UInt8(b)) == tchar.contains(UInt8(b)), "byte \(b)")
        }
        for target in ["/", "/a?b=c&d=%20", "/~!$&'()*+,;=:@"] { #expect(SignedDynamicToken.isTarget(target)) }
        for target in ["", "a/", "/a b", "/a\u{7F}", "/é", "*", "/" + String(repeating: "a", count: 8192)] {
            #expect(!SignedDynamicToken.isTarget(target))
        }
        #expect(SignedDynamicToken.isTarget("/" + String(repeating: "a", count: 8191)))
    }

    @Test("the signer reproduces the independent Python implementation's tokens", arguments: SignedVector.all)
    func signerMatchesVector(_ v: SignedVector) throws {
        let key = try DynamicTokenKey(id: v.keyID, hexSecret: v.secretHex)
        let token = try DynamicTokenSigner(key: key).token(
            method: v.method, target: v.target, body: v.body, subject: v.subject,
            timestampMilliseconds: v.timestampMs, nonce: try Hex.decode(v.nonceHex))
        #expect(token == v.token)
        // The canonical string the vector documents is what the MAC covers.
        let mac = HMAC<SHA256>.authenticationCode(for: Array(v.canonical.utf8), using: try Hex.decode(v.secretHex))
        #expect(v.token.hasSuffix("." + Base64URL.encode(mac)))
    }

    @Test("the verifier accepts each vector once, with its fields", arguments: SignedVector.all)
    func verifierAcceptsVector(_ v: SignedVector) async throws {
        let key = try DynamicTokenKey(id: v.keyID, hexSecret: v.secretHex)
        let verifier = try SignedFixture.verifier(keys: [key], clock: ManualClock(Date(ms: v.timestampMs)), body: .optional)
        let token = try await verifier.verify(v.token, method: v.method, target: v.target, body: v.body ?? Array("ignored".utf8))
        #expect(token.keyID == v.keyID)
        #expect(token.timestampMilliseconds == v.timestampMs)
        #expect(Hex.encode(token.nonce) == v.nonceHex)
        #expect(token.subject == v.subject)
        #expect(token.bindsBody == (v.bodyHex != nil))
        // The value the verifier builds (nonce held inline) equals and hashes like the one the
        // public initialiser builds from the same fields.
        let made = SignedDynamicToken(keyID: v.keyID, timestampMilliseconds: v.timestampMs, nonce: try Hex.decode(v.nonceHex), bindsBody: v.bodyHex != nil, subject: v.subject)
        #expect(token == made)
        #expect(Set([token, made]).count == 1)
        await expectCode(.replayed) {
            _ = try await verifier.verify(v.token, method: v.method, target: v.target, body: v.body ?? [])
        }
    }

    @Test("a token value keeps any nonce it is given, inline or not, and compares by bytes")
    func tokenValueNonceStorage() {
        for count in [0, 1, 16, 31, 32, 33, 64] {
            let nonce = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 1) }
            var token = SignedDynamicToken(keyID: "k", timestampMilliseconds: 1, nonce: nonce, bindsBody: false, subject: nil)
            #expect(token.nonce == nonce, "nonce of \(count) bytes")
            let other = SignedDynamicToken(keyID: "k", timestampMilliseconds: 1, nonce: nonce + [0], bindsBody: false, subject: nil)
            #expect(token != other, "a trailing zero byte is part of the nonce (\(count) bytes)")
            token.nonce = nonce + [0]
            #expect(token == other)
            #expect(token.hashValue == other.hashValue)
        }
    }

    @Test func signerDrawsFreshNonces() throws {
        let signer = try DynamicTokenSigner(key: SignedFixture.key(), clock: ManualClock(Date(ms: SignedFixture.now)), nonceByteCount: 24)
        let a = try signer.token(method: "GET", target: "/", body: [])
        let b = try signer.token(method: "GET", target: "/", body: [])
        #expect(a != b)
        let verifier = try SignedFixture.verifier()
        #expect(try verifier.check(a, method: "GET", target: "/", body: []).nonce.count == 24)
    }

    @Test func signerRefusesBadInput() throws {
        let signer = try DynamicTokenSigner(key: SignedFixture.key())
        for (method, target, subject) in [("G ET", "/", nil), ("GET", "api", nil), ("GET", "/a b", nil), ("GET", "/", "a.b"), ("", "/", nil), ("GET", "/é", nil)] as [(String, String, String?)] {
            #expect(throws: DynamicTokenError.self) { try signer.token(method: method, target: target, body: nil, subject: subject) }
        }
        #expect(throws: DynamicTokenError.self) { try signer.token(method: "GET", target: "/", body: nil, subject: nil, timestampMilliseconds: -1, nonce: SignedFixture.nonce) }
        #expect(throws: DynamicTokenError.self) { try signer.token(method: "GET", target: "/", body: nil, subject: nil, timestampMilliseconds: 0, nonce: Array(SignedFixture.nonce.prefix(15))) }
        #expect(throws: DynamicTokenError.self) { try DynamicTokenSigner(key: SignedFixture.key(), nonceByteCount: 15) }
        #expect(throws: DynamicTokenError.self) { try DynamicTokenSigner(key: SignedFixture.key(), random: FailingRandom()).token(method: "GET", target: "/", body: nil) }
    }

    @Test func keysAndRings() throws {
        #expect(throws: DynamicTokenError.self) { try DynamicTokenKey(id: "k1", secret: Array(repeating: UInt8(1), count: 31)) }
        #expect(throws: DynamicTokenError.self) { try DynamicTokenKey(id: "k.1", secret: SignedFixture.secret) }
        #expect(throws: DynamicTokenError.self) { try DynamicTokenKey(id: "", secret: SignedFixture.secret) }
        #expect(throws: DynamicTokenError.self) { try DynamicTokenKey(id: "k1", hexSecret: "zz") }
        let key = try SignedFixture.key()
        #expect(throws: DynamicTokenError.self) { try DynamicTokenKeyRing([key, key]) }
        #expect(throws: DynamicTokenError.self) { try DynamicTokenKeyRing([key]).adding(key) }
        // Neither description nor reflection shows key material.
        #expect(String(describing: key) == "DynamicTokenKey(id: k1)")
        var dumped = ""
        dump(key, to: &dumped)
        #expect(!dumped.contains("inner") && !dumped.contains("state"))
    }
}

@Suite("Signed dynamic token: verification")
struct DynamicTokenSignedVerificationTests {
    let body = Array("{\"a\":1}".utf8)

    @Test func validTokenIsAcceptedOnceThenReplayed() async throws {
        let verifier = try SignedFixture.verifier()
        let token = try SignedFixture.token()
        let verified = try await verifier.verify(token, method: "POST", target: "/api/orders?dry=1", body: body)
        #expect(verified.subject == "user-7")
        await expectCode(.replayed) { _ = try await verifier.verify(token, method: "POST", target: "/api/orders?dry=1", body: body) }
    }

    @Test("a replay after the window is refused as expired, not accepted")
    func replayAfterWindowIsExpired() async throws {
        let clock = ManualClock(Date(ms: SignedFixture.now))
        let cache = InMemoryReplayCache()
        let verifier = try SignedFixture.verifier(cache: cache, clock: clock)
        let token = try SignedFixture.token()
        _ = try await verifier.verify(token, method: "POST", target: "/api/orders?dry=1", body: body)
        clock.advance(by: 300.001)
        await expectCode(.expired) { _ = try await verifier.verify(token, method: "POST", target: "/api/orders?dry=1", body: body) }
        cache.removeExpired(now: clock.now())
        #expect(cache.count == 0)
        await expectCode(.expired) { _ = try await verifier.verify(token, method: "POST", target: "/api/orders?dry=1", body: body) }
    }

    @Test("the request is bound: method, path, query and body")
    func requestBinding() async throws {
        let verifier = try SignedFixture.verifier()
        let token = try SignedFixture.token()
        for (method, target, body) in [
            ("GET", "/api/orders?dry=1", body), ("post", "/api/orders?dry=1", body),
            ("POST", "/api/orders?dry=0", body), ("POST", "/api/orders", body), ("POST", "/api/Orders?dry=1", body),
            ("POST", "/api/orders?dry=1&x=1", body), ("POST", "/api/orders?dry=1", Array("{\"a\":2}".utf8)),
            ("POST", "/api/orders?dry=1", []),
        ] {
            await expectCode(.badSignature) { _ = try await verifier.verify(token, method: method, target: target, body: body) }
        }
        // Nothing was consumed by the failures.
        _ = try await verifier.verify(token, method: "POST", target: "/api/orders?dry=1", body: body)
    }

    @Test("tampering with any field is detected")
    func tamperFieldByField() throws {
        let verifier = try SignedFixture.verifier(keys: [SignedFixture.key(), SignedFixture.key("k2")], body: .optional)
        let token = try SignedFixture.token()
        var fields = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        #expect(fields.count == 7)
        func check(_ f: [String]) throws { _ = try verifier.check(f.joined(separator: "."), method: "POST", target: "/api/orders?dry=1", body: body) }
        let original = fields
        let edits: [(Int, String, DynamicTokenError.Code)] = [
            (0, "v2", .unsupportedVersion), (0, "V1", .malformed),
            (1, "k2", .badSignature), (1, "k3", .unknownKey), (1, "", .malformed),
            (2, String(SignedFixture.now + 1), .badSignature), (2, "0" + String(SignedFixture.now), .malformed), (2, "+1", .malformed),
            (3, Base64URL.encode(Array(repeating: UInt8(0), count: 16)), .badSignature), (3, "AAAA", .malformed),
            (4, "0", .badSignature), (4, "2", .malformed),
            (5, "", .badSignature), (5, "user-8", .badSignature), (5, "user 7", .malformed),
            (6, Base64URL.encode(Array(repeating: UInt8(0), count: 32)), .badSignature), (6, "", .malformed),
        ]
        for (index, value, code) in edits {
            fields = original
            fields[index] = value
            expectSyncCode(code) { try check(fields) }
        }
        // Every single-character change anywhere in the token is refused.
        let bytes = Array(token.utf8)
        for i in bytes.indices {
            for replacement in [UInt8(ascii: "A"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "9")] where bytes[i] != replacement {
                var copy = bytes
                copy[i] = replacement
                #expect(throws: DynamicTokenError.self) {
                    _ = try verifier.check(String(decoding: copy, as: UTF8.self), method: "POST", target: "/api/orders?dry=1", body: body)
                }
            }
        }
        _ = try check(original)
    }

    @Test func wrongKeyAndRotation() async throws {
        let old = try SignedFixture.key("2026-10")
        let new = try SignedFixture.key("2026-11", secret: Array(repeating: 7, count: 32))
        let impostor = try SignedFixture.key("2026-11", secret: Array(repeating: 8, count: 32))
        let ring = try DynamicTokenKeyRing([old, new])
        let cache = InMemoryReplayCache()
        func verifier(_ ring: DynamicTokenKeyRing) throws -> DynamicTokenVerifier {
            try DynamicTokenVerifier(keys: ring, replayCache: cache, clock: ManualClock(Date(ms: SignedFixture.now)))
        }
        let both = try verifier(ring)
        let retired = try verifier(ring.removing(keyID: old.id))
        #expect(retired.keys.keyIDs == ["2026-11"])

        _ = try await both.verify(try SignedFixture.token(key: old), method: "POST", target: "/api/orders?dry=1", body: body)
        _ = try await both.verify(try SignedFixture.token(key: new), method: "POST", target: "/api/orders?dry=1", body: body)
        let freshNonce = Array(repeating: UInt8(9), count: 16)
        await expectCode(.unknownKey) {
            _ = try await retired.verify(try SignedFixture.token(key: old, nonce: freshNonce), method: "POST", target: "/api/orders?dry=1", body: body)
        }
        _ = try await retired.verify(try SignedFixture.token(key: new, nonce: freshNonce), method: "POST", target: "/api/orders?dry=1", body: body)
        await expectCode(.badSignature) {
            _ = try await retired.verify(try SignedFixture.token(key: impostor, nonce: Array(repeating: 1, count: 16)), method: "POST", target: "/api/orders?dry=1", body: body)
        }
        // The same nonce under two key ids is two different tokens.
        _ = try await both.verify(try SignedFixture.token(key: old, nonce: freshNonce), method: "POST", target: "/api/orders?dry=1", body: body)
    }

    @Test("key lookup by the token's bytes, in small and large rings", arguments: [3, 12])
    func keyLookupFromBytes(size: Int) throws {
        let keys = try (0..<size).map { try SignedFixture.key("k\($0)", secret: Array(repeating: UInt8($0), count: 32)) }
        let ring = try DynamicTokenKeyRing(keys)
        for key in keys {
            let found = Array(key.id.utf8).withUnsafeBufferPointer { ring.key(utf8: $0) }
            #expect(found?.id == key.id)
        }
        for unknown in ["k", "k1x", "K1", "k\(size)", "1k"] {
            #expect(Array(unknown.utf8).withUnsafeBufferPointer { ring.key(utf8: $0) } == nil)
        }
        // Verification picks the right key by id, including ids that prefix one another.
        let verifier = try SignedFixture.verifier(keys: keys)
        let last = keys[size - 1]
        let token = try SignedFixture.token(key: last)
        #expect(try verifier.check(token, method: "POST", target: "/api/orders?dry=1", body: body).keyID == last.id)
        let retired = ring.removing(keyID: last.id)
        #expect(Array(last.id.utf8).withUnsafeBufferPointer { retired.key(utf8: $0) } == nil)
        let added = try retired.adding(last)
        #expect(Array(last.id.utf8).withUnsafeBufferPointer { added.key(utf8: $0) }?.id == last.id)
    }

    @Test("past and future tolerances are separate and inclusive")
    func tolerances() throws {
        let token = try SignedFixture.token()
        func check(at now: Int64, past: Duration = .seconds(300), future: Duration = .seconds(30)) throws {
            _ = try SignedFixture.verifier(past: past, future: future).check(token, method: "POST", target: "/api/orders?dry=1", body: body, nowMilliseconds: now)
        }
        let t = SignedFixture.now
        try check(at: t + 300_000)
        #expect(throws: DynamicTokenError.expired) { try check(at: t + 300_001) }
        try check(at: t - 30_000)
        #expect(throws: DynamicTokenError.notYetValid) { try check(at: t - 30_001) }
        try check(at: t + 10_000, past: .seconds(10), future: .zero)
        #expect(throws: DynamicTokenError.expired) { try check(at: t + 10_001, past: .seconds(10), future: .zero) }
        #expect(throws: DynamicTokenError.notYetValid) { try check(at: t - 1, past: .seconds(10), future: .zero) }
        // Extreme clocks neither overflow nor accept.
        #expect(throws: DynamicTokenError.expired) { try check(at: .max) }
        #expect(throws: DynamicTokenError.notYetValid) { try check(at: .min) }
        #expect(throws: DynamicTokenError.notYetValid) { try check(at: 0) }
        #expect(throws: DynamicTokenError.self) { try SignedFixture.verifier(past: .seconds(-1)) }
        #expect(throws: DynamicTokenError.self) { try SignedFixture.verifier(future: .seconds(7200)) }
    }

    @Test func timestampDigitsAreExact() throws {
        let verifier = try SignedFixture.verifier(clock: ManualClock(Date(ms: 9_999_999_999_999_999)))
        let max = try SignedFixture.token(at: 9_999_999_999_999_999)
        #expect(try verifier.check(max, method: "POST", target: "/api/orders?dry=1", body: body).timestampMilliseconds == 9_999_999_999_999_999)
        let tooMany = max.replacingOccurrences(of: ".9999999999999999.", with: ".19999999999999999.")
        expectSyncCode(.malformed) { _ = try verifier.check(tooMany, method: "POST", target: "/api/orders?dry=1", body: body) }
    }

    @Test func bodyBindingPolicy() async throws {
        let unbound = try SignedFixture.token(body: nil)
        await expectCode(.bodyNotBound) {
            _ = try await SignedFixture.verifier().verify(unbound, method: "POST", target: "/api/orders?dry=1", body: body)
        }
        let optional = try SignedFixture.verifier(body: .optional)
        let verified = try await optional.verify(unbound, method: "POST", target: "/api/orders?dry=1", body: Array("anything".utf8))
        #expect(!verified.bindsBody)
    }

    @Test func replayCacheFailuresFailClosed() async throws {
        let broken = try SignedFixture.verifier(cache: BrokenReplayCache())
        do {
            _ = try await broken.verify(try SignedFixture.token(), method: "POST", target: "/api/orders?dry=1", body: body)
            Issue.record("a broken replay cache let a token through")
        } catch let error as DynamicTokenError {
            #expect(error.code == .replayCacheUnavailable)
            #expect(error.failureKind == .unavailable)
            #expect(error.machineCode == "dynamic_token.replay_cache_unavailable")
        }
        let full = try SignedFixture.verifier(cache: InMemoryReplayCache(capacity: 1))
        _ = try await full.verify(try SignedFixture.token(), method: "POST", target: "/api/orders?dry=1", body: body)
        await expectCode(.replayCacheFull) {
            _ = try await full.verify(try SignedFixture.token(nonce: Array(repeating: 3, count: 16)), method: "POST", target: "/api/orders?dry=1", body: body)
        }
        // Full, it still remembers the live token.
        await expectCode(.replayed) {
            _ = try await full.verify(try SignedFixture.token(), method: "POST", target: "/api/orders?dry=1", body: body)
        }
    }

    @Test("garbage of every length never crashes and is never accepted")
    func garbage() async throws {
        let verifier = try SignedFixture.verifier(body: .optional)
        let random = SeededRandom(seed: 99)
        let alphabet = Array("v1.k1.0123456789AZaz-_=é".unicodeScalars)
        for length in 0...600 {
            var text = String.UnicodeScalarView()
            for _ in 0..<length { text.append(alphabet[random.int(below: alphabet.count)]) }
            #expect(throws: DynamicTokenError.self) { _ = try verifier.check(String(text), method: "GET", target: "/", body: []) }
            #expect(throws: DynamicTokenError.self) { _ = try verifier.check(String(decoding: random.bytes(length), as: UTF8.self), method: "GET", target: "/", body: []) }
        }
        let huge = "v1." + String(repeating: "a", count: 10_000)
        await expectCode(.tooLarge) { _ = try await verifier.verify(huge, method: "GET", target: "/", body: []) }
        await expectCode(.malformed) { _ = try await verifier.verify("", method: "GET", target: "/", body: []) }
        // A valid token with a request target that cannot be signed is refused, not crashed on.
        let token = try SignedFixture.token(body: nil)
        await expectCode(.malformed) { _ = try await verifier.verify(token, method: "POST", target: "/api/orders?dry=1\n", body: []) }
    }

    @Test func errorCodesAreNamespaced() {
        #expect(DynamicTokenError.replayed.machineCode == "dynamic_token.replayed")
        #expect(DynamicTokenError.expired.failureKind == .invalid)
        #expect(DynamicTokenError(.replayCacheFull, "").failureKind == .unavailable)
    }
}

@Suite("Replay cache (in memory)")
struct DynamicTokenReplayCacheTests {
    let nonce: [UInt8] = Array(repeating: 1, count: 16)

    @Test func insertThenAlreadyPresentPerKeyID() throws {
        let cache = InMemoryReplayCache()
        #expect(try cache.insertNow(keyID: "a", nonce: nonce, expiresAt: 100, now: 0) == .inserted)
        #expect(try cache.insertNow(keyID: "a", nonce: nonce, expiresAt: 100, now: 50) == .alreadyPresent)
        #expect(try cache.insertNow(keyID: "b", nonce: nonce, expiresAt: 100, now: 50) == .inserted)
        #expect(cache.count == 2)
    }

    @Test("an entry lives through its expiry instant and is evicted after it")
    func evictionByTime() throws {
        let cache = InMemoryReplayCache()
        _ = try cache.insertNow(keyID: "a", nonce: nonce, expiresAt: 100, now: 0)
        #expect(try cache.insertNow(keyID: "a", nonce: nonce, expiresAt: 100, now: 100) == .alreadyPresent)
        #expect(try cache.insertNow(keyID: "a", nonce: nonce, expiresAt: 200, now: 101) == .inserted)
        #expect(cache.count == 1)
    }

    @Test("when full it refuses new entries and keeps every live one")
    func boundedAndFailsClosed() async throws {
        let cache = InMemoryReplayCache(capacity: 100)
        for i in 0..<100 {
            let r = try await cache.insertIfAbsent(keyID: "k", nonce: [UInt8(i)] + nonce, expiresAt: Date(ms: 1000 + Int64(i)), now: Date(ms: 0))
            #expect(r == .inserted)
        }
        await #expect(throws: ReplayCacheError.self) {
            _ = try await cache.insertIfAbsent(keyID: "k", nonce: [200] + nonce, expiresAt: Date(ms: 5000), now: Date(ms: 10))
        }
        for i in 0..<100 {
            #expect(try cache.insertNow(keyID: "k", nonce: [UInt8(i)] + nonce, expiresAt: 9999, now: 10) == .alreadyPresent)
        }
        // Once the earliest expire, there is room again, taken in expiry order.
        #expect(try cache.insertNow(keyID: "k", nonce: [200] + nonce, expiresAt: 5000, now: 1002) == .inserted)
        #expect(try cache.insertNow(keyID: "k", nonce: [0] + nonce, expiresAt: 5000, now: 1002) == .inserted)
        #expect(try cache.insertNow(keyID: "k", nonce: [2] + nonce, expiresAt: 5000, now: 1002) == .alreadyPresent)
        #expect(cache.count == 100)
    }

    @Test("concurrent presentations of one token: exactly one is accepted")
    func concurrentSingleUse() async throws {
        let verifier = try SignedFixture.verifier()
        let token = try SignedFixture.token()
        let body = Array("{\"a\":1}".utf8)
        let accepted = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<32 {
                group.addTask { (try? await verifier.verify(token, method: "POST", target: "/api/orders?dry=1", body: body)) != nil }
            }
            var count = 0
            for await ok in group where ok { count += 1 }
            return count
        }
        #expect(accepted == 1)
    }
}
