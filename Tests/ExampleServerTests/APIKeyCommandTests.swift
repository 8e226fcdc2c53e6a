import Foundation
import Testing
import TokenCore
@testable import ExampleServer

@Suite struct APIKeyCommandTests {
    let clock = ManualClock(unixSeconds: 1_800_000_000)

    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [String] = []
        func append(_ line: String) { lock.withLock { stored.append(contentsOf: line.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)) } }
        var all: [String] { lock.withLock { stored } }
        var text: String { all.joined(separator: "\n") }
    }

    struct Workspace {
        let directory: URL
        var keyFile: URL { directory.appendingPathComponent("data/api-keys.json") }
        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("apikey-cli-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        func cleanUp() { try? FileManager.default.removeItem(at: directory) }
    }

    func run(_ arguments: [String], _ workspace: Workspace) async -> (status: Int32, out: Lines, err: Lines) {
        let out = Lines(), err = Lines()
        let status = await APIKeyCommand.run(
            arguments, keyFile: workspace.keyFile, clock: clock, random: SystemRandomSource(),
            output: { out.append($0) }, errorOutput: { err.append($0) }
        )
        return (status, out, err)
    }

    @Test func createPrintsTheKeyOnceOnTheLastLineAndStoresOnlyItsHash() async throws {
        let ws = try Workspace()
        defer { ws.cleanUp() }
        let result = await run(["create", "--name", "reports", "--scopes", "reports:read, orders:write", "--expires", "30d", "--owner", "acme"], ws)
        #expect(result.status == 0, "\(result.err.text)")
        let key = try #require(result.out.all.last)
        try APIKeyFormat.live.validate(key)
        #expect(result.out.all.filter { $0.contains(key) }.count == 1)
        let store = try JSONFileAPIKeyStore(fileURL: ws.keyFile, clock: clock)
        let record = try await APIKeyVerifier(store: store, clock: clock).verify(key)
        #expect(record.name == "reports")
        #expect(record.owner == "acme")
        #expect(record.scopes == ["orders:write", "reports:read"])
        #expect(record.expiresAt == clock.now().addingTimeInterval(30 * 86_400))
        #expect(result.out.text.contains(record.id))
        let file = try String(contentsOf: ws.keyFile, encoding: .utf8)
        #expect(!file.contains(key))
    }

    @Test func ownerDefaultsToTheNameAndExpiryToNever() async throws {
        let ws = try Workspace()
        defer { ws.cleanUp() }
        let result = await run(["create", "--name=ci-bot"], ws)
        #expect(result.status == 0)
        let store = try JSONFileAPIKeyStore(fileURL: ws.keyFile, clock: clock)
        let record = try #require(await store.allRecords().first)
        #expect(record.owner == "ci-bot")
        #expect(record.expiresAt == nil)
        #expect(record.scopes.isEmpty)
    }

    @Test func listShowsStatusButNeverKeysOrHashes() async throws {
        let ws = try Workspace()
        defer { ws.cleanUp() }
        #expect(await run(["list"], ws).out.text == "No API keys.")
        let a = await run(["create", "--name", "alpha", "--scopes", "a"], ws)
        let b = await run(["create", "--name", "beta", "--expires", "1h", "--owner", "acme"], ws)
        let c = await run(["create", "--name", "gamma", "--owner", "acme"], ws)
        let keys = [a, b, c].compactMap { $0.out.all.last }
        #expect(keys.count == 3)
        let store = try JSONFileAPIKeyStore(fileURL: ws.keyFile, clock: clock)
        let records = await store.allRecords()
        let gamma = try #require(records.first { $0.name == "gamma" })
        #expect(await run(["revoke", gamma.id], ws).status == 0)
        clock.advance(by: 3600)

        let list = await run(["list"], ws)
        #expect(list.status == 0)
        let text = list.out.text
        for key in keys { #expect(!text.contains(key)) }
        for record in records {
            #expect(!text.contains(record.hash.hex))
            #expect(text.contains(record.id))
            #expect(text.contains(record.displayPrefix + "…"))
        }
        let lines = list.out.all
        #expect(lines.first?.hasPrefix("ID") == true)
        #expect(lines.first { $0.contains("alpha") }?.contains("active") == true)
        #expect(lines.first { $0.contains("beta") }?.contains("expired") == true)
        #expect(lines.first { $0.contains("gamma") }?.contains("revoked") == true)

        let acme = await run(["list", "--owner", "acme"], ws)
        #expect(!acme.out.text.contains("alpha"))
        #expect(acme.out.all.count == 3)
    }

    @Test func revokeTakesEffectInARunningServerWithinTheFreshnessInterval() async throws {
        let ws = try Workspace()
        defer { ws.cleanUp() }
        // The "server": its own store instance on the same file, checking once a second.
        let server = try JSONFileAPIKeyStore(fileURL: ws.keyFile, clock: clock, freshnessInterval: 1)
        let verifier = APIKeyVerifier(store: server, clock: clock)
        let created = await run(["create", "--name", "partner"], ws)
        let key = try #require(created.out.all.last)
        clock.advance(by: 1)
        let record = try await verifier.verify(key)

        let revoked = await run(["revoke", record.id], ws)
        #expect(revoked.status == 0)
        #expect(revoked.out.text.contains("Revoked API key \(record.id)"))
        clock.advance(by: 1)
        let error = await #expect(throws: APIKeyError.self) { try await verifier.verify(key) }
        #expect(error?.code == .revoked)

        let again = await run(["revoke", record.id], ws)
        #expect(again.status == 0)
        #expect(again.out.text.contains("already revoked"))
    }

    @Test func usageErrorsAndFailuresHaveDistinctStatuses() async throws {
        let ws = try Workspace()
        defer { ws.cleanUp() }
        let usageCases: [[String]] = [
            [], ["frobnicate"], ["create"], ["create", "--name"], ["create", "--name", "x", "--bogus", "1"],
            ["create", "--name", "x", "--expires", "30"], ["create", "--name", "x", "--expires", "-3d"],
            ["create", "--name", "x", "--expires", "99999w"], ["revoke"], ["revoke", "a", "b"], ["list", "extra"],
        ]
        for arguments in usageCases {
            let result = await run(arguments, ws)
            #expect(result.status == 2, "\(arguments)")
            #expect(!result.err.all.isEmpty)
        }
        let missing = await run(["revoke", "key_doesnotexist"], ws)
        #expect(missing.status == 1)
        #expect(missing.err.text.contains("api_key.not_found"))
        let badScope = await run(["create", "--name", "x", "--scopes", "a\"b"], ws)
        #expect(badScope.status == 1)
        #expect(badScope.err.text.contains("api_key.invalid_argument"))
        #expect(await run(["--help"], ws).out.text.contains("apikey create"))
        #expect(await run(["create", "--help"], ws).status == 0)
        #expect(!FileManager.default.fileExists(atPath: ws.keyFile.path))
    }

    @Test func aCorruptKeyFileIsReportedNotReplaced() async throws {
        let ws = try Workspace()
        defer { ws.cleanUp() }
        try FileManager.default.createDirectory(at: ws.keyFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("not json".utf8).write(to: ws.keyFile)
        let result = await run(["create", "--name", "x"], ws)
        #expect(result.status == 1)
        #expect(result.err.text.contains("api_key.store_corrupt"))
        #expect(try String(contentsOf: ws.keyFile, encoding: .utf8) == "not json")
    }

    @Test func durationParsing() throws {
        #expect(try APIKeyCommand.Options.parseDuration("90s") == 90)
        #expect(try APIKeyCommand.Options.parseDuration("15m") == 900)
        #expect(try APIKeyCommand.Options.parseDuration("12h") == 43_200)
        #expect(try APIKeyCommand.Options.parseDuration("30d") == 2_592_000)
        #expect(try APIKeyCommand.Options.parseDuration("2w") == 1_209_600)
        #expect(try APIKeyCommand.Options.parseDuration("never") == nil)
        for bad in ["", "d", "0d", "1y", "1.5d", "1 d", "3651d"] {
            #expect(throws: APIKeyCommand.UsageError.self) { try APIKeyCommand.Options.parseDuration(bad) }
        }
    }
}
