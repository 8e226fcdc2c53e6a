import Foundation
import Testing
@testable import TokenCore

/// Deterministic randomness for API-key tests: the queued chunks first (each must match the
/// requested size), then SHA-256 in counter mode over `seed`.
final class APIKeyTestRandom: RandomSource, @unchecked Sendable {
    private let lock = NSLock()
    private var chunks: [[UInt8]]
    private var counter: UInt64 = 0
    private let seed: String

    init(seed: String = "test", chunks: [[UInt8]] = []) {
        self.seed = seed
        self.chunks = chunks
    }

    func fill(_ buffer: UnsafeMutableRawBufferPointer) throws(CryptoError) {
        lock.lock()
        defer { lock.unlock() }
        if !chunks.isEmpty {
            let chunk = chunks.removeFirst()
            guard chunk.count == buffer.count else { throw CryptoError(.invalidParameter, "scripted chunk has the wrong size") }
            buffer.copyBytes(from: chunk)
            return
        }
        var filled = 0
        while filled < buffer.count {
            counter += 1
            let block = SHA256.hash("\(seed)/\(counter)")
            let n = min(block.count, buffer.count - filled)
            for i in 0..<n { buffer[filled + i] = block[i] }
            filled += n
        }
    }
}

/// A random source that always fails, as a broken getentropy would.
struct APIKeyFailingRandom: RandomSource {
    func fill(_ buffer: UnsafeMutableRawBufferPointer) throws(CryptoError) {
        throw CryptoError(.randomUnavailable, "no entropy today")
    }
}

/// A fresh empty directory, removed by `cleanUp()`.
struct APIKeyTestDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("apikey-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    func cleanUp() { try? FileManager.default.removeItem(at: url) }
}

/// Expects `body` to throw an ``APIKeyError`` with `code`.
func expectAPIKeyError<R>(_ code: APIKeyError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> R) {
    let error = #expect(throws: APIKeyError.self, sourceLocation: sourceLocation) { try body() }
    #expect(error?.code == code, sourceLocation: sourceLocation)
}

/// Expects async `body` to throw an ``APIKeyError`` with `code`.
func expectAPIKeyError<R>(_ code: APIKeyError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> R) async {
    let error = await #expect(throws: APIKeyError.self, sourceLocation: sourceLocation) { try await body() }
    #expect(error?.code == code, sourceLocation: sourceLocation)
}
