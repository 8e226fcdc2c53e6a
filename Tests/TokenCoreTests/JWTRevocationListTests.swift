import Foundation
import Testing
import TokenCore

@Suite struct JWTRevocationListTests {
    typealias K = JWTTestKeys

    func verify(_ payload: String, list: any RevocationList, clock: ManualClock) async -> JWTError.Code? {
        do {
            let keys = try JWTKeySet([HMACJWTKey(.hs256, secret: K.secret32, keyID: "k1")])
            _ = try await JWTVerifier.verify(
                K.token(header: #"{"alg":"HS256","kid":"k1"}"#, payload: payload),
                as: JWTClaims.self, keys: keys, clock: clock, revocationList: list
            )
            return nil
        } catch {
            return error.code
        }
    }

    @Test func revokedTokensAreRejectedAfterTheirSignatureVerifies() async throws {
        let clock = ManualClock(unixSeconds: K.now)
        let list = InMemoryRevocationList(clock: clock)
        try await list.revoke("j1", until: Date(timeIntervalSince1970: K.now + 600))
        #expect(await verify(#"{"exp":1700000600,"jti":"j1"}"#, list: list, clock: clock) == .revoked)
        #expect(await verify(#"{"exp":1700000600,"jti":"j2"}"#, list: list, clock: clock) == nil)
        #expect(await verify(#"{"exp":1700000600}"#, list: list, clock: clock) == .missingClaim)
    }

    struct BrokenList: RevocationList {
        let calls = LockedCounter()
        func isRevoked(_ jti: String) async throws -> Bool {
            calls.withLock { $0 += 1 }
            throw URLError(.cannotConnectToHost)
        }
        func revoke(_ jti: String, until expiresAt: Date) async throws {}
    }

    @Test func unreachableListFailsClosed() async {
        let list = BrokenList()
        let clock = ManualClock(unixSeconds: K.now)
        #expect(await verify(#"{"exp":1700000600,"jti":"j1"}"#, list: list, clock: clock) == .unavailable)
        #expect(JWTError(.unavailable, "").failureKind == .unavailable)
    }

    @Test func listIsNotConsultedForInvalidTokens() async {
        let list = BrokenList()
        let clock = ManualClock(unixSeconds: K.now)
        #expect(await verify(#"{"exp":1000,"jti":"j1"}"#, list: list, clock: clock) == .expired)
        #expect(list.calls.withLock { $0 } == 0)
    }

    @Test func entriesAreForgottenAfterTheTokenExpires() async throws {
        let clock = ManualClock(unixSeconds: K.now)
        let list = InMemoryRevocationList(clock: clock)
        try await list.revoke("j1", until: Date(timeIntervalSince1970: K.now + 100))
        #expect(try await list.isRevoked("j1"))
        clock.advance(by: 99)
        #expect(try await list.isRevoked("j1"))
        clock.advance(by: 1)
        #expect(try await !list.isRevoked("j1"))
        #expect(await list.count == 0)
        // Already-expired revocations are not stored at all.
        try await list.revoke("old", until: Date(timeIntervalSince1970: K.now))
        #expect(await list.count == 0)
    }

    @Test func capacityIsBoundedAndLiveEntriesAreNeverEvicted() async throws {
        let clock = ManualClock(unixSeconds: K.now)
        let list = InMemoryRevocationList(capacity: 3, clock: clock)
        try await list.revoke("short", until: Date(timeIntervalSince1970: K.now + 10))
        try await list.revoke("a", until: Date(timeIntervalSince1970: K.now + 1000))
        try await list.revoke("b", until: Date(timeIntervalSince1970: K.now + 1000))
        await #expect(throws: JWTError.self) { try await list.revoke("c", until: Date(timeIntervalSince1970: K.now + 1000)) }
        #expect(await list.count == 3)
        clock.advance(by: 10) // "short" expires, making room
        try await list.revoke("c", until: Date(timeIntervalSince1970: K.now + 1000))
        #expect(await list.count == 3)
        #expect(try await list.isRevoked("a"))
        #expect(try await list.isRevoked("c"))
        // Re-revoking an entry extends it without taking room.
        try await list.revoke("a", until: Date(timeIntervalSince1970: K.now + 5000))
        clock.advance(by: 2000)
        #expect(try await list.isRevoked("a"))
        #expect(try await !list.isRevoked("b"))
    }
}
