import Testing
import TokenCore

@Suite struct SmokeTests {
    @Test func sha256OfABC() {
        #expect(Hex.encode(SHA256.hash(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
