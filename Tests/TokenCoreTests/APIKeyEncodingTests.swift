import Foundation
import Testing
import TestSupport
@testable import TokenCore

@Suite struct APIKeyEncodingTests {
    struct CRCVector: Decodable, Sendable, CustomTestStringConvertible {
        var input_hex: String
        var crc32: UInt32
        var testDescription: String { "\(input_hex.count / 2) bytes" }
    }

    struct Base62Vector: Decodable, Sendable, CustomTestStringConvertible {
        var bytes_hex: String
        var base62: String
        var testDescription: String { "\(bytes_hex.count / 2) bytes → \(base62)" }
    }

    static let crcVectors: [CRCVector] = load("crc32.json")
    static let base62Vectors: [Base62Vector] = load("base62.json")

    static func load<T: Decodable>(_ name: String) -> [T] {
        guard let data = try? TestEnvironment.fixture("TokenCoreTests", "apikey/\(name)"),
              let vectors = try? JSONDecoder().decode([T].self, from: data) else { return [] }
        return vectors
    }

    // MARK: - CRC-32

    @Test func crc32CheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum("123456789") == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
        #expect(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
    }

    /// Slicing-by-8 against the bit-at-a-time definition, for every length up to 80 and every
    /// split into two updates (which moves the eight-byte groups against the input).
    @Test func crc32SlicingMatchesBitwiseDefinition() {
        func bitwise(_ bytes: [UInt8]) -> UInt32 {
            var c: UInt32 = 0xFFFF_FFFF
            for byte in bytes {
                c ^= UInt32(byte)
                for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            }
            return c ^ 0xFFFF_FFFF
        }
        for length in 0...80 {
            let input = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 89 &+ length &* 7) }
            let expected = bitwise(input)
            #expect(CRC32.checksum(input) == expected)
            for split in stride(from: 0, through: length, by: 3) {
                var crc = CRC32()
                crc.update(Array(input[..<split]))
                crc.update(Array(input[split...]))
                #expect(crc.finalize() == expected)
            }
        }
    }

    @Test func crc32VectorsArePresent() {
        #expect(Self.crcVectors.count > 60, "run scripts/vectors/gen_apikey_vectors.py")
        #expect(Self.base62Vectors.count > 100)
    }

    @Test(arguments: crcVectors)
    func crc32MatchesZlib(_ vector: CRCVector) throws {
        let input = try Hex.decode(vector.input_hex)
        #expect(CRC32.checksum(input) == vector.crc32)
        // Streaming in two pieces gives the same result.
        var crc = CRC32()
        crc.update(Array(input.prefix(input.count / 3)))
        crc.update(Array(input.dropFirst(input.count / 3)))
        #expect(crc.finalize() == vector.crc32)
    }

    @Test(.enabled(if: TestEnvironment.hasPython("zlib"), "needs python3 (zlib is in its standard library)"))
    func crc32MatchesLivePythonZlib() throws {
        var inputs: [[UInt8]] = []
        var generator = SystemRandomNumberGenerator()
        for n in [0, 1, 7, 31, 64, 333] {
            inputs.append((0..<n).map { _ in UInt8.random(in: 0...255, using: &generator) })
        }
        let script = "import sys, zlib\nfor line in sys.stdin.read().split():\n    print(zlib.crc32(bytes.fromhex(line[1:])))"
        let input = inputs.map { "x" + Hex.encode($0) }.joined(separator: "\n")
        let result = try TestEnvironment.run("python3 -c '\(script)'", input: Data(input.utf8))
        #expect(result.status == 0, "\(result.stderr)")
        let expected = result.stdout.split(separator: "\n").compactMap { UInt32($0) }
        #expect(expected == inputs.map { CRC32.checksum($0) })
    }

    @Test func pythonIsPresentUnderCI() {
        #expect(TestEnvironment.missingUnderCI(["python3": TestEnvironment.hasPython("zlib")]).isEmpty)
    }

    // MARK: - Base62

    @Test(arguments: base62Vectors)
    func base62MatchesPythonIntegers(_ vector: Base62Vector) throws {
        let bytes = try Hex.decode(vector.bytes_hex)
        #expect(Base62.encode(bytes) == vector.base62)
        #expect(Base62.encodedLength(byteCount: bytes.count) == vector.base62.count)
        #expect(try Base62.decode(vector.base62, byteCount: bytes.count) == bytes)
    }

    @Test func base62Widths() {
        #expect(Base62.encodedLength(byteCount: 0) == 0)
        #expect(Base62.encodedLength(byteCount: 1) == 2)
        #expect(Base62.encodedLength(byteCount: 20) == 27)
        #expect(Base62.encodedLength(byteCount: 24) == 33)
        #expect(Base62.encodedLength(byteCount: 32) == 43)
    }

    @Test func base62DecodingIsStrict() {
        // Wrong width.
        #expect(throws: ByteEncodingError(.invalidLength, "expected 2 base62 digits, got 3")) { try Base62.decode("000", byteCount: 1) }
        // Characters outside the alphabet, including base64's and whitespace.
        for bad in ["0-", "0_", "0+", "0/", " 0", "0="] {
            #expect(throws: ByteEncodingError.self) { try Base62.decode(bad, byteCount: 1) }
        }
        // 62^2 - 1 = 3843 > 255: "44" = 4*62+4 = 252 fits, "4A" = 258 does not.
        #expect((try? Base62.decode("44", byteCount: 1)) == [252])
        #expect(throws: ByteEncodingError(.overflow, "value does not fit in 1 bytes")) { try Base62.decode("4A", byteCount: 1) }
        #expect(throws: ByteEncodingError.self) { try Base62.decode("", byteCount: Base62.maximumByteCount + 1) }
    }

    @Test func base62Integers() throws {
        #expect(Base62.encode(0, width: 6) == "000000")
        #expect(Base62.encode(61, width: 1) == "z")
        #expect(Base62.encode(62, width: 1) == nil)
        #expect(Base62.encode(UInt64(UInt32.max), width: 6) == "4gfFC3")
        #expect(try Base62.decodeInteger("4gfFC3") == UInt64(UInt32.max))
        #expect(try Base62.decodeInteger("LygHa16AHYF") == UInt64.max)
        #expect(throws: ByteEncodingError.self) { try Base62.decodeInteger("LygHa16AHYG") }
        #expect(throws: ByteEncodingError.self) { try Base62.decodeInteger("") }
        #expect(throws: ByteEncodingError.self) { try Base62.decodeInteger("a_b") }
        for value: UInt64 in [0, 1, 61, 62, 3843, 1 << 32, UInt64.max] {
            let text = try #require(Base62.encode(value, width: 11))
            #expect(try Base62.decodeInteger(text) == value)
        }
    }
}
