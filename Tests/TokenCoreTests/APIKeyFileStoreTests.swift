import Foundation
import Testing
@testable import TokenCore

@Suite struct APIKeyFileStoreTests {
    let clock = ManualClock(unixSeconds: 1_800_000_000)

    func issuer(_ store: any APIKeyStore, seed: String = UUID().uuidString) -> APIKeyIssuer {
        APIKeyIssuer(store: store, clock: clock, random: APIKeyTestRandom(seed: seed))
    }

    func verifier(_ store: any APIKeyStore) -> APIKeyVerifier {
        APIKeyVerifier(store: store, clock: clock)
    }

    func bytes(_ url: URL) throws -> [UInt8] { [UInt8](try Data(contentsOf: url)) }

    @Test func keysPersistAcrossInstancesAsPrivateJSONWithoutSecrets() async throws {
        let dir = try APIKeyTestDirectory()
        defer { dir.cleanUp() }
        let file = dir.file("nested/dir/keys.json")
        let store = try JSONFileAPIKeyStore(fileURL: file, clock: clock)
        #expect(await store.allRecords().isEmpty)
        let a = try await issuer(store).issue(name: "a", owner: "acme", scopes: ["r"], lifetime: 86_400)
        clock.advance(by: 1)
        let b = try await issuer(store).issue(name: "b", owner: "acme", scopes: [])

        let reopened = try JSONFileAPIKeyStore(fileURL: file, clock: clock)
        #expect(await reopened.allRecords() == [a.record, b.record])
        #expect(try await verifier(reopened).verify(a.key).id == a.record.id)

        let text = String(decoding: try bytes(file), as: UTF8.self)
        #expect(!text.contains(a.key) && !text.contains(b.key))
        #expect(!text.contains(a.key.dropFirst(13).prefix(20)))
        #expect(text.contains(a.record.hash.hex))
        #expect(text.contains("\"format\" : \"swift-token-auth.api-keys\""))
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test(arguments: [DurableFile.Fault.partialTemporaryFile, .beforeRename])
    func aCrashMidWriteLosesNothingAndChangesNothing(_ fault: DurableFile.Fault) async throws {
        let dir = try APIKeyTestDirectory()
        defer { dir.cleanUp() }
        let file = dir.file("keys.json")
        let store = try JSONFileAPIKeyStore(fileURL: file, clock: clock)
        let kept = try await issuer(store).issue(name: "kept", owner: "acme", scopes: [])
        let before = try bytes(file)

        await store.setFault(fault)
        await expectAPIKeyError(.storeUnavailable) { try await issuer(store).issue(name: "lost", owner: "acme", scopes: []) }
        await expectAPIKeyError(.storeUnavailable) { try await issuer(store).revoke(id: kept.record.id) }

        // The file is the old one, byte for byte; the last crashed writer left its temporary
        // file (the second write, holding the lock, removed the first one's).
        #expect(try bytes(file) == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter { $0.hasPrefix(".keys.json.tmp-") }
        #expect(leftovers.count == 1)
        // Neither the writer's memory nor a fresh reader sees a half-applied change.
        #expect(await store.allRecords() == [kept.record])
        let reader = try JSONFileAPIKeyStore(fileURL: file, clock: clock)
        #expect(await reader.allRecords() == [kept.record])
        _ = try await verifier(reader).verify(kept.key)

        // The next successful write cleans up and carries on.
        await store.setFault(nil)
        clock.advance(by: 1)
        let next = try await issuer(store).issue(name: "next", owner: "acme", scopes: [])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter { $0.hasPrefix(".keys.json.tmp-") }.isEmpty)
        try await reader.reload()
        #expect(await reader.allRecords().map(\.id) == [kept.record.id, next.record.id])
    }

    @Test func aPartialTemporaryFileFromAKilledProcessIsIgnored() async throws {
        let dir = try APIKeyTestDirectory()
        defer { dir.cleanUp() }
        let file = dir.file("keys.json")
        let store = try JSONFileAPIKeyStore(fileURL: file, clock: clock, freshnessInterval: 0)
        let kept = try await issuer(store).issue(name: "kept", owner: "acme", scopes: [])
        let full = try bytes(file)
        // Another process was killed after writing half of its new version.
        try Data(full.prefix(full.count / 2)).write(to: dir.file(".keys.json.tmp-99999-1"))
        try await store.reload()
        #expect(await store.allRecords() == [kept.record])
        let reopened = try JSONFileAPIKeyStore(fileURL: file, clock: clock)
        _ = try await verifier(reopened).verify(kept.key)
    }

    @Test func aRunningStoreSeesOtherWritersWithinTheFreshnessInterval() async throws {
        let dir = try APIKeyTestDirectory()
        defer { dir.cleanUp() }
        let file = dir.file("keys.json")
        // `server` and `cli` stand for two processes: separate instances, separate descriptors.
        let server = try JSONFileAPIKeyStore(fileURL: file, clock: clock, freshnessInterval: 1)
        let cli = try JSONFileAPIKeyStore(fileURL: file, clock: clock)
        let serverVerifier = verifier(server)
        await expectAPIKeyError(.unknown) { try await serverVerifier.verify(APIKeyFormat.live.generate(using: APIKeyTestRandom(seed: "x"))) }

        let created = try await issuer(cli).issue(name: "from cli", owner: "acme", scopes: [])
        // Within the interval the server answers from memory, without even a stat.
        await expectAPIKeyError(.unknown) { try await serverVerifier.verify(created.key) }
        clock.advance(by: 1)
        #expect(try await serverVerifier.verify(created.key).id == created.record.id)

        _ = try await issuer(cli).revoke(id: created.record.id)
        clock.advance(by: 1)
        await expectAPIKeyError(.revoked) { try await serverVerifier.verify(created.key) }
    }

    @Test func reloadOnRequestAndNoReloadWithoutAChange() async throws {
        let dir = try APIKeyTestDirectory()
        defer { dir.cleanUp() }
        let file = dir.file("keys.json")
        let server = try JSONFileAPIKeyStore(fileURL: file, clock: clock, freshnessInterval: 3600)
        let cli = try JSONFileAPIKeyStore(fileURL: file, clock: clock)
        #expect(try await server.reloadIfChanged() == false)
        let created = try await issuer(cli).issue(name: "k", owner: "acme", scopes: [])
        #expect(await server.record(id: created.record.id) == nil)
        #expect(try await server.reloadIfChanged() == true)
        #expect(await server.record(id: created.record.id) == created.record)
        #expect(try await server.reloadIfChanged() == false)
        _ = try await issuer(cli).revoke(id: created.record.id)
        try await server.reload()
        #expect(await server.record(id: created.record.id)?.revokedAt != nil)
    }

    @Test func writersInDifferentInstancesNeverLoseEachOthersChanges() async throws {
        let dir = try APIKeyTestDirectory()
        defer { dir.cleanUp() }
        let file = dir.file("keys.json")
        let a = try JSONFileAPIKeyStore(fileURL: file, clock: clock, freshnessInterval: 3600)
        let b = try JSONFileAPIKeyStore(fileURL: file, clock: clock, freshnessInterval: 3600)
        let one = try await issuer(a).issue(name: "one", owner: "o", scopes: [])
        clock.advance(by: 1)
        // b has not looked at the file since; its write must start from a's version.
        let two = try await issuer(b).issue(name: "two", owner: "o", scopes: [])
        _ = try await issuer(a).revoke(id: two.record.id)
        let fresh = try JSONFileAPIKeyStore(fileURL: file, clock: clock)
        let records = await fresh.allRecords()
        #expect(records.map(\.id) == [one.record.id, two.record.id])
        #expect(records.last?.revokedAt != nil)
    }

    @Test func concurrentCreatesAreSerialised() async throws {
        let dir = try APIKeyTestDirectory()
        defer { dir.cleanUp() }
        let file = dir.file("keys.json")
        let store = try JSONFileAPIKeyStore(fileURL: file, clock: clock)
        let other = try JSONFileAPIKeyStore(fileURL: file, clock: clock)
        let issuer = APIKeyIssuer(store: store, clock: clock, random: SystemRandomSource())
        let otherIssuer = APIKeyIssuer(store: other, clock: clock, random: SystemRandomSource())
        let keys = try await withThrowingTaskGroup(of: IssuedAPIKey.self) { group in
            for i in 0..<40 {
                group.addTask { try await (i % 4 == 0 ? otherIssuer : issuer).issue(name: "k\(i)", owner: "o\(i % 3)", scopes: ["s\(i)"]) }
            }
            var all: [IssuedAPIKey] = []
            for try await issued in group { all.append(issued) }
            return all
        }
        #expect(keys.count == 40)
        let fresh = try JSONFileAPIKeyStore(fileURL: file, clock: clock)
        #expect(await fresh.allRecords().count == 40)
        let freshVerifier = verifier(fresh)
        for issued in keys { #expect(try await freshVerifier.verify(issued.key).id == issued.record.id) }
    }

    @Test func aCorruptFileIsNeverUsedNorOverwritten() async throws {
        let dir = try APIKeyTestDirectory()
        defer { dir.cleanUp() }
        let file = dir.file("keys.json")
        let store = try JSONFileAPIKeyStore(fileURL: file, clock: clock, freshnessInterval: 0)
        let kept = try await issuer(store).issue(name: "kept", owner: "acme", scopes: [])

        let garbage = Array("{\"format\": \"swift-token-auth.api-keys\", \"version\": 1, \"keys\": [{\"id\": ".utf8)
        try Data(garbage).write(to: file)
        // The running store keeps serving its last good state and says why.
        _ = try await verifier(store).verify(kept.key)
        #expect(await store.lastReloadError?.code == .storeCorrupt)
        await expectAPIKeyError(.storeCorrupt) { try await issuer(store).issue(name: "x", owner: "o", scopes: []) }
        #expect(try bytes(file) == garbage)
        // A new process refuses to start on it.
        #expect(throws: APIKeyError.self) { try JSONFileAPIKeyStore(fileURL: file, clock: clock) }

        for bad in ["[]", "{\"format\":\"other\",\"version\":1,\"keys\":[]}", "{\"format\":\"swift-token-auth.api-keys\",\"version\":2,\"keys\":[]}"] {
            try Data(bad.utf8).write(to: file)
            expectAPIKeyError(.storeCorrupt) { try JSONFileAPIKeyStore(fileURL: file, clock: clock) }
        }
        // Two records with one hash are corruption, not a choice.
        let record = kept.record
        var twin = record
        twin.id = "key_twin"
        let data = try JSONFileAPIKeyStore.encode(APIKeyIndex(records: [record], duplicateCode: .duplicate))
        var text = String(decoding: data, as: UTF8.self)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let twinJSON = String(decoding: try encoder.encode(twin), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"keys\" : [", with: "\"keys\" : [" + twinJSON + ",")
        try Data(text.utf8).write(to: file)
        expectAPIKeyError(.storeCorrupt) { try JSONFileAPIKeyStore(fileURL: file, clock: clock) }
        // Recovery: a valid file is picked up again.
        try Data(data).write(to: file)
        _ = try await verifier(store).verify(kept.key)
        #expect(await store.lastReloadError == nil)
    }

    @Test func oversizedFileIsRefused() throws {
        let dir = try APIKeyTestDirectory()
        defer { dir.cleanUp() }
        let file = dir.file("keys.json")
        #expect(FileManager.default.createFile(atPath: file.path, contents: nil))
        let handle = try FileHandle(forWritingTo: file)
        try handle.truncate(atOffset: UInt64(JSONFileAPIKeyStore.maximumFileBytes + 1))
        try handle.close()
        expectAPIKeyError(.storeCorrupt) { try JSONFileAPIKeyStore(fileURL: file, clock: clock) }
    }

    @Test func lastUsedTimesArePersistedLazily() async throws {
        let dir = try APIKeyTestDirectory()
        defer { dir.cleanUp() }
        let file = dir.file("keys.json")
        let store = try JSONFileAPIKeyStore(fileURL: file, clock: clock, usagePersistInterval: 300)
        let issued = try await issuer(store).issue(name: "u", owner: "acme", scopes: [])
        let before = try bytes(file)
        _ = try await verifier(store).verify(issued.key)
        // Noted in memory, not yet written: no write on the request path.
        #expect(await store.record(id: issued.record.id)?.lastUsedAt == clock.now())
        #expect(try bytes(file) == before)
        try await store.persistUsage()
        let reopened = try JSONFileAPIKeyStore(fileURL: file, clock: clock)
        #expect(await reopened.record(id: issued.record.id)?.lastUsedAt == clock.now())

        // After the persistence interval a use is written on its own.
        clock.advance(by: 300)
        _ = try await verifier(store).verify(issued.key)
        let third = try JSONFileAPIKeyStore(fileURL: file, clock: clock)
        #expect(await third.record(id: issued.record.id)?.lastUsedAt == clock.now())
    }
}

extension JSONFileAPIKeyStore {
    func setFault(_ fault: DurableFile.Fault?) { self.fault = fault }
}
