import Dispatch
import Foundation
import JWTKit
import TokenCore

/// Asymmetric JWS verification of a whole token (signature + claims + typed payload) beside
/// vapor/jwt-kit (BoringSSL underneath) on the same token, and OpenSSL's raw verify rate.
///
/// RS256 and PS256 here; ES256, ES384 and EdDSA tokens in `EllipticTokenBenchmarks`, which reuses
/// this file's claims types and helpers.
enum AsymmetricBenchmarks {
    static func run(_ bench: Bench) {
        runRSA(bench)
    }

    // MARK: - RSA

    static let issuedAt = 1_700_000_000
    static let expiresAt = 4_102_444_800

    struct Claims: Decodable, Sendable {
        var sub: String
        var iss: String
        var aud: String
        var exp: NumericDate
        var iat: NumericDate
        var name: String
        var scope: String
    }

    /// jwt-kit's payload: `verify(using:)` checks exp, aud and iss, as ours does.
    struct KitClaims: JWTPayload {
        var sub: SubjectClaim
        var iss: IssuerClaim
        var aud: AudienceClaim
        var exp: ExpirationClaim
        var iat: IssuedAtClaim
        var name: String
        var scope: String

        func verify(using algorithm: some JWTKit.JWTAlgorithm) async throws {
            try exp.verifyNotExpired()
            try aud.verifyIntendedAudience(includes: "api.example.com")
            guard iss.value == "https://auth.example.com" else {
                throw JWTKit.JWTError.claimVerificationFailure(failedClaim: iss, reason: "unexpected issuer")
            }
        }
    }

    final class Box<T>: @unchecked Sendable {
        // Written by the task before the semaphore is signalled, read after waiting.
        var value: T?
    }

    /// Runs async `body` to completion from synchronous code.
    static func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) -> T? {
        let box = Box<T>()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            defer { done.signal() }
            do { box.value = try await body() } catch { print("  asymmetric benchmark: \(error)") }
        }
        done.wait()
        return box.value
    }

    /// jwt-kit's async verify timed in one task: wall and thread-CPU nanoseconds per call (RSA
    /// verification never suspends, so the loop stays on one thread).
    static func timeAsync(_ minimumSeconds: Double, _ body: () async throws -> Void) async throws -> JWTBenchmarks.Timing {
        try await JWTBenchmarks.timeLoop(minimumSeconds, body)
    }

    static func runRSA(_ bench: Bench) {
        guard bench.isGroupSelected("rs256") || bench.isGroupSelected("ps256") || bench.isGroupSelected("rsa")
                || bench.isGroupSelected("jwt-kit rs256") || bench.isGroupSelected("jwt-kit ps256") else { return }
        // A fresh 2048-bit key from OpenSSL; jwt-kit signs the tokens, both libraries verify them.
        guard let privatePEM = shell("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 2>/dev/null"),
              let publicPEM = shell("echo '\(privatePEM)' | openssl pkey -pubout 2>/dev/null")
        else {
            print("  rsa benchmarks: skipped (needs openssl to make a key)")
            return
        }
        let made: (rs: String, ps: String)? = blocking {
            let signer = JWTKeyCollection()
            let privateKey = try Insecure.RSA.PrivateKey(pem: privatePEM)
            await signer.add(rsa: privateKey, digestAlgorithm: .sha256, kid: "rsa-2026")
            await signer.add(pss: privateKey, digestAlgorithm: .sha256, kid: "pss-2026")
            let claims = KitClaims(
                sub: "user-12345", iss: "https://auth.example.com", aud: "api.example.com",
                exp: ExpirationClaim(value: Date(timeIntervalSince1970: Double(expiresAt))),
                iat: IssuedAtClaim(value: Date(timeIntervalSince1970: Double(issuedAt))),
                name: "Jane Doe", scope: "read:items write:items"
            )
            return (try await signer.sign(claims, kid: "rsa-2026"), try await signer.sign(claims, kid: "pss-2026"))
        }
        guard let made else { return }

        var options = JWTValidationOptions()
        options.acceptedIssuers = ["https://auth.example.com"]
        options.acceptedAudiences = ["api.example.com"]
        let verifier: JWTVerifier
        do {
            let key = try RSAPublicKey(pem: publicPEM)
            var keys = JWTKeySet()
            try keys.add(try RSAJWTKey(.rs256, key: key), keyID: "rsa-2026")
            try keys.add(try RSAJWTKey(.ps256, key: key), keyID: "pss-2026")
            verifier = JWTVerifier(keys: keys, options: options)
            _ = try verifier.verify(made.rs, as: Claims.self)
            _ = try verifier.verify(made.ps, as: Claims.self)
        } catch {
            print("  rsa benchmarks: setup failed: \(error)")
            return
        }
        print("  rs256 token: \(made.rs.utf8.count) bytes")

        bench.measure("rs256 verify + claims + typed payload") { consume(try? verifier.verify(made.rs, as: Claims.self)) }
        bench.measure("ps256 verify + claims + typed payload") { consume(try? verifier.verify(made.ps, as: Claims.self)) }
        // The bare RSASSA-PKCS1-v1_5 check (SHA-256 of the signing input, then s^e mod n), to
        // set beside OpenSSL's raw verify rate below.
        if let key = try? RSAPublicKey(pem: publicPEM), let dot = made.rs.lastIndex(of: "."),
           let signature = try? Base64URL.decode(made.rs[made.rs.index(after: dot)...]) {
            let input = Array(made.rs.utf8[..<dot])
            if key.isValidSignature(signature, for: input, scheme: .pkcs1v15SHA256) {
                bench.measure("rsa2048 pkcs1 verify (TokenCore, raw)") {
                    consume(key.isValidSignature(signature, for: input, scheme: .pkcs1v15SHA256))
                }
            }
        }

        let minimum = bench.minimumSeconds
        let kitSelected = bench.isSelected("jwt-kit rs256 verify + claims + payload") || bench.isSelected("jwt-kit ps256 verify + claims + payload")
        let kit: (rs: JWTBenchmarks.Timing, ps: JWTBenchmarks.Timing)? = !kitSelected ? nil : blocking {
            let keys = JWTKeyCollection()
            let publicKey = try Insecure.RSA.PublicKey(pem: publicPEM)
            await keys.add(rsa: publicKey, digestAlgorithm: .sha256, kid: "rsa-2026")
            await keys.add(pss: publicKey, digestAlgorithm: .sha256, kid: "pss-2026")
            _ = try await keys.verify(made.rs, as: KitClaims.self)
            _ = try await keys.verify(made.ps, as: KitClaims.self)
            let rs = try await timeAsync(minimum) { _ = try await keys.verify(made.rs, as: KitClaims.self) }
            let ps = try await timeAsync(minimum) { _ = try await keys.verify(made.ps, as: KitClaims.self) }
            return (rs, ps)
        }
        if let kit {
            bench.report("jwt-kit rs256 verify + claims + payload", nanosecondsPerOperation: kit.rs.wall, cpu: kit.rs.cpu)
            bench.report("jwt-kit ps256 verify + claims + payload", nanosecondsPerOperation: kit.ps.wall, cpu: kit.ps.cpu)
            bench.ratio("rs256 verify + claims + typed payload", "jwt-kit rs256 verify + claims + payload", label: "rs256 vs jwt-kit")
            bench.ratio("ps256 verify + claims + typed payload", "jwt-kit ps256 verify + claims + payload", label: "ps256 vs jwt-kit")
        }

        // OpenSSL's raw RSA-2048 verify rate (its figure is CPU time, not wall time).
        if let text = shell("openssl speed -seconds 1 rsa2048 2>/dev/null"),
           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("rsa 2048 bits") }),
           let rate = line.split(separator: " ").last.flatMap({ Double($0) }), rate > 0 {
            bench.report("openssl rsa2048 raw verify", nanosecondsPerOperation: 1e9 / rate)
            bench.ratio("rs256 verify + claims + typed payload", "openssl rsa2048 raw verify", label: "rs256 token vs openssl raw verify")
            bench.ratio("rsa2048 pkcs1 verify (TokenCore, raw)", "openssl rsa2048 raw verify", label: "raw verify vs openssl")
        } else {
            print("  openssl speed: not available")
        }
    }
}
