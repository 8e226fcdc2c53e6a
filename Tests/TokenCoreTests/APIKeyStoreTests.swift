import Foundation
import Testing
@testable import TokenCore

/// Behaviour every store must have, run against both implementations.
@Suite struct APIKeyStoreTests {
    enum Kind: String, CaseIterable, Sendable { case memory, file }

    /// A store of `kind` plus what the test needs around it.
    struct Fixture {
        let store: any APIKeyStore
        let clock = ManualClock(unixSeconds: 1_800_000_000)
        let directory: APIKeyTestDirectory
        var issuer: APIKeyIssuer { APIKeyIssuer(store: store, clock: clock, random: APIKeyTestRandom(seed: UUID().uuidString)) }
        var verifier: APIKeyVerifier { APIKeyVerifier(store: store, clock: clock) }

        init(_ kind: Kind) throws {
            directory = try APIKeyTestDirectory()
            switch kind {
            case .memory: store = InMemoryAPIKeyStore()
            case .file: store = try JSONFileAPIKeyStore(fileURL: directory.file("keys.json"), clock: clock)
            }
        }
    }

    @Test(arguments: Kind.allCases)
    func issuedKeyVerifiesByHashWithItsScopesAndOwner(_ kind: Kind) async throws {
        let f = try Fixture(kind)
        defer { f.directory.cleanUp() }
        let issued = try await f.issuer.issue(name: "reports job", owner: "acme", scopes: ["reports:read", "orders:write", "reports:read"])
        #expect(issued.record.scopes == ["orders:write", "reports:read"])
        #expect(issued.record.hash == APIKeyHasher.sha256.digest(of: issued.key))
        #expect(issued.record.displayPrefix == String(issued.key.prefix(13)))
        #expect(!"\(issued)".contains(issued.key))
        let record = try await f.verifier.verify(issued.key)
        #expect(record.id == issued.record.id)
        #expect(record.owner == "acme")
        #expect(record.scopes == ["orders:write", "reports:read"])
        let found = try await f.store.record(matching: APIKeyHasher.sha256.digest(of: issued.key))
        #expect(found?.id == issued.record.id)
    }

    @Test(arguments: Kind.allCases)
    func wellFormedButUnknownKeyIsUnknown(_ kind: Kind) async throws {
        let f = try Fixture(kind)
        defer { f.directory.cleanUp() }
        _ = try await f.issuer.issue(name: "a", owner: "acme", scopes: [])
        let stranger = try APIKeyFormat.live.generate(using: APIKeyTestRandom(seed: "stranger"))
        await expectAPIKeyError(.unknown) { try await f.verifier.verify(stranger) }
    }

    @Test(arguments: Kind.allCases)
    func revocationStopsOneKeyAndLeavesTheOwnersOthers(_ kind: Kind) async throws {
        let f = try Fixture(kind)
        defer { f.directory.cleanUp() }
        let first = try await f.issuer.issue(name: "one", owner: "acme", scopes: ["a"])
        let second = try await f.issuer.issue(name: "two", owner: "acme", scopes: ["b"])
        let other = try await f.issuer.issue(name: "three", owner: "globex", scopes: [])
        #expect(try await f.store.records(owner: "acme").map(\.id).sorted() == [first.record.id, second.record.id].sorted())
        f.clock.advance(by: 10)
        let revoked = try await f.issuer.revoke(id: first.record.id)
        #expect(revoked.revokedAt == f.clock.now())
        await expectAPIKeyError(.revoked) { try await f.verifier.verify(first.key) }
        #expect(try await f.verifier.verify(second.key).id == second.record.id)
        #expect(try await f.verifier.verify(other.key).id == other.record.id)
        // Revoking again keeps the first revocation time.
        f.clock.advance(by: 10)
        #expect(try await f.issuer.revoke(id: first.record.id).revokedAt == revoked.revokedAt)
        await expectAPIKeyError(.notFound) { try await f.issuer.revoke(id: "key_nope") }
    }

    @Test(arguments: Kind.allCases)
    func expiryIsDecidedByTheInjectedClock(_ kind: Kind) async throws {
        let f = try Fixture(kind)
        defer { f.directory.cleanUp() }
        let issued = try await f.issuer.issue(name: "short", owner: "acme", scopes: [], lifetime: 3600)
        #expect(issued.record.expiresAt == f.clock.now().addingTimeInterval(3600))
        f.clock.advance(by: 3599)
        _ = try await f.verifier.verify(issued.key)
        f.clock.advance(by: 1)
        await expectAPIKeyError(.expired) { try await f.verifier.verify(issued.key) }
        // Revocation wins over expiry.
        _ = try await f.issuer.revoke(id: issued.record.id)
        await expectAPIKeyError(.revoked) { try await f.verifier.verify(issued.key) }
    }

    @Test(arguments: Kind.allCases)
    func rotationOverlapsThenRetiresTheOldKey(_ kind: Kind) async throws {
        let f = try Fixture(kind)
        defer { f.directory.cleanUp() }
        let old = try await f.issuer.issue(name: "svc", owner: "acme", scopes: ["x"])
        let new = try await f.issuer.rotate(id: old.record.id, overlap: 600)
        #expect(new.key != old.key)
        #expect(new.record.owner == "acme" && new.record.scopes == ["x"] && new.record.name == "svc")
        _ = try await f.verifier.verify(old.key)
        _ = try await f.verifier.verify(new.key)
        f.clock.advance(by: 600)
        await expectAPIKeyError(.expired) { try await f.verifier.verify(old.key) }
        _ = try await f.verifier.verify(new.key)
        await expectAPIKeyError(.invalidArgument) { try await f.issuer.rotate(id: old.record.id, overlap: 0) }
    }

    @Test(arguments: Kind.allCases)
    func lastUsedIsRecordedAtAGranularity(_ kind: Kind) async throws {
        let f = try Fixture(kind)
        defer { f.directory.cleanUp() }
        let issued = try await f.issuer.issue(name: "u", owner: "acme", scopes: [])
        #expect(try await f.store.record(id: issued.record.id)?.lastUsedAt == nil)
        let firstUse = f.clock.now()
        _ = try await f.verifier.verify(issued.key)
        #expect(try await f.store.record(id: issued.record.id)?.lastUsedAt == firstUse)
        f.clock.advance(by: 30)
        _ = try await f.verifier.verify(issued.key)
        #expect(try await f.store.record(id: issued.record.id)?.lastUsedAt == firstUse)
        f.clock.advance(by: 30)
        _ = try await f.verifier.verify(issued.key)
        #expect(try await f.store.record(id: issued.record.id)?.lastUsedAt == firstUse.addingTimeInterval(60))
    }

    @Test(arguments: Kind.allCases)
    func storesRefuseDuplicatesAndIdentityChanges(_ kind: Kind) async throws {
        let f = try Fixture(kind)
        defer { f.directory.cleanUp() }
        let issued = try await f.issuer.issue(name: "d", owner: "acme", scopes: [])
        await expectAPIKeyError(.duplicate) { try await f.store.insert(issued.record) }
        var sameHash = issued.record
        sameHash.id = "key_other"
        await expectAPIKeyError(.duplicate) { try await f.store.insert(sameHash) }
        await expectAPIKeyError(.invalidArgument) {
            try await f.store.update(id: issued.record.id) { $0.hash = APIKeyHasher.sha256.digest(of: "x") }
        }
        await expectAPIKeyError(.notFound) { try await f.store.update(id: "key_missing") { $0.name = "n" } }
        #expect(try await f.store.allRecords().count == 1)
    }

    @Test(arguments: Kind.allCases)
    func issuingChecksItsArguments(_ kind: Kind) async throws {
        let f = try Fixture(kind)
        defer { f.directory.cleanUp() }
        let issuer = f.issuer
        await expectAPIKeyError(.invalidArgument) { try await issuer.issue(name: "", owner: "o", scopes: []) }
        await expectAPIKeyError(.invalidArgument) { try await issuer.issue(name: "bad\u{1B}[2J", owner: "o", scopes: []) }
        await expectAPIKeyError(.invalidArgument) { try await issuer.issue(name: "n", owner: String(repeating: "o", count: 129), scopes: []) }
        await expectAPIKeyError(.invalidArgument) { try await issuer.issue(name: "n", owner: "o", scopes: ["has space"]) }
        await expectAPIKeyError(.invalidArgument) { try await issuer.issue(name: "n", owner: "o", scopes: ["quo\"te"]) }
        await expectAPIKeyError(.invalidArgument) { try await issuer.issue(name: "n", owner: "o", scopes: (0..<65).map { "s\($0)" }) }
        await expectAPIKeyError(.invalidArgument) { try await issuer.issue(name: "n", owner: "o", scopes: [], expiresAt: f.clock.now()) }
        await expectAPIKeyError(.invalidArgument) { try await issuer.issue(name: "n", owner: "o", scopes: [], lifetime: -1) }
        let broken = APIKeyIssuer(store: f.store, clock: f.clock, random: APIKeyFailingRandom())
        await expectAPIKeyError(.generationFailed) { try await broken.issue(name: "n", owner: "o", scopes: []) }
        #expect(try await f.store.allRecords().isEmpty)
    }

    @Test func hasherMismatchIsUnknownNotAccepted() async throws {
        let store = InMemoryAPIKeyStore()
        let clock = ManualClock(unixSeconds: 1_800_000_000)
        let peppered = try APIKeyHasher.hmacSHA256(pepper: [UInt8](repeating: 7, count: 32), pepperID: "p1")
        let issued = try await APIKeyIssuer(store: store, hasher: peppered, clock: clock, random: APIKeyTestRandom()).issue(name: "p", owner: "o", scopes: [])
        #expect(issued.record.hashAlgorithm == "hmac-sha256:p1")
        _ = try await APIKeyVerifier(store: store, hasher: peppered, clock: clock).verify(issued.key)
        await expectAPIKeyError(.unknown) { try await APIKeyVerifier(store: store, hasher: .sha256, clock: clock).verify(issued.key) }
        let otherPepper = try APIKeyHasher.hmacSHA256(pepper: [UInt8](repeating: 8, count: 32), pepperID: "p2")
        await expectAPIKeyError(.unknown) { try await APIKeyVerifier(store: store, hasher: otherPepper, clock: clock).verify(issued.key) }
    }

    /// Counts lookups, to show that bad keys never reach the store.
    actor CountingStore: APIKeyStore {
        let inner = InMemoryAPIKeyStore()
        var lookups = 0
        func insert(_ record: APIKeyRecord) async throws(APIKeyError) { try await inner.insert(record) }
        func record(matching digest: APIKeyDigest) async -> APIKeyRecord? { lookups += 1; return await inner.record(matching: digest) }
        func record(id: String) async -> APIKeyRecord? { await inner.record(id: id) }
        func allRecords() async -> [APIKeyRecord] { await inner.allRecords() }
        func update(id: String, _ change: @Sendable (inout APIKeyRecord) -> Void) async throws(APIKeyError) -> APIKeyRecord { try await inner.update(id: id, change) }
        func recordUse(id: String, at date: Date) async { await inner.recordUse(id: id, at: date) }
    }

    @Test func malformedAndMistypedKeysAreRejectedBeforeAnyLookup() async throws {
        let store = CountingStore()
        let clock = ManualClock(unixSeconds: 1_800_000_000)
        let issued = try await APIKeyIssuer(store: store, clock: clock, random: APIKeyTestRandom()).issue(name: "c", owner: "o", scopes: [])
        let verifier = APIKeyVerifier(store: store, formats: [.live, .test], clock: clock)
        var typo = Array(issued.key.utf8)
        typo[30] = typo[30] == UInt8(ascii: "Z") ? UInt8(ascii: "Y") : UInt8(ascii: "Z")
        await expectAPIKeyError(.badChecksum) { try await verifier.verify(String(decoding: typo, as: UTF8.self)) }
        await expectAPIKeyError(.malformed) { try await verifier.verify("ghp_" + issued.key.dropFirst(9)) }
        await expectAPIKeyError(.malformed) { try await verifier.verify("no-prefix") }
        await expectAPIKeyError(.malformed) { try await verifier.verify(String(repeating: "tka_live_", count: 100)) }
        #expect(await store.lookups == 0)
        _ = try await verifier.verify(issued.key)
        #expect(await store.lookups == 1)
        // A test key is well-formed for this verifier, so it is looked up (and unknown).
        let testKey = try APIKeyFormat.test.generate(using: APIKeyTestRandom(seed: "t"))
        await expectAPIKeyError(.unknown) { try await verifier.verify(testKey) }
        // A live-only verifier calls it malformed without a lookup.
        await expectAPIKeyError(.malformed) { try await APIKeyVerifier(store: store, clock: clock).verify(testKey) }
        #expect(await store.lookups == 2)
    }
}
