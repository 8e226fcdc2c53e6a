extension RSAPublicKey {
    /// EMSA-PKCS1-v1_5 verification by re-encoding (RFC 8017 §8.2.2 steps 3–4).
    ///
    /// The whole expected encoded message `00 01 FF…FF 00 ‖ DigestInfo ‖ H` is built and
    /// compared with the recovered one byte for byte. Nothing is parsed out of the recovered
    /// value, so the classic lenient-parser forgeries (Bleichenbacher 2006: garbage after the
    /// hash, short padding, loose ASN.1 lengths, a missing NULL) have nothing to exploit.
    func isValidPKCS1v15(representative m: BigUInt, digest: [UInt8], hash: RSASignatureScheme.Digest) -> Bool {
        let k = modulusByteCount
        let prefix = hash.digestInfoPrefix
        let tLen = prefix.count + digest.count
        // §9.2 step 3: emLen < tLen + 11 → "intended encoded message length too short".
        guard k >= tLen + 11, let em = m.bigEndianBytes(count: k) else { return false }
        var expected = [UInt8](repeating: 0xFF, count: k)
        expected[0] = 0x00
        expected[1] = 0x01
        expected[k - tLen - 1] = 0x00
        expected.replaceSubrange((k - tLen)..<(k - digest.count), with: prefix)
        expected.replaceSubrange((k - digest.count)..<k, with: digest)
        return ConstantTime.isEqual(em, expected)
    }
}
