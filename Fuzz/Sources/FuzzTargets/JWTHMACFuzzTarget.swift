import Foundation
import TokenCore

/// JWS compact parsing and HS256 verification (`UnverifiedJWT`, `JWTVerifier`).
///
/// The first input byte picks a mode:
/// - **token** (0): the rest is a token, verified with a fixed HS256 key. Whatever parses has
///   canonical base64url segments (decoding and re-encoding each gives the same text); whatever
///   verifies carries the HMAC-SHA256 of its signing input, recomputed independently with `HMAC`.
/// - **signed** (1): the rest is `header JSON 0xFF payload JSON`, signed with the key, so the
///   fuzzer reaches the header, `crit` and claims checks behind the MAC. A token that verifies
///   has the payload the JSON reader reads from those bytes, and an HS256 header; the same token
///   with any one byte changed (position and XOR from the input) is rejected.
/// - **issued** (2): the rest is a claims object issued by `JWTIssuer` with the same key; the
///   verifier never calls what the issuer signed malformed or badly signed.
enum JWTHMACFuzzTarget {
    static let target = FuzzTarget(
        name: "jwt-hs256",
        summary: "JWT parse + HS256 verify: canonical segments, independent MAC, mutations rejected",
        run: run,
        seeds: seeds
    )

    static let secret = Array("fuzzing-secret-0123456789abcdef-0123456789".utf8)
    static let now = 1_700_000_000.0
    static let key: HMACJWTKey? = try? HMACJWTKey(.hs256, secret: secret, keyID: nil)
    static let verifier: JWTVerifier? = key.flatMap { key in
        var keys = JWTKeySet()
        guard (try? keys.add(key)) != nil else { return nil }
        return JWTVerifier(keys: keys, clock: ManualClock(unixSeconds: now))
    }

    static func run(_ raw: UnsafeRawBufferPointer) {
        guard let verifier, let key else { invariant(false, "the fixed HS256 key was refused"); return }
        var input = FuzzInput(raw)
        switch input.byte() % 3 {
        case 0:
            checkToken(String(decoding: input.rest(), as: UTF8.self), verifier)
        case 1:
            let header = input.bytes(until: 0xFF)
            let payload = input.bytes(until: 0xFF)
            let position = Int(input.uint16())
            let flip = input.byte() | 1
            let token = sign(header: header, payload: payload)
            checkToken(token, verifier)
            guard let verified = try? verifier.verify(token) else { return }
            invariant(verified.header.algorithm == .hs256, "an HS256 key verified a \(verified.header.algorithm) token")
            let reread = try? JSONReader().parseObject(payload)
            invariant(reread == verified.payloadJSON, "the verified payload differs from the signed JSON")
            var bytes = Array(token.utf8)
            bytes[position % bytes.count] ^= flip
            let mutated = String(decoding: bytes, as: UTF8.self)
            invariant((try? verifier.verify(mutated)) == nil, "a token with one byte changed still verifies")
        default:
            guard let claims = try? JSONReader(maximumDepth: 8, maximumSize: 4096).parseObject(input.rest()) else { return }
            let issuer = JWTIssuer(signer: key, timeToLive: 3600, clock: ManualClock(unixSeconds: now), random: RepeatingRandomSource(seed: [7]))
            guard let token = try? issuer.issue(claims: claims) else { return }
            do throws(JWTError) {
                _ = try verifier.verify(token)
            } catch {
                invariant(error.code != .malformed && error.code != .badSignature && error.code != .unsupportedAlgorithm,
                          "an issued token was refused as \(error.code)")
            }
        }
    }

    /// `base64url(header).base64url(payload).base64url(HMAC-SHA256)`, exactly the bytes given.
    static func sign(header: [UInt8], payload: [UInt8]) -> String {
        let signingInput = Base64URL.encode(header) + "." + Base64URL.encode(payload)
        let mac = HMAC<SHA256>.authenticationCode(for: Array(signingInput.utf8), using: secret)
        return signingInput + "." + Base64URL.encode(mac)
    }

    static func checkToken(_ token: String, _ verifier: JWTVerifier) {
        let parsed = try? UnverifiedJWT(parsing: token)
        if parsed != nil {
            for segment in token.split(separator: ".", omittingEmptySubsequences: false) {
                let decoded = try? Base64URL.decode(segment)
                invariant(decoded.map { Base64URL.encode($0) } == String(segment), "a non-canonical base64url segment was accepted")
            }
        }
        guard (try? verifier.verify(token)) != nil else { return }
        invariant(parsed != nil, "a token verified that does not parse")
        let segments = token.split(separator: ".", omittingEmptySubsequences: false)
        invariant(segments.count == 3, "a verified token has \(segments.count) segments")
        let signingInput = Array("\(segments[0]).\(segments[1])".utf8)
        let expected = HMAC<SHA256>.authenticationCode(for: signingInput, using: secret)
        invariant((try? Base64URL.decode(segments[2])) == expected, "a token verified without its HMAC-SHA256")
    }

    static func seeds() -> [[UInt8]] {
        var seeds: [[UInt8]] = []
        let header = Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8)
        let payloads = [
            #"{"sub":"user-42","exp":1700003600,"iat":1700000000,"scope":"read write"}"#,
            #"{"sub":"a","exp":1700003600,"nbf":1699999999,"aud":["api","web"],"iss":"https://issuer.example"}"#,
            #"{"exp":1699990000}"#,
        ]
        for payload in payloads {
            seeds.append([0] + Array(sign(header: header, payload: Array(payload.utf8)).utf8))
            seeds.append([1] + header + [0xFF] + Array(payload.utf8) + [0xFF, 0, 3, 1])
        }
        seeds.append([1] + Array(#"{"alg":"HS256","crit":["exp"],"exp":1}"#.utf8) + [0xFF] + Array(payloads[0].utf8))
        seeds.append([2] + Array(#"{"sub":"user-1","scope":"admin","n":[1,2.5e3,{"x":null}]}"#.utf8))
        return seeds
    }
}
