import Foundation
import Testing
import TestSupport
@testable import TokenCore

/// DER, PEM, SubjectPublicKeyInfo, PKCS #1 and JWK import: what is accepted and every rule that
/// refuses.
@Suite struct KeyImportTests {
    static func vectorCase(_ alg: String) throws -> (pem: String, jwk: JSONObject) {
        let root = try JSONReader().parseObject(try TestEnvironment.fixture("TokenCoreTests", "asymmetric/vectors.json"))
        let cases = try #require(root["cases"]?.arrayValue)
        let c = try #require(cases.first { $0["alg"]?.stringValue == alg })
        return (try #require(c["pem"]?.stringValue), try #require(c["jwk"]?.objectValue))
    }

    static func der(_ alg: String) throws -> [UInt8] { try PEMDocument(try vectorCase(alg).pem).der }

    // MARK: - DER

    @Test func derReaderRefusesNonCanonicalLengths() throws {
        // SEQUENCE { INTEGER 5 } in canonical and bent forms.
        var good = try DERReader([0x30, 0x03, 0x02, 0x01, 0x05])
        var inner = try good.readSequence("t")
        #expect(Array(try inner.readUnsignedInteger("i")) == [5])
        let bad: [(String, [UInt8])] = [
            ("indefinite length", [0x30, 0x80, 0x02, 0x01, 0x05, 0x00, 0x00]),
            ("long form for a short length", [0x30, 0x81, 0x03, 0x02, 0x01, 0x05]),
            ("length with leading zero byte", [0x30, 0x82, 0x00, 0x03, 0x02, 0x01, 0x05]),
            ("five length bytes", [0x30, 0x85, 0x00, 0x00, 0x00, 0x00, 0x03]),
            ("length beyond input", [0x30, 0x04, 0x02, 0x01, 0x05]),
            ("multi-byte tag", [0x3F, 0x01, 0x00]),
            ("truncated", [0x30]),
        ]
        for (why, bytes) in bad {
            #expect(throws: CryptoError.self, "\(why)") {
                var reader = try DERReader(bytes)
                _ = try reader.readSequence("t")
            }
        }
        #expect(throws: CryptoError.self, "trailing data") {
            var reader = try DERReader([0x30, 0x03, 0x02, 0x01, 0x05, 0x00])
            _ = try reader.readSequence("t")
            try reader.expectEnd("t")
        }
    }

    @Test func derIntegersMustBeMinimalAndPositive() throws {
        for (why, bytes) in [("negative", [0x02, 0x01, 0x80] as [UInt8]), ("padded", [0x02, 0x02, 0x00, 0x05]), ("empty", [0x02, 0x00])] {
            #expect(throws: CryptoError.self, "\(why)") {
                var reader = try DERReader(bytes)
                _ = try reader.readUnsignedInteger("i")
            }
        }
        var reader = try DERReader([0x02, 0x02, 0x00, 0x80])
        #expect(Array(try reader.readUnsignedInteger("i")) == [0x80])
    }

    @Test(arguments: ["RS256", "ES256", "ES384", "EdDSA"])
    func subjectPublicKeyInfoRoundTrip(_ alg: String) throws {
        let key = try AsymmetricPublicKey(subjectPublicKeyInfo: try Self.der(alg))
        switch (alg, key) {
        case ("RS256", .rsa(let rsa)): #expect(rsa.modulusBitCount == 2048 && rsa.publicExponent == [1, 0, 1])
        case ("ES256", .ec(.p256, let x, let y)): #expect(x.count == 32 && y.count == 32)
        case ("ES384", .ec(.p384, let x, let y)): #expect(x.count == 48 && y.count == 48)
        case ("EdDSA", .ed25519(let x)): #expect(x.count == 32)
        default: Issue.record("\(alg) imported as \(key)")
        }
    }

    @Test func everyTruncationAndTrailingByteOfAnSPKIIsRefused() throws {
        let der = try Self.der("ES256")
        for length in 0..<der.count {
            #expect(throws: CryptoError.self) { try AsymmetricPublicKey(subjectPublicKeyInfo: der[0..<length]) }
        }
        #expect(throws: CryptoError.self) { try AsymmetricPublicKey(subjectPublicKeyInfo: der + [0]) }
    }

    @Test func compressedPointsAndUnknownCurvesAreRefused() throws {
        var der = try Self.der("ES256")
        // The point starts 65 bytes from the end with 0x04; make it "compressed".
        der[der.count - 65] = 0x02
        #expect(throws: CryptoError.self) { try AsymmetricPublicKey(subjectPublicKeyInfo: der) }
        var curve = try Self.der("ES256")
        // prime256v1 OID last byte 0x07 → 0x08 (an unknown curve).
        let oid = AsymmetricPublicKey.p256OID
        let start = try #require((0...(curve.count - oid.count)).first { Array(curve[$0..<($0 + oid.count)]) == oid })
        curve[start + oid.count - 1] = 0x08
        #expect(throws: CryptoError.self) { try AsymmetricPublicKey(subjectPublicKeyInfo: curve) }
    }

    @Test func rsaSPKIWithoutNullParametersIsRefused() throws {
        let der = try Self.der("RS256")
        // 30 82 01 22 | 30 0d 06 09 <oid> 05 00 | 03 82 01 0f ...: drop the NULL and fix lengths.
        #expect(Array(der[4..<8]) == [0x30, 0x0D, 0x06, 0x09])
        var bent = Array(der[0..<4]) + [0x30, 0x0B] + Array(der[6..<17]) + Array(der[19...])
        bent[2] = 0x01
        bent[3] = 0x20
        #expect(throws: CryptoError.self) { try AsymmetricPublicKey(subjectPublicKeyInfo: bent) }
    }

    // MARK: - PEM

    @Test func pemStrictness() throws {
        let pem = try Self.vectorCase("ES256").pem
        _ = try AsymmetricPublicKey(pem: pem)
        _ = try AsymmetricPublicKey(pem: "\n  " + pem.replacingOccurrences(of: "\n", with: "\r\n") + "\n\n")
        let body = pem.split(separator: "\n").dropFirst().dropLast().joined()
        let refused = [
            ("private key label", "-----BEGIN PRIVATE KEY-----\n\(body)\n-----END PRIVATE KEY-----\n"),
            ("mismatched END", "-----BEGIN PUBLIC KEY-----\n\(body)\n-----END RSA PUBLIC KEY-----\n"),
            ("no END", "-----BEGIN PUBLIC KEY-----\n\(body)\n"),
            ("bad base64", "-----BEGIN PUBLIC KEY-----\n\(body.dropLast(2))*=\n-----END PUBLIC KEY-----\n"),
            ("two blocks", pem + pem),
            ("header line", "-----BEGIN PUBLIC KEY-----\nProc-Type: 4,ENCRYPTED\n\(body)\n-----END PUBLIC KEY-----\n"),
            ("text before", "hello\n" + pem),
            ("empty", ""),
        ]
        for (why, text) in refused {
            #expect(throws: CryptoError.self, "\(why)") { try AsymmetricPublicKey(pem: text) }
        }
        #expect(throws: CryptoError.self) { try RSAPublicKey(pem: pem) } // an EC key is not RSA
    }

    // MARK: - JWK

    static func jwk(_ alg: String, _ change: (inout JSONObject) -> Void) throws -> JSONObject {
        var object = try vectorCase(alg).jwk
        change(&object)
        return object
    }

    @Test func jwkAlgMustSuitKeyType() throws {
        let refused: [(String, JSONObject)] = [
            ("RSA key with ES256", try Self.jwk("RS256") { $0["alg"] = .string("ES256") }),
            ("RSA key with HS256", try Self.jwk("RS256") { $0["alg"] = .string("HS256") }),
            ("P-256 key with ES384", try Self.jwk("ES256") { $0["alg"] = .string("ES384") }),
            ("EC key with RS256", try Self.jwk("ES256") { $0["alg"] = .string("RS256") }),
            ("Ed25519 key with ES256", try Self.jwk("EdDSA") { $0["alg"] = .string("ES256") }),
            ("alg none", try Self.jwk("RS256") { $0["alg"] = .string("none") }),
            ("alg not a string", try Self.jwk("RS256") { $0["alg"] = .number(JSONNumber(256)) }),
        ]
        for (why, object) in refused {
            #expect(throws: JWTError.self, "\(why)") { try JWK(object: object) }
        }
        // Requesting another algorithm than the JWK's own alg is refused too.
        let rs = try JWK(object: try Self.jwk("RS256") { _ in })
        #expect(throws: JWTError.self) { try rs.verificationKey(requested: .ps256) }
        #expect(try rs.verificationKey().algorithm == .rs256)
    }

    @Test func jwkMaterialRules() throws {
        let refused: [(String, JSONObject)] = [
            ("missing n", try Self.jwk("RS256") { $0["n"] = nil }),
            ("n with leading zero", try Self.jwk("RS256") { o in
                if let n = o["n"]?.stringValue, let bytes = try? Base64URL.decode(n) { o["n"] = .string(Base64URL.encode([0] + bytes)) }
            }),
            ("padded base64url", try Self.jwk("RS256") { $0["e"] = .string("AQAB=") }),
            ("private exponent", try Self.jwk("RS256") { $0["d"] = .string("AQAB") }),
            ("EC private scalar", try Self.jwk("ES256") { $0["d"] = .string("AQAB") }),
            ("short EC coordinate", try Self.jwk("ES256") { o in
                if let x = o["x"]?.stringValue, let bytes = try? Base64URL.decode(x) { o["x"] = .string(Base64URL.encode(bytes.dropFirst())) }
            }),
            ("unknown curve", try Self.jwk("ES256") { $0["crv"] = .string("P-521") }),
            ("X25519 OKP", try Self.jwk("EdDSA") { $0["crv"] = .string("X25519") }),
            ("unknown kty", try Self.jwk("EdDSA") { $0["kty"] = .string("DSA") }),
            ("kid not a string", try Self.jwk("EdDSA") { $0["kid"] = .bool(true) }),
            ("key_ops repeated", try Self.jwk("EdDSA") { $0["key_ops"] = .array([.string("verify"), .string("verify")]) }),
        ]
        for (why, object) in refused {
            #expect(throws: JWTError.self, "\(why)") { try JWK(object: object) }
        }
    }

    @Test func jwkUseAndKeyOpsAreHonoured() throws {
        let enc = try JWK(object: try Self.jwk("ES256") { $0["use"] = .string("enc") })
        #expect(!enc.allowsVerification)
        #expect(throws: JWTError.self) { try enc.verificationKey() }
        let signOnly = try JWK(object: try Self.jwk("ES256") { $0["key_ops"] = .array([.string("sign")]) })
        #expect(throws: JWTError.self) { try signOnly.verificationKey() }
        let verify = try JWK(object: try Self.jwk("ES256") { $0["key_ops"] = .array([.string("verify")]) })
        #expect(try verify.verificationKey().algorithm == .es256)
    }

    @Test func ecPointNotOnCurveIsRefusedWhenBound() throws {
        let jwk = try JWK(object: try Self.jwk("ES256") { o in
            if let y = o["y"]?.stringValue, var bytes = try? Base64URL.decode(y) { bytes[31] ^= 1; o["y"] = .string(Base64URL.encode(bytes)) }
        })
        #expect(throws: JWTError.self) { try jwk.verificationKey() }
    }

    @Test func octKeysNeedAnAlgorithmAndAreKeptOutOfKeySetsByDefault() throws {
        let secret = Base64URL.encode([UInt8](repeating: 7, count: 32))
        let oct = try JWK(json: #"{"kty":"oct","k":"\#(secret)","kid":"h"}"#)
        #expect(throws: JWTError.self) { try oct.verificationKey() }
        #expect(try oct.verificationKey(requested: .hs256).algorithm == .hs256)
        let text = #"{"keys":[{"kty":"oct","k":"\#(secret)","kid":"h","alg":"HS256"}]}"#
        #expect(try JWKSet(json: text).keys.isEmpty)
        #expect(try JWKSet(json: text, allowSecrets: true).keys.count == 1)
    }

    @Test func jwksRules() throws {
        let rs = String(decoding: try Self.vectorCase("RS256").jwk.serialized(), as: UTF8.self)
        let es = String(decoding: try Self.vectorCase("ES256").jwk.serialized(), as: UTF8.self)
        #expect(throws: JWTError.self) { try JWKSet(json: #"{"keys":[\#(rs),\#(rs)]}"#) } // duplicate kid
        #expect(throws: JWTError.self) { try JWKSet(json: #"{"keys":{}}"#) }
        #expect(throws: JWTError.self) { try JWKSet(json: #"[]"#) }
        #expect(throws: JWTError.self) { try JWKSet(json: #"{"keys":[1]}"#) }
        #expect(throws: JWTError.self) { try JWKSet(json: #"{"keys":[],"keys":[]}"#) } // duplicate member
        let mixed = try JWKSet(json: #"{"keys":[\#(rs),{"kty":"EC","crv":"P-521","x":"AA","y":"AA","kid":"x"},\#(es),{"kty":"RSA","use":"enc","n":"AQAB","e":"AQAB"}]}"#)
        #expect(mixed.keys.count == 2 && mixed.skipped.map(\.index) == [1, 3])
        let set = try mixed.keySet()
        #expect(set.contains(keyID: "rs256-2048") && set.contains(keyID: "es256-p256"))
    }

    // MARK: - Big integers

    @Test func bigUIntBytesRoundTrip() {
        let value = BigUInt(bigEndian: [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09])
        #expect(value.limbs == [0x0203_0405_0607_0809, 0x01])
        #expect(value.bitWidth == 65 && value.byteCount == 9)
        #expect(value.bigEndianBytes(count: 12) == [0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
        #expect(value.bigEndianBytes(count: 8) == nil)
        #expect(BigUInt(bigEndian: [0, 0]).isZero && BigUInt(bigEndian: [UInt8]()).bitWidth == 0)
        #expect(BigUInt(3) < BigUInt(limbs: [0, 1]) && !(BigUInt(limbs: [0, 1]) < BigUInt(3)))
    }

    @Test func montgomeryPowerMatchesSchoolbook() throws {
        // Small moduli (one and two limbs), checked against exact 128-bit arithmetic.
        let cases: [(UInt64, UInt64, UInt64)] = [(3, 65537, 1_000_000_007), (123_456_789, 65537, 0xFFFF_FFFF_FFFF_FFC5), (2, 10, 1025)]
        for (base, exponent, modulus) in cases {
            let prepared = try #require(MontgomeryModulus(BigUInt(modulus)))
            var expected: UInt64 = 1
            for _ in 0..<exponent {
                expected = modulus.dividingFullWidth(expected.multipliedFullWidth(by: base)).remainder
            }
            #expect(prepared.power(BigUInt(base), BigUInt(exponent)) == BigUInt(expected))
        }
        let twoLimb = try #require(MontgomeryModulus(BigUInt(limbs: [0xFFFF_FFFF_FFFF_FFFF, 0x1])))
        #expect(twoLimb.power(BigUInt(limbs: [0, 2]), BigUInt(1)) == nil) // base ≥ modulus
        #expect(MontgomeryModulus(BigUInt(10)) == nil) // even
    }

    @Test func rsaKeyImportRules() throws {
        let n = try Base64URL.decode(try #require(try Self.vectorCase("RS256").jwk["n"]?.stringValue))
        _ = try RSAPublicKey(modulus: n, exponent: [1, 0, 1])
        for (why, e) in [("e = 1", [1] as [UInt8]), ("even e", [1, 0, 0]), ("e ≥ n", n), ("e too wide", [UInt8](repeating: 0xFF, count: 33))] {
            #expect(throws: CryptoError.self, "\(why)") { try RSAPublicKey(modulus: n, exponent: e) }
        }
        #expect(throws: CryptoError.self) { try RSAPublicKey(modulus: n.dropLast() + [n[n.count - 1] & 0xFE], exponent: [3]) } // even n
        #expect(throws: CryptoError.self) { try RSAPublicKey(modulus: [UInt8](repeating: 0xFF, count: 1025), exponent: [3]) } // 8200 bits
        let key = try RSAPublicKey(modulus: n, exponent: [1, 0, 1])
        // A signature of the wrong length, or ≥ n, is invalid, not a crash.
        #expect(!key.isValidSignature([UInt8](repeating: 1, count: 255), for: [1], scheme: .pkcs1v15SHA256))
        #expect(!key.isValidSignature(n, for: [1], scheme: .pkcs1v15SHA256))
        #expect(!key.isValidSignature([UInt8](repeating: 0xFF, count: 256), for: [1], scheme: .pssSHA256))
    }
}
