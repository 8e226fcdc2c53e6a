import Foundation
import Testing
import TokenCore

/// SHA-256/384/512 against FIPS 180-4's examples, then streaming behaviour.
@Suite struct SHA2Tests {
    struct Example: Sendable, CustomStringConvertible {
        var name: String
        var message: [UInt8]
        var sha256: String
        var sha384: String
        var sha512: String
        var description: String { name }
    }

    /// The FIPS 180-4 examples (NIST CSRC "Examples with Intermediate Values"): "abc" (one
    /// block), the two-block 448-bit and 896-bit messages, and the empty message.
    static let examples: [Example] = [
        Example(name: "empty", message: [],
                sha256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                sha384: "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b",
                sha512: "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"),
        Example(name: "abc", message: Array("abc".utf8),
                sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                sha384: "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
                sha512: "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"),
        Example(name: "448 bits", message: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8),
                sha256: "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
                sha384: "3391fdddfc8dc7393707a65b1b4709397cf8b1d162af05abfe8f450de5f36bc6b0455a8520bc4e6f5fe95b1fe3c8452b",
                sha512: "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c33596fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445"),
        Example(name: "896 bits", message: Array("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu".utf8),
                sha256: "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1",
                sha384: "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039",
                sha512: "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909"),
    ]

    @Test(arguments: examples)
    func fips180Examples(_ example: Example) {
        #expect(Hex.encode(SHA256.hash(example.message)) == example.sha256)
        #expect(Hex.encode(SHA384.hash(example.message)) == example.sha384)
        #expect(Hex.encode(SHA512.hash(example.message)) == example.sha512)
    }

    @Test func stringAndDataInputsHashTheirBytes() {
        #expect(Hex.encode(SHA256.hash("abc")) == Self.examples[1].sha256)
        #expect(SHA512.hash(Data("abc".utf8)) == SHA512.hash(Array("abc".utf8)))
        #expect(SHA384.hash(Array("xabcx".utf8)[1..<4]) == SHA384.hash("abc"))
    }

    /// One million repetitions of "a" (FIPS 180-2 appendix B.3 / C.3), fed in uneven chunks.
    @Test func millionA() {
        let chunk = [UInt8](repeating: 0x61, count: 1000)
        var s256 = SHA256(), s384 = SHA384(), s512 = SHA512()
        var fed = 0
        var size = 1
        while fed < 1_000_000 {
            let n = min(size, 1_000_000 - fed, chunk.count)
            let slice = chunk[0..<n]
            s256.update(slice); s384.update(slice); s512.update(slice)
            fed += n
            size = size % 997 + 13
        }
        #expect(Hex.encode(s256.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        #expect(Hex.encode(s384.finalize()) == "9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b07b8b3dc38ecc4ebae97ddd87f3d8985")
        #expect(Hex.encode(s512.finalize()) == "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b")
        let oneShot = [UInt8](repeating: 0x61, count: 1_000_000)
        #expect(Hex.encode(SHA256.hash(oneShot)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Every split point of messages around the block sizes gives the one-shot digest.
    @Test(arguments: [55, 56, 63, 64, 65, 111, 112, 127, 128, 129, 200, 257])
    func everySplitMatchesOneShot(_ length: Int) {
        let message = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 3) }
        let expected256 = SHA256.hash(message), expected512 = SHA512.hash(message), expected384 = SHA384.hash(message)
        for split in 0...length {
            var a = SHA256(), b = SHA512(), c = SHA384()
            a.update(message[..<split]); a.update(message[split...])
            b.update(message[..<split]); b.update(message[split...])
            c.update(message[..<split]); c.update(message[split...])
            #expect(a.finalize() == expected256, "split \(split) of \(length)")
            #expect(b.finalize() == expected512, "split \(split) of \(length)")
            #expect(c.finalize() == expected384, "split \(split) of \(length)")
        }
        // Byte at a time, with empty updates in between.
        var bytewise = SHA256()
        for byte in message { bytewise.update([byte]); bytewise.update([UInt8]()) }
        #expect(bytewise.finalize() == expected256)
    }

    @Test func finalizeLeavesTheStateUsable() {
        var hasher = SHA256()
        hasher.update("ab")
        let early = hasher.finalize()
        #expect(hasher.finalize() == early, "finalize is repeatable")
        hasher.update("c")
        #expect(Hex.encode(hasher.finalize()) == Self.examples[1].sha256)
        #expect(early == SHA256.hash("ab"))
    }

    @Test func finalizeIntoWritesTheDigestOrItsPrefix() {
        var hasher = SHA512()
        hasher.update("abc")
        var full = [UInt8](repeating: 0xEE, count: 70)
        full.withUnsafeMutableBytes { hasher.finalize(into: $0) }
        #expect(Array(full[0..<64]) == SHA512.hash("abc"))
        #expect(full[64...].allSatisfy { $0 == 0xEE }, "nothing written past the digest")
        var short = [UInt8](repeating: 0, count: 10)
        short.withUnsafeMutableBytes { hasher.finalize(into: $0) }
        #expect(short == Array(SHA512.hash("abc").prefix(10)))
        var sha384 = SHA384()
        sha384.update("abc")
        var out384 = [UInt8](repeating: 0xEE, count: 64)
        out384.withUnsafeMutableBytes { sha384.finalize(into: $0) }
        #expect(Array(out384[0..<48]) == SHA384.hash("abc") && out384[48...].allSatisfy { $0 == 0xEE })
        var sha256 = SHA256()
        sha256.update("abc")
        var out256 = [UInt8](repeating: 0, count: 32)
        out256.withUnsafeMutableBytes { sha256.finalize(into: $0) }
        #expect(out256 == SHA256.hash("abc"))
        sha256.finalize(into: UnsafeMutableRawBufferPointer(start: nil, count: 0)) // must not crash
    }

    @Test func parameters() {
        #expect(SHA256.digestByteCount == 32 && SHA256.blockByteCount == 64 && SHA256.name == "sha256")
        #expect(SHA384.digestByteCount == 48 && SHA384.blockByteCount == 128 && SHA384.name == "sha384")
        #expect(SHA512.digestByteCount == 64 && SHA512.blockByteCount == 128 && SHA512.name == "sha512")
    }
}
