import Testing
@testable import TokenCore

/// `ByteScan.forEachOffset`'s word-at-a-time search against a byte-by-byte one: every length
/// across several words, bytes next to the target value (±1, with the high bit flipped, zero),
/// and stopping early.
@Suite struct ByteScanTests {
    static func naive(_ byte: UInt8, _ bytes: [UInt8]) -> [Int] {
        bytes.indices.filter { bytes[$0] == byte }
    }

    static func swar(_ byte: UInt8, _ bytes: [UInt8], limit: Int = .max) -> [Int] {
        var found: [Int] = []
        bytes.withUnsafeBytes { raw in
            ByteScan.forEachOffset(of: byte, in: raw) { offset in
                found.append(offset)
                return found.count < limit
            }
        }
        return found
    }

    @Test("finds exactly the offsets a byte loop finds", arguments: [UInt8(ascii: "."), 0x00, 0x01, 0x7F, 0x80, 0xFF])
    func matchesNaive(target: UInt8) {
        // Neighbours that a borrow-based or sign-based word test could confuse with the target.
        let alphabet: [UInt8] = [target, target &+ 1, target &- 1, target ^ 0x80, 0x00, 0x01, 0x80, 0xFF, 0x41]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 &+ UInt64(target)
        for length in 0...40 {
            for _ in 0..<50 {
                let bytes = (0..<length).map { _ -> UInt8 in
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    return alphabet[Int(state >> 60) % alphabet.count]
                }
                #expect(Self.swar(target, bytes) == Self.naive(target, bytes), "length \(length): \(bytes)")
            }
        }
    }

    @Test("stops when the callback returns false")
    func stopsEarly() {
        let bytes = Array("a.b.c.d.e.f.g.h.i.j".utf8)
        #expect(Self.swar(UInt8(ascii: "."), bytes, limit: 3) == [1, 3, 5])
        #expect(Self.swar(UInt8(ascii: "."), bytes).count == 9)
        #expect(Self.swar(UInt8(ascii: "."), []).isEmpty)
    }
}
