import Foundation
import Testing
import TokenCore

@Suite struct ConstantTimeTests {
    @Test func equalityIsByteEquality() {
        let a = (0..<64).map { UInt8($0) }
        #expect(ConstantTime.isEqual(a, a))
        #expect(ConstantTime.isEqual(a, Data(a)), "container type does not matter")
        #expect(ConstantTime.isEqual([UInt8](), [UInt8]()))
        for i in a.indices {
            var b = a
            b[i] ^= 0x80
            #expect(!ConstantTime.isEqual(a, b), "difference at \(i)")
            b[i] ^= 0x81
            #expect(!ConstantTime.isEqual(a, b), "difference at \(i)")
        }
    }

    @Test func lengthsMustMatch() {
        let a: [UInt8] = [1, 2, 3]
        #expect(!ConstantTime.isEqual(a, [1, 2]))
        #expect(!ConstantTime.isEqual([1, 2], a))
        #expect(!ConstantTime.isEqual(a, [1, 2, 3, 0]), "a zero-padded copy is not equal")
        #expect(!ConstantTime.isEqual([UInt8](), [0]))
        #expect(!ConstantTime.isEqual([0], [UInt8]()))
        // Lengths that differ by a multiple of 256 must still differ (no truncated length fold).
        #expect(!ConstantTime.isEqual([UInt8](repeating: 0, count: 256), [UInt8]()))
        #expect(!ConstantTime.isEqual([UInt8](repeating: 0, count: 300), [UInt8](repeating: 0, count: 44)))
    }

    @Test("every length up to 40 against every single-byte change and every other length")
    func allLengthsAndPositions() {
        for n in 0...40 {
            let a = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            #expect(ConstantTime.isEqual(a, Array(a)))
            for i in 0..<n {
                for flip in [UInt8(0x01), 0x80, 0xFF] {
                    var b = a
                    b[i] ^= flip
                    #expect(!ConstantTime.isEqual(a, b), "length \(n), byte \(i)")
                }
            }
            for m in 0...40 where m != n {
                let prefix = Array((a + [UInt8](repeating: 0, count: 40)).prefix(m))
                #expect(!ConstantTime.isEqual(a, prefix), "lengths \(n) and \(m)")
            }
        }
        // Unaligned views of the same bytes.
        let bytes = (0..<64).map { UInt8($0) }
        bytes.withUnsafeBytes { raw in
            for offset in 0..<8 {
                let x = UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + 33)])
                let y = UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + 33)])
                #expect(ConstantTime.isEqual(x, y))
                let z = UnsafeRawBufferPointer(rebasing: raw[(offset + 1)..<(offset + 34)])
                #expect(!ConstantTime.isEqual(x, z))
            }
        }
    }
}
