import Foundation
import Testing
import TokenCore

private let t0 = Date(timeIntervalSince1970: 1_800_000_000)

private func family(_ id: String, token: String, subject: String = "u", at start: Date = t0) -> RefreshTokenFamily {
    RefreshTokenFamily(
        id: id, subject: subject, scopes: ["s"], createdAt: start, expiresAt: start.addingTimeInterval(30 * 86_400),
        idleTimeout: 7 * 86_400, currentTokenHash: token
    )
}

private func access(_ id: String, at date: Date = t0) -> IssuedAccessToken {
    IssuedAccessToken(id: id, expiresAt: date.addingTimeInterval(900))
}

private func lines(_ url: URL) throws -> [String] {
    try String(decoding: Data(contentsOf: url), as: UTF8.self).split(separator: "\n").map(String.init)
}

@Suite struct SessionStoreTests {
    @Test func inMemoryRotationRules() async throws {
        let store = InMemoryRefreshTokenStore()
        try await store.insert(family("f1", token: "h0"))
        let rotated = try await store.rotate(presentedHash: "h0", to: "h1", issuing: access("j1"), at: t0 + 10)
        guard case .rotated(let f) = rotated else { Issue.record("expected rotation, got \(rotated)"); return }
        #expect(f.currentTokenHash == "h1" && f.usedTokenHashes == ["h0"] && f.lastUsedAt == t0 + 10)
        #expect(f.accessTokens.map(\.id) == ["j1"])
        #expect(try await store.rotate(presentedHash: "zz", to: "h2", issuing: access("j2"), at: t0 + 20) == .unknown)
        guard case .reused(let revoked) = try await store.rotate(presentedHash: "h0", to: "h2", issuing: access("j2"), at: t0 + 20) else {
            Issue.record("expected reuse"); return
        }
        #expect(revoked.revokedAt == t0 + 20)
        guard case .revoked = try await store.rotate(presentedHash: "h1", to: "h3", issuing: access("j3"), at: t0 + 30) else {
            Issue.record("expected revoked"); return
        }
    }

    @Test func inMemoryIsBoundedAndEvictsExpiredFamilies() async throws {
        let store = InMemoryRefreshTokenStore(capacity: 2)
        try await store.insert(family("a", token: "ha"))
        try await store.insert(family("b", token: "hb"))
        await #expect(throws: SessionError.self) { try await store.insert(family("c", token: "hc")) }
        // Eight days later both have idled out; room is made.
        try await store.insert(family("c", token: "hc", at: t0 + 8 * 86_400))
        #expect(await store.count == 1)

        let opaque = InMemoryOpaqueTokenStore(capacity: 1)
        try await opaque.insert(OpaqueTokenRecord(tokenHash: "x", subject: "u", scopes: [], issuedAt: t0, expiresAt: t0 + 60))
        await #expect(throws: SessionError.self) {
            try await opaque.insert(OpaqueTokenRecord(tokenHash: "y", subject: "u", scopes: [], issuedAt: t0, expiresAt: t0 + 60))
        }
        try await opaque.insert(OpaqueTokenRecord(tokenHash: "y", subject: "u", scopes: [], issuedAt: t0 + 61, expiresAt: t0 + 120))
        #expect(try await opaque.record(forHash: "x") == nil)
    }

    @Test func journalReplaysRefreshFamilies() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("refresh.journal")
        do {
            let store = try JournalRefreshTokenStore(fileURL: url, clock: ManualClock(t0))
            try await store.insert(family("f1", token: "h0"))
            try await store.insert(family("f2", token: "k0", subject: "other"))
            _ = try await store.rotate(presentedHash: "h0", to: "h1", issuing: access("j1"), at: t0 + 5)
            _ = try await store.revokeFamily(id: "f2", at: t0 + 6)
        }
        let reopened = try JournalRefreshTokenStore(fileURL: url, clock: ManualClock(t0 + 7))
        #expect(await reopened.count == 2)
        #expect(try await reopened.family(id: "f2")?.revokedAt == t0 + 6)
        // The rotation survived: the old token is reuse, the new one rotates... after reuse, revoked.
        guard case .reused(let f1) = try await reopened.rotate(presentedHash: "h0", to: "h9", issuing: access("j9"), at: t0 + 8) else {
            Issue.record("the used token must still be known as used after a restart"); return
        }
        #expect(f1.accessTokens.map(\.id) == ["j1"])
        // Compacted at start-up: one record per family.
        #expect(try lines(url).count == 2 + 1) // two snapshots, then the reuse just appended
    }

    @Test func tornLastRecordIsIgnored() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("refresh.journal")
        do {
            let store = try JournalRefreshTokenStore(fileURL: url, clock: ManualClock(t0))
            try await store.insert(family("f1", token: "h0"))
            _ = try await store.rotate(presentedHash: "h0", to: "h1", issuing: access("j1"), at: t0 + 5)
        }
        // A crash in the middle of the next append: half a line, no newline.
        let full = try Data(contentsOf: url)
        let lastLine = try #require(try lines(url).last)
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(lastLine.utf8.prefix(lastLine.utf8.count / 2)))
        try handle.close()

        let store = try JournalRefreshTokenStore(fileURL: url, clock: ManualClock(t0 + 6))
        #expect(try await store.family(id: "f1")?.currentTokenHash == "h1")
        #expect(try await store.family(containing: "h0")?.id == "f1")
        // Compaction dropped the torn bytes.
        #expect(try Data(contentsOf: url).count < full.count + lastLine.utf8.count / 2)
        #expect(try lines(url).count == 1)
    }

    @Test func damagedLastCompleteRecordIsIgnoredButDamageBeforeGoodRecordsIsFatal() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("opaque.journal")
        do {
            let store = try JournalOpaqueTokenStore(fileURL: url, clock: ManualClock(t0))
            for hash in ["a", "b", "c"] {
                try await store.insert(OpaqueTokenRecord(tokenHash: hash, subject: "u", scopes: [], issuedAt: t0, expiresAt: t0 + 900))
            }
        }
        var text = try lines(url)
        // Flip a byte inside the last record: its checksum no longer matches.
        text[2] = text[2].replacingOccurrences(of: "\"c\"", with: "\"C\"")
        try Data((text.joined(separator: "\n") + "\n").utf8).write(to: url)
        let store = try JournalOpaqueTokenStore(fileURL: url, clock: ManualClock(t0))
        #expect(try await store.record(forHash: "b") != nil)
        #expect(try await store.record(forHash: "c") == nil)
        #expect(try await store.record(forHash: "C") == nil)

        // Damage in the middle, followed by good records: refuse to start.
        var middle = try lines(url)
        middle[0] = "0000000000000000 {}"
        try Data((middle.joined(separator: "\n") + "\n").utf8).write(to: url)
        #expect(throws: SessionError.self) { try JournalOpaqueTokenStore(fileURL: url, clock: ManualClock(t0)) }
    }

    @Test func startupDropsExpiredStateAndCompacts() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("refresh.journal")
        do {
            let store = try JournalRefreshTokenStore(fileURL: url, clock: ManualClock(t0))
            try await store.insert(family("old", token: "o0"))
            try await store.insert(family("new", token: "n0", at: t0 + 6 * 86_400))
            var current = "n0"
            for i in 1...20 {
                _ = try await store.rotate(presentedHash: current, to: "n\(i)", issuing: access("j\(i)"), at: t0 + 6 * 86_400 + Double(i))
                current = "n\(i)"
            }
        }
        #expect(try lines(url).count == 22)
        // Day 8: "old" has idled out; "new" is alive.
        let store = try JournalRefreshTokenStore(fileURL: url, clock: ManualClock(t0 + 8 * 86_400))
        #expect(await store.count == 1)
        #expect(try await store.family(id: "new")?.generation == 20)
        #expect(try lines(url).count == 1)
    }

    @Test func journalRevocationListSurvivesRestart() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("revoked.journal")
        let clock = ManualClock(t0)
        do {
            let list = try JournalRevocationList(fileURL: url, clock: clock)
            try await list.revoke("short", until: t0 + 60)
            try await list.revoke("long", until: t0 + 3600)
            try await list.revoke("past", until: t0 - 1)
            #expect(try await list.isRevoked("short"))
        }
        clock.advance(by: 120)
        let list = try JournalRevocationList(fileURL: url, clock: clock)
        #expect(try await list.isRevoked("long"))
        #expect(try await !list.isRevoked("short"))
        #expect(try await !list.isRevoked("past"))
        #expect(await list.count == 1)
        #expect(try lines(url).count == 1)
    }

    @Test func unwritableJournalFailsClosed() async throws {
        let missing = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/refresh.journal")
        #expect(throws: SessionError.self) { try JournalRefreshTokenStore(fileURL: missing) }
        #expect(throws: SessionError.self) { try JournalRevocationList(fileURL: missing) }
    }

    /// The example server's restart: sessions, rotations and revocations outlive the process.
    @Test func sessionManagerOverJournalsSurvivesRestart() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        func stores(_ clock: ManualClock) throws -> (JournalRefreshTokenStore, JournalRevocationList) {
            (try JournalRefreshTokenStore(fileURL: dir.appendingPathComponent("refresh.journal"), clock: clock),
             try JournalRevocationList(fileURL: dir.appendingPathComponent("revoked.journal"), clock: clock))
        }
        let (refresh1, revoked1) = try stores(ManualClock(SessionFixture.start))
        let before = try await SessionFixture(refreshTokens: refresh1, revocations: revoked1)
        let kept = try await before.manager.login(username: "alice", password: "correct horse")
        let ended = try await before.manager.login(username: "alice", password: "correct horse")
        try await before.manager.logout(refreshToken: ended.refreshToken)
        let endedJTI = try #require(try JWTClaims(payload: UnverifiedJWT(parsing: ended.accessToken).payload).id)

        // "Restart": new store instances over the same files.
        let (refresh2, revoked2) = try stores(ManualClock(SessionFixture.start))
        let after = try await SessionFixture(refreshTokens: refresh2, revocations: revoked2)
        _ = try await after.manager.refresh(kept.refreshToken)
        #expect(await sessionErrorCode { try await after.manager.refresh(ended.refreshToken) } == .sessionRevoked)
        #expect(try await revoked2.isRevoked(endedJTI))
    }
}
