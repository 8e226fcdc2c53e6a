import Foundation
import Testing
import TokenCore

@Suite struct JWTKeySetTests {
    typealias K = JWTTestKeys

    @Test(arguments: [(JWTAlgorithm.hs256, 32), (.hs384, 48), (.hs512, 64)])
    func shortHMACSecretsAreRefused(_ algorithm: JWTAlgorithm, _ minimum: Int) throws {
        #expect(throws: JWTError(.invalidKey, "\(algorithm) requires a secret of at least \(minimum) bytes (RFC 7518 §3.2), got \(minimum - 1)")) {
            try HMACJWTKey(algorithm, secret: [UInt8](repeating: 1, count: minimum - 1))
        }
        #expect(throws: JWTError.self) { try HMACJWTKey(algorithm, secret: [UInt8]()) }
        let key = try HMACJWTKey(algorithm, secret: [UInt8](repeating: 1, count: minimum))
        #expect(key.algorithm == algorithm)
    }

    @Test(arguments: [JWTAlgorithm.rs256, .es256, .eddsa, .ps256, "none", "HS1"])
    func hmacKeysBindOnlyToHMACAlgorithms(_ algorithm: JWTAlgorithm) {
        #expect(throws: JWTError.self) { try HMACJWTKey(algorithm, secret: [UInt8](repeating: 1, count: 64)) }
    }

    @Test(arguments: [JWTAlgorithm.hs256, .hs384, .hs512])
    func hmacAlgorithmsRoundTrip(_ algorithm: JWTAlgorithm) throws {
        let key = try HMACJWTKey(algorithm, secret: [UInt8](repeating: 7, count: 64), keyID: "k")
        let clock = ManualClock(unixSeconds: K.now)
        let token = try JWTIssuer(signer: key, timeToLive: 60, clock: clock).issue(claims: JSONObject())
        let jwt = try JWTVerifier(keys: JWTKeySet([key]), clock: clock).verify(token)
        #expect(jwt.header.algorithm == algorithm)
        // The signature length is the hash output, as RFC 7518 §3.2 requires.
        let signature = try Base64URL.decode(token.split(separator: ".")[2])
        #expect(signature.count == ["HS256": 32, "HS384": 48, "HS512": 64][algorithm.rawValue])
    }

    @Test func duplicateKeyIDsAreRefused() throws {
        var keys = JWTKeySet()
        try keys.add(HMACJWTKey(.hs256, secret: K.secret32), keyID: "a")
        #expect(throws: JWTError.self) { try keys.add(HMACJWTKey(.hs256, secret: K.otherSecret), keyID: "a") }
        #expect(keys.count == 1)
    }

    @Test func noneCannotBeBound() {
        var keys = JWTKeySet()
        #expect(throws: JWTError.self) { try keys.add(RecordingKey(algorithm: "none")) }
    }

    @Test func withoutKidOnlyKeysOfTheHeaderAlgorithmAreTried() throws {
        let hs = try HMACJWTKey(.hs256, secret: K.otherSecret)
        let hs2 = try HMACJWTKey(.hs256, secret: K.secret32)
        let rs = RecordingKey(algorithm: .rs256)
        var keys = JWTKeySet()
        try keys.add(rs)
        try keys.add(hs, keyID: "old")
        try keys.add(hs2)
        let verifier = JWTVerifier(keys: keys, clock: ManualClock(unixSeconds: K.now))
        // Rotation: signed by the second HS256 key, no kid.
        let token = K.token(header: #"{"alg":"HS256"}"#, payload: K.validPayload)
        #expect(throws: Never.self) { try verifier.verify(token) }
        #expect(rs.calls.withLock { $0 } == 0)
        // The RS256 key is tried for RS256 tokens only.
        let rsToken = K.token(header: #"{"alg":"RS256"}"#, payload: K.validPayload)
        #expect(K.code { () throws(JWTError) in _ = try verifier.verify(rsToken) } == .badSignature)
        #expect(rs.calls.withLock { $0 } == 1)
    }

    @Test func kidSelectsExactlyOneKey() throws {
        var keys = JWTKeySet()
        try keys.add(HMACJWTKey(.hs256, secret: K.secret32), keyID: "a")
        try keys.add(HMACJWTKey(.hs256, secret: K.otherSecret), keyID: "b")
        let verifier = JWTVerifier(keys: keys, clock: ManualClock(unixSeconds: K.now))
        let forA = K.token(header: #"{"alg":"HS256","kid":"a"}"#, payload: K.validPayload)
        #expect(throws: Never.self) { try verifier.verify(forA) }
        // Signed by a's secret but naming b: b alone is tried.
        let wrongKid = K.token(header: #"{"alg":"HS256","kid":"b"}"#, payload: K.validPayload)
        #expect(K.code { () throws(JWTError) in _ = try verifier.verify(wrongKid) } == .badSignature)
        #expect(keys.contains(keyID: "a"))
        #expect(!keys.contains(keyID: "A"))
    }

    @Test func emptyKeySetRejects() {
        let verifier = JWTVerifier(keys: JWTKeySet(), clock: ManualClock(unixSeconds: K.now))
        #expect(K.code { () throws(JWTError) in _ = try verifier.verify(K.token(header: #"{"alg":"HS256"}"#, payload: K.validPayload)) } == .unsupportedAlgorithm)
    }

    @Test func keySetIsItsOwnResolver() async throws {
        let keys = try JWTKeySet([HMACJWTKey(.hs256, secret: K.secret32, keyID: "k1")])
        let jwt = try await JWTVerifier.verify(
            K.token(header: #"{"alg":"HS256","kid":"k1"}"#, payload: K.validPayload),
            as: JWTClaims.self, keys: keys, clock: ManualClock(unixSeconds: K.now)
        )
        #expect(jwt.claims.subject == "user-1")
    }

    struct FailingResolver: JWTKeyResolver {
        func keySet(for header: JWTHeader) async throws -> JWTKeySet { throw URLError(.timedOut) }
    }

    @Test func resolverFailureIsUnavailableAndFailsClosed() async {
        do {
            _ = try await JWTVerifier.verify(
                K.token(header: #"{"alg":"HS256","kid":"k1"}"#, payload: K.validPayload),
                as: JWTClaims.self, keys: FailingResolver(), clock: ManualClock(unixSeconds: K.now)
            )
            Issue.record("expected failure")
        } catch {
            #expect(error.code == .unavailable)
        }
    }

    struct CountingResolver: JWTKeyResolver {
        let keys: JWTKeySet
        let calls = LockedCounter()
        func keySet(for header: JWTHeader) async throws -> JWTKeySet {
            calls.withLock { $0 += 1 }
            return keys
        }
    }

    @Test func malformedTokensNeverReachTheResolver() async throws {
        let resolver = CountingResolver(keys: try JWTKeySet([HMACJWTKey(.hs256, secret: K.secret32)]))
        for token in ["a.b", "x.y.z", K.token(header: #"{"alg":"none"}"#, payload: K.validPayload)] {
            _ = try? await JWTVerifier.verify(token, as: JWTClaims.self, keys: resolver)
        }
        #expect(resolver.calls.withLock { $0 } == 0)
    }
}
