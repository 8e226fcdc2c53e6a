extension RSAPublicKey {
    /// EMSA-PSS-VERIFY (RFC 8017 §9.1.2) with MGF1 over the same hash and a salt exactly as
    /// long as the hash, the only parameters JWS allows (RFC 7518 §3.5).
    func isValidPSS(representative m: BigUInt, digest mHash: [UInt8], hash: RSASignatureScheme.Digest) -> Bool {
        let hLen = hash.byteCount
        let sLen = hLen
        let emBits = modulusBitCount - 1
        let emLen = (emBits + 7) / 8
        // §8.1.2 step 2c: I2OSP(m, emLen); a representative that does not fit is invalid.
        guard let em = m.bigEndianBytes(count: emLen) else { return false }
        // Step 3.
        guard emLen >= hLen + sLen + 2 else { return false }
        // Step 4: trailer field.
        guard em[emLen - 1] == 0xBC else { return false }
        // Step 5.
        let dbLen = emLen - hLen - 1
        let maskedDB = em[0..<dbLen]
        let h = Array(em[dbLen..<(dbLen + hLen)])
        // Step 6: the top 8·emLen − emBits bits of maskedDB must be zero.
        let unusedBits = 8 * emLen - emBits
        let topMask: UInt8 = unusedBits == 0 ? 0 : ~(0xFF >> UInt8(unusedBits))
        guard maskedDB[maskedDB.startIndex] & topMask == 0 else { return false }
        // Steps 7–9.
        var db = Self.mgf1(seed: h, length: dbLen, hash: hash)
        for i in 0..<dbLen { db[i] ^= maskedDB[maskedDB.startIndex + i] }
        db[0] &= ~topMask
        // Step 10: PS is all zero, then 0x01.
        let psLen = emLen - hLen - sLen - 2
        for i in 0..<psLen where db[i] != 0 { return false }
        guard db[psLen] == 0x01 else { return false }
        // Steps 11–14.
        let salt = Array(db[(dbLen - sLen)..<dbLen])
        let hPrime = hash.hash([UInt8](repeating: 0, count: 8), mHash, salt)
        return ConstantTime.isEqual(h, hPrime)
    }

    /// MGF1 (RFC 8017 appendix B.2.1).
    static func mgf1(seed: [UInt8], length: Int, hash: RSASignatureScheme.Digest) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(length + hash.byteCount)
        var counter: UInt32 = 0
        while output.count < length {
            let c = [UInt8(truncatingIfNeeded: counter >> 24), UInt8(truncatingIfNeeded: counter >> 16),
                     UInt8(truncatingIfNeeded: counter >> 8), UInt8(truncatingIfNeeded: counter)]
            output += hash.hash(seed, c)
            counter &+= 1
        }
        return Array(output[0..<length])
    }
}
