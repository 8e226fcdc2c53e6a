import Dispatch
import Foundation
import JWTKit
import TokenCore

/// HS256 verification (signature + claims + typed payload) and signing of a realistic ~250-byte
/// access token (issue 4: header with `kid`; `sub`, `iss`, `aud`, `exp`, `iat`, `name`, `scope`;
/// 264 bytes), beside vapor/jwt-kit doing the same job on the same token.
enum JWTBenchmarks {
    static let secret = Array("benchmark-secret-0123456789abcdef-0123456789".utf8)
    static let issuedAt: Int = 1_700_000_000
    static let expiresAt: Int = 4_102_444_800
    static let keyID = "k1"
    static let issuerName = "https://auth.example.com"
    static let audienceName = "api"

    /// The typed payload both libraries decode.
    struct Claims: Decodable, Sendable {
        var sub: String
        var iss: String
        var aud: String
        var exp: NumericDate
        var iat: NumericDate
        var name: String
        var scope: String
    }

    struct IssuedClaims: Encodable {
        var sub = "user-12345"
        var name = "Jane Doe"
        var scope = "read write"
    }

    /// jwt-kit's payload: `verify(using:)` checks exp, aud and iss, as ours does.
    struct KitPayload: JWTPayload {
        var sub: SubjectClaim
        var iss: IssuerClaim
        var aud: AudienceClaim
        var exp: ExpirationClaim
        var iat: IssuedAtClaim
        var name: String
        var scope: String

        func verify(using algorithm: some JWTKit.JWTAlgorithm) async throws {
            try exp.verifyNotExpired()
            try aud.verifyIntendedAudience(includes: audienceName)
            guard iss.value == issuerName else {
                throw JWTKit.JWTError.claimVerificationFailure(failedClaim: iss, reason: "unexpected issuer")
            }
        }
    }

    static func makeToken() throws -> String {
        try makeToken(keyID: keyID, typ: false, audience: audienceName, scope: "read write")
    }

    /// The token these benchmarks used before they followed the issue's shape (324 bytes: `typ`,
    /// a longer `kid`, `aud` and `scope`), kept as one extra case so figures stay comparable
    /// with earlier runs.
    static let longKeyID = "key-2026-01"
    static let longAudience = "api.example.com"

    static func makeLongToken() throws -> String {
        try makeToken(keyID: longKeyID, typ: true, audience: longAudience, scope: "read:items write:items")
    }

    static func makeToken(keyID: String, typ: Bool, audience: String, scope: String) throws -> String {
        let key = try HMACJWTKey(.hs256, secret: secret, keyID: keyID)
        let header = try JSONObject(typ
            ? [("alg", .string("HS256")), ("typ", .string("JWT")), ("kid", .string(keyID))]
            : [("alg", .string("HS256")), ("kid", .string(keyID))])
        let payload = try JSONObject([
            ("sub", .string("user-12345")), ("iss", .string(issuerName)), ("aud", .string(audience)),
            ("exp", .number(JSONNumber(Int64(expiresAt)))), ("iat", .number(JSONNumber(Int64(issuedAt)))),
            ("name", .string("Jane Doe")), ("scope", .string(scope)),
        ])
        let input = Base64URL.encode(header.serialized()) + "." + Base64URL.encode(payload.serialized())
        var text = input
        let signature = try text.withUTF8 { try key.sign(UnsafeRawBufferPointer($0)) }
        return input + "." + Base64URL.encode(signature)
    }

    static func run(_ bench: Bench) {
        guard bench.isGroupSelected("jwt") else { return }
        let token: String
        let key: HMACJWTKey
        let verifier: JWTVerifier
        do {
            token = try makeToken()
            key = try HMACJWTKey(.hs256, secret: secret, keyID: keyID)
            var options = JWTValidationOptions()
            options.acceptedIssuers = [issuerName]
            options.acceptedAudiences = [audienceName]
            verifier = JWTVerifier(keys: try JWTKeySet([key]), options: options)
            // Fail loudly rather than time an error path.
            _ = try verifier.verify(token, as: Claims.self)
        } catch {
            print("jwt benchmarks: setup failed: \(error)")
            return
        }
        print("  token: \(token.utf8.count) bytes")

        // Where the time goes: each stage alone, then the whole.
        var text = token
        let signingInputLength = token.utf8.count - 44
        let zeroSignature = [UInt8](repeating: 0, count: 32)
        bench.measure("jwt hs256 hmac only (signing input)") {
            let ok = zeroSignature.withUnsafeBytes { signature in
                text.withUTF8 { utf8 in
                    key.isValidSignature(signature, for: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(utf8)[0..<signingInputLength]))
                }
            }
            consume(ok)
        }
        bench.measure("jwt parse only (b64 + JSON + header)") {
            consume(try? UnverifiedJWT(parsing: token))
        }
        bench.measure("jwt hs256 verify, registered claims") {
            consume(try? verifier.verify(token))
        }
        bench.measure("jwt hs256 verify + claims + typed payload") {
            consume(try? verifier.verify(token, as: Claims.self))
        }
        if let long = try? makeLongToken(), let longKey = try? HMACJWTKey(.hs256, secret: secret, keyID: longKeyID),
           let longKeys = try? JWTKeySet([longKey]) {
            var options = JWTValidationOptions()
            options.acceptedIssuers = [issuerName]
            options.acceptedAudiences = [longAudience]
            let longVerifier = JWTVerifier(keys: longKeys, options: options)
            if (try? longVerifier.verify(long, as: Claims.self)) != nil {
                bench.measure("jwt hs256 verify + claims + typed payload (\(long.utf8.count) B token)") {
                    consume(try? longVerifier.verify(long, as: Claims.self))
                }
            }
        }

        // Signing.
        let issuer = JWTIssuer(signer: key, timeToLive: 900, issuer: issuerName, audience: [audienceName])
        let claimsObject = (try? JSONObject([
            ("sub", .string("user-12345")), ("name", .string("Jane Doe")), ("scope", .string("read write")),
        ])) ?? JSONObject()
        bench.measure("jwt hs256 sign (JSONObject claims)") {
            consume(try? issuer.issue(claims: claimsObject))
        }
        bench.measure("jwt hs256 sign (Encodable claims)") {
            consume(try? issuer.issue(IssuedClaims()))
        }

        // jwt-kit, same token, same checks.
        if bench.isSelected("jwt-kit hs256 verify + claims + payload") || bench.isSelected("jwt-kit hs256 sign"),
           let kit = measureJWTKit(token: token, bench: bench) {
            bench.report("jwt-kit hs256 verify + claims + payload", nanosecondsPerOperation: kit.verify.wall, cpu: kit.verify.cpu)
            bench.report("jwt-kit hs256 sign", nanosecondsPerOperation: kit.sign.wall, cpu: kit.sign.cpu)
            bench.ratio("jwt hs256 verify + claims + typed payload", "jwt-kit hs256 verify + claims + payload", label: "verify vs jwt-kit")
            bench.ratio("jwt hs256 sign (Encodable claims)", "jwt-kit hs256 sign", label: "sign (Encodable) vs jwt-kit")
        }
    }

    final class ResultBox: @unchecked Sendable {
        // Written by the task before the semaphore is signalled, read after waiting.
        var value: (verify: Timing, sign: Timing)?
    }

    /// jwt-kit's API is async: time a loop inside one task (no suspension happens for HMAC keys),
    /// growing the batch until it runs at least a second, as the harness does.
    typealias Timing = (wall: Double, cpu: Double)

    static func measureJWTKit(token: String, bench: Bench) -> (verify: Timing, sign: Timing)? {
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        let minimum = bench.minimumSeconds
        Task.detached {
            defer { done.signal() }
            do {
                let keys = await JWTKeyCollection().add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256, kid: JWKIdentifier(string: keyID))
                let verified = try await keys.verify(token, as: KitPayload.self)
                guard verified.sub.value == "user-12345" else { return }
                let verify = try await timeLoop(minimum) { _ = try await keys.verify(token, as: KitPayload.self) }
                let payload = KitPayload(
                    sub: "user-12345", iss: IssuerClaim(value: issuerName), aud: AudienceClaim(value: [audienceName]),
                    exp: ExpirationClaim(value: Date(timeIntervalSince1970: Double(expiresAt))),
                    iat: IssuedAtClaim(value: Date(timeIntervalSince1970: Double(issuedAt))),
                    name: "Jane Doe", scope: "read write"
                )
                let sign = try await timeLoop(minimum) { _ = try await keys.sign(payload, kid: JWKIdentifier(string: keyID)) }
                box.value = (verify, sign)
            } catch {
                print("jwt-kit benchmark failed: \(error)")
            }
        }
        done.wait()
        return box.value
    }

    /// Wall-clock and thread-CPU nanoseconds per call. Nothing suspends for HMAC keys, so the
    /// loop stays on one thread and its CPU clock covers the whole loop.
    static func timeLoop(_ minimumSeconds: Double, _ body: () async throws -> Void) async throws -> Timing {
        var iterations = 1
        while true {
            let start = DispatchTime.now().uptimeNanoseconds
            let cpuStart = threadCPUNanoseconds()
            for _ in 0..<iterations { try await body() }
            let cpu = Double(threadCPUNanoseconds() &- cpuStart)
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start)
            if elapsed >= minimumSeconds * 1e9 { return (elapsed / Double(iterations), cpu / Double(iterations)) }
            let scale = elapsed > 0 ? min(10, max(2, minimumSeconds * 1.2e9 / elapsed)) : 10
            iterations = Int(Double(iterations) * scale)
        }
    }
}
