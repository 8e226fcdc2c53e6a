import Testing
@testable import TokenCore

/// The in-place padding path of HMAC-SHA256 (`authenticationCode(ofFirst:paddingInPlace:into:)`)
/// against the streaming `update` + `finalize` path, which RFC 4231 pins (`HMACTests`).
@Suite struct HMACPaddedMessageTests {
    static func streaming(_ mac: HMAC<SHA256>, _ message: [UInt8]) -> [UInt8] {
        var mac = mac
        mac.update(message)
        return mac.finalize()
    }

    static func padded(_ mac: HMAC<SHA256>, _ message: [UInt8], room: Int? = nil) -> [UInt8] {
        let size = room ?? HMAC<SHA256>.paddedByteCount(forMessageOf: message.count)
        var buffer = [UInt8](repeating: 0xA5, count: size)
        buffer.replaceSubrange(0..<message.count, with: message)
        var output = [UInt8](repeating: 0, count: 32)
        buffer.withUnsafeMutableBytes { b in
            output.withUnsafeMutableBytes { mac.authenticationCode(ofFirst: message.count, paddingInPlace: b, into: $0) }
        }
        // The message itself is untouched.
        #expect(Array(buffer.prefix(message.count)) == message)
        return output
    }

    @Test("equals update + finalize at every message length from 0 to 300 bytes, short and long keys")
    func everyLength() {
        let keys: [[UInt8]] = [Array("k".utf8), (0..<32).map { UInt8($0) }, [UInt8](repeating: 0x5c, count: 131)]
        for key in keys {
            let mac = HMAC<SHA256>(key: key)
            for length in 0...300 {
                let message = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
                #expect(Self.padded(mac, message) == Self.streaming(mac, message), "key \(key.count) B, message \(length) B")
            }
        }
    }

    @Test("RFC 4231 test case 2 through the padded path")
    func rfc4231() {
        let mac = HMAC<SHA256>(key: Array("Jefe".utf8))
        let tag = Self.padded(mac, Array("what do ya want for nothing?".utf8))
        #expect(Hex.encode(tag) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test("padded byte counts: the next multiple of 64 after count + 8")
    func paddedCounts() {
        #expect(HMAC<SHA256>.paddedByteCount(forMessageOf: 0) == 64)
        #expect(HMAC<SHA256>.paddedByteCount(forMessageOf: 55) == 64)
        #expect(HMAC<SHA256>.paddedByteCount(forMessageOf: 56) == 128)
        #expect(HMAC<SHA256>.paddedByteCount(forMessageOf: 119) == 128)
        #expect(HMAC<SHA256>.paddedByteCount(forMessageOf: 120) == 192)
    }

    @Test("a prototype with a partial block absorbed, or a buffer without room, takes the streaming path")
    func fallbacks() {
        var prefixed = HMAC<SHA256>(key: Array("key".utf8))
        prefixed.update(Array("partial".utf8))
        let message = Array("the rest of the message".utf8)
        #expect(Self.padded(prefixed, message) == Self.streaming(prefixed, message))
        let mac = HMAC<SHA256>(key: Array("key".utf8))
        #expect(Self.padded(mac, message, room: message.count) == Self.streaming(mac, message))
    }
}
