import Testing
import TokenCore

private struct BrokenRandomSource: RandomSource {
    func fill(_ buffer: UnsafeMutableRawBufferPointer) throws(CryptoError) {
        throw CryptoError(.randomUnavailable, "test: getrandom failed")
    }
}

@Suite struct RandomSourceTests {
    @Test func systemSourceGivesDistinctNonZeroBytes() throws {
        let source = SystemRandomSource()
        let a = try source.bytes(count: 32), b = try source.bytes(count: 32)
        #expect(a.count == 32 && b.count == 32)
        #expect(a != b, "two 256-bit draws collide with probability 2^-256")
        #expect(a.contains { $0 != 0 } && b.contains { $0 != 0 })
        #expect(try source.bytes(count: 0) == [])
    }

    @Test func largeRequestsAreFilledEntirely() throws {
        // getentropy(3) takes at most 256 bytes per call: every chunk must be filled.
        let bytes = try SystemRandomSource().bytes(count: 1000)
        for start in stride(from: 0, to: 1000, by: 64) {
            #expect(bytes[start..<min(start + 64, 1000)].contains { $0 != 0 }, "chunk at \(start) left zero")
        }
        // Not a statistical test, but a stuck or low-entropy source would fail it: 4096 uniform
        // bytes miss a given value with probability (255/256)^4096 ≈ 1e-7.
        let distinct = Set(try SystemRandomSource().bytes(count: 4096))
        #expect(distinct.count > 200)
    }

    @Test func failuresSurfaceAsErrors() {
        do {
            _ = try BrokenRandomSource().bytes(count: 16)
            Issue.record("a failing source produced bytes")
        } catch {
            #expect(error.code == .randomUnavailable)
        }
        do {
            _ = try SystemRandomSource().bytes(count: -1)
            Issue.record("a negative count produced bytes")
        } catch {
            #expect(error.code == .invalidParameter)
        }
    }
}
