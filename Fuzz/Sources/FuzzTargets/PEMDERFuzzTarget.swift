import TokenCore

/// PEM and DER public-key import (`PEMDocument`, `AsymmetricPublicKey(pem:)`,
/// `AsymmetricPublicKey(derEncoded:)`, the strict DER reader behind them).
///
/// The first input byte picks a mode:
/// - **PEM** (even): the rest is PEM text. A document that parses, written back as canonical
///   PEM (64-character lines), parses to the same label and DER; a key read from the text equals
///   the key read from the document's DER.
/// - **DER** (odd): the rest is DER (SubjectPublicKeyInfo or PKCS #1). A key that imports equals
///   the key imported from the same DER wrapped in PEM, and `RSAPublicKey(derEncoded:)` accepts
///   exactly the RSA keys the two specific imports accept.
enum PEMDERFuzzTarget {
    static let target = FuzzTarget(
        name: "pem-der",
        summary: "PEM/DER key import: PEM re-encoding round-trips; PEM and DER paths agree",
        run: run,
        seeds: seeds
    )

    static func run(_ raw: UnsafeRawBufferPointer) {
        var input = FuzzInput(raw)
        if input.byte() % 2 == 0 {
            let text = String(decoding: input.rest(), as: UTF8.self)
            guard let document = try? PEMDocument(text) else {
                invariant((try? AsymmetricPublicKey(pem: text)) == nil, "a key was read from text that is not one PEM block")
                return
            }
            let rewritten = pem(label: document.label, der: document.der)
            invariant((try? PEMDocument(rewritten)) == document, "canonical PEM of a parsed document does not parse back to it")
            guard let key = try? AsymmetricPublicKey(pem: text) else { return }
            let fromDER = document.label == "PUBLIC KEY"
                ? try? AsymmetricPublicKey(subjectPublicKeyInfo: document.der)
                : (try? RSAPublicKey(pkcs1DER: document.der)).map { AsymmetricPublicKey.rsa($0) }
            invariant(fromDER == key, "the PEM and DER import paths disagree")
        } else {
            let der = input.rest()
            if let key = try? AsymmetricPublicKey(subjectPublicKeyInfo: der) {
                invariant((try? AsymmetricPublicKey(pem: pem(label: "PUBLIC KEY", der: der))) == key,
                          "the same SubjectPublicKeyInfo imports differently through PEM")
                if case .rsa(let rsa) = key {
                    invariant((try? RSAPublicKey(derEncoded: der)) == rsa, "RSAPublicKey(derEncoded:) disagrees with the SPKI import")
                }
            } else if let rsa = try? RSAPublicKey(pkcs1DER: der) {
                invariant((try? AsymmetricPublicKey(pem: pem(label: "RSA PUBLIC KEY", der: der))) == .rsa(rsa),
                          "the same PKCS #1 key imports differently through PEM")
                invariant((try? RSAPublicKey(derEncoded: der)) == rsa, "RSAPublicKey(derEncoded:) disagrees with the PKCS #1 import")
            } else {
                invariant((try? RSAPublicKey(derEncoded: der)) == nil, "RSAPublicKey(derEncoded:) accepted what neither import does")
            }
        }
    }

    /// RFC 7468 §2 canonical form: base64 in 64-character lines.
    static func pem(label: String, der: [UInt8]) -> String {
        let body = Array(Base64.encode(der))
        var lines = ["-----BEGIN \(label)-----"]
        var start = 0
        while start < body.count {
            lines.append(String(body[start..<min(body.count, start + 64)]))
            start += 64
        }
        lines.append("-----END \(label)-----")
        return lines.joined(separator: "\n") + "\n"
    }

    static func seeds() -> [[UInt8]] {
        let ecPEM = JWTECDSAFuzzTarget.pem
        var seeds: [[UInt8]] = [[0] + Array(ecPEM.utf8)]
        if let document = try? PEMDocument(ecPEM) {
            seeds.append([1] + document.der)
            seeds.append([0] + Array(pem(label: "RSA PUBLIC KEY", der: [0x30, 0x06, 0x02, 0x01, 0x03, 0x02, 0x01, 0x03]).utf8))
        }
        // Ed25519 SubjectPublicKeyInfo (RFC 8410 §4) around the RFC 8032 test 1 public key.
        let ed25519: [UInt8] = [0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00]
            + [0xD7, 0x5A, 0x98, 0x01, 0x82, 0xB1, 0x0A, 0xB7, 0xD5, 0x4B, 0xFE, 0xD3, 0xC9, 0x64, 0x07, 0x3A,
               0x0E, 0xE1, 0x72, 0xF3, 0xDA, 0xA6, 0x23, 0x25, 0xAF, 0x02, 0x1A, 0x68, 0xF7, 0x07, 0x51, 0x1A]
        seeds.append([1] + ed25519)
        seeds.append([0] + Array(pem(label: "PUBLIC KEY", der: ed25519).utf8))
        return seeds
    }
}
