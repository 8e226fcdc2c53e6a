import Foundation
import Testing
import TestSupport
import TokenCore

/// The plain Node.js client (Examples/clients/node-dynamic-token) mints tokens that the Swift
/// verifier accepts, and its fixed-input output equals the Python-generated vectors.
@Suite("Signed dynamic token: Node.js client interop")
struct DynamicTokenNodeClientTests {
    static let hasNode = TestEnvironment.commandSucceeds("node --version")
    static let script = TestEnvironment.repositoryRoot.appendingPathComponent("Examples/clients/node-dynamic-token/dynamic-token.js").path

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    static func mint(_ arguments: [String]) throws -> String {
        let result = try TestEnvironment.run((["node", script, "token"] + arguments).map(quote).joined(separator: " "))
        guard result.status == 0 else { throw DynamicTokenError(.malformed, "node failed: \(result.stderr)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func arguments(_ v: SignedVector, fixedNonce: Bool) -> [String] {
        var args = ["--key-id", v.keyID, "--secret-hex", v.secretHex, "--method", v.method, "--target", v.target, "--time", String(v.timestampMs)]
        if fixedNonce { args += ["--nonce-hex", v.nonceHex] }
        if let hex = v.bodyHex { args += ["--body-hex", hex] } else { args += ["--no-body"] }
        if let subject = v.subject { args += ["--subject", subject] }
        return args
    }

    @Test("CI has node")
    func nodePresentUnderCI() {
        #expect(TestEnvironment.missingUnderCI(["node": Self.hasNode]).isEmpty)
    }

    @Test("fixed inputs give the vectors' tokens", .enabled(if: hasNode, "needs node (Node.js 18 or newer)"), arguments: SignedVector.all)
    func fixedInputs(_ v: SignedVector) throws {
        #expect(try Self.mint(Self.arguments(v, fixedNonce: true)) == v.token)
    }

    @Test("random-nonce tokens verify once in Swift, then are replays", .enabled(if: hasNode, "needs node (Node.js 18 or newer)"), arguments: SignedVector.all)
    func randomNonces(_ v: SignedVector) async throws {
        let key = try DynamicTokenKey(id: v.keyID, hexSecret: v.secretHex)
        let verifier = try DynamicTokenVerifier(
            keys: DynamicTokenKeyRing([key]), replayCache: InMemoryReplayCache(),
            clock: ManualClock(Date(unixMilliseconds: v.timestampMs + 1500)), bodyBinding: .optional)
        let first = try Self.mint(Self.arguments(v, fixedNonce: false))
        let second = try Self.mint(Self.arguments(v, fixedNonce: false))
        #expect(first != second)
        let body = v.body ?? []
        for token in [first, second] {
            let verified = try await verifier.verify(token, method: v.method, target: v.target, body: body)
            #expect(verified.nonce.count == 16)
            #expect(verified.subject == v.subject)
        }
        await #expect(throws: DynamicTokenError.replayed) {
            _ = try await verifier.verify(first, method: v.method, target: v.target, body: body)
        }
        // A token for one request does not verify for another.
        #expect(throws: DynamicTokenError.badSignature) {
            _ = try verifier.check(second, method: v.method, target: v.target + "x", body: body)
        }
    }
}
