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
}
