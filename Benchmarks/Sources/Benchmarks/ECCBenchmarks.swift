import Crypto
import Foundation
import TokenCore

/// Raw ECDSA (P-256, P-384) and Ed25519 verification: TokenCore beside swift-crypto (BoringSSL,
/// which vapor/jwt-kit uses for ES256/ES384/EdDSA) on the same signatures, plus OpenSSL's rate.
enum ECCBenchmarks {
    static func run(_ bench: Bench) {
        runECC(bench)
    }
}

func runECC(_ bench: Bench) {
    func hex(_ text: String) -> [UInt8] { (try? Hex.decode(text)) ?? [] }

    // ES256: RFC 7515 Appendix A.3 (key, signing input, signature).
    let es256X = (try? Base64URL.decode("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU")) ?? []
    let es256Y = (try? Base64URL.decode("x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0")) ?? []
    let es256Input = Array("eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ".utf8)
    let es256Signature = (try? Base64URL.decode("DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q")) ?? []

    // ES384 and Ed25519: from Tests/TokenCoreTests/Fixtures/ecc (made by Python `cryptography`).
    let input = Array("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxMjM0In0".utf8)
    let es384X = hex("c7f889607017d22aa41728e15ec697e5ce8d3938721f411d5e1fedb2e8da8517463f9b260516a317998e52ee55a7ab1e")
    let es384Y = hex("4ec5901f3afda5e441a6668921bf04724dd2c7e851376e4b2763fab2115be2d7b6954abf1d8e508f64c6e0f3623e20f8")
    let es384Signature = hex("6e48df05006e10a8da35b836da139c3a9f8b84aa8301b7cdf14234f816dac613caa8930e04c38fef777c909261e207583fde0eeea36fa3c598b5ebe7a869ba79397127c8988480145ebb531b617f28bc582d44e93c51ab00eb7a4413de88a348")
    let edKey = hex("03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8")
    let edSignature = hex("82d5e43abfb0fc4614d4e1b102d178691ee74cbed06353bc7576f13825d21c41778e67288cbbe034b40fd090bcaaefc5508e190a7b215becbb6484b97a7d5704")

    do {
        let ours256 = try TokenCore.P256.PublicKey(x: es256X, y: es256Y)
        let ours384 = try TokenCore.P384.PublicKey(x: es384X, y: es384Y)
        let oursEd = try TokenCore.Ed25519.PublicKey(rawRepresentation: edKey)
        let theirs256 = try Crypto.P256.Signing.PublicKey(rawRepresentation: es256X + es256Y)
        let theirs256Signature = try Crypto.P256.Signing.ECDSASignature(rawRepresentation: es256Signature)
        let theirs384 = try Crypto.P384.Signing.PublicKey(rawRepresentation: es384X + es384Y)
        let theirs384Signature = try Crypto.P384.Signing.ECDSASignature(rawRepresentation: es384Signature)
        let theirsEd = try Curve25519.Signing.PublicKey(rawRepresentation: edKey)

        // Every case must verify, or the figures would time a failure path.
        guard ours256.isValidSignature(es256Signature, for: es256Input),
              ours384.isValidSignature(es384Signature, for: input),
              oursEd.isValidSignature(edSignature, for: input),
              theirs256.isValidSignature(theirs256Signature, for: es256Input),
              theirs384.isValidSignature(theirs384Signature, for: input),
              theirsEd.isValidSignature(edSignature, for: input)
        else {
            print("ECC benchmark signatures do not verify; skipping")
            return
        }

        bench.measure("ecc es256 verify (TokenCore)") { consume(ours256.isValidSignature(es256Signature, for: es256Input)) }
        bench.measure("ecc es256 verify (swift-crypto)") { consume(theirs256.isValidSignature(theirs256Signature, for: es256Input)) }
        bench.measure("ecc es384 verify (TokenCore)") { consume(ours384.isValidSignature(es384Signature, for: input)) }
        bench.measure("ecc es384 verify (swift-crypto)") { consume(theirs384.isValidSignature(theirs384Signature, for: input)) }
        bench.measure("ecc ed25519 verify (TokenCore)") { consume(oursEd.isValidSignature(edSignature, for: input)) }
        bench.measure("ecc ed25519 verify (swift-crypto)") { consume(theirsEd.isValidSignature(edSignature, for: input)) }
    } catch {
        print("ECC benchmark setup failed: \(error)")
        return
    }

    // OpenSSL's raw verify rate (`openssl speed` prints verify/s as the last column).
    if ["ecc es256", "ecc es384", "ecc ed25519"].contains(where: bench.isSelected),
       let output = shell("openssl speed -seconds 1 ecdsap256 ecdsap384 ed25519 2>/dev/null") {
        for (marker, name) in [("nistp256", "ecc es256 verify (openssl speed)"), ("nistp384", "ecc es384 verify (openssl speed)"), ("Ed25519", "ecc ed25519 verify (openssl speed)")] {
            guard let line = output.split(separator: "\n").last(where: { $0.contains(marker) && $0.contains("bits") }),
                  let rate = line.split(separator: " ").last.flatMap({ Double($0) }), rate > 0
            else { continue }
            bench.report(name, nanosecondsPerOperation: 1e9 / rate)
        }
    }

    for curve in ["es256", "es384", "ed25519"] {
        bench.ratio("ecc \(curve) verify (TokenCore)", "ecc \(curve) verify (swift-crypto)")
        bench.ratio("ecc \(curve) verify (TokenCore)", "ecc \(curve) verify (openssl speed)")
    }
}
