import Foundation
import TokenCore
import TokenMiddleware

/// The demo's dynamic-token settings: the signed format's key ring, verifier and signer, and the
/// legacy format when configured.
///
/// Keys come from `dynamicToken.keys` (the first one signs for `token dynamic`); without any, one
/// key made from the generated ``DemoSecrets/dynamicTokenKey`` (kid `demo-dt`).
struct DemoDynamicTokens: Sendable {
    var authenticator: DynamicTokenAuthenticator
    var signer: DynamicTokenSigner
    var legacyEncoder: LegacyDynamicTokenEncoder?
    var headerName: String
    var keyIDs: [String]
    var formats: [String]

    /// Set by `scripts/bench-server.sh` only: one fixed token replayed for a whole load test
    /// (replay cache off, one-hour tolerance). Never for a real deployment.
    static let benchmarkVariable = "TOKEN_AUTH_BENCH_REUSABLE_DYNAMIC_TOKENS"

    init(
        _ config: ConfigFile.DynamicToken?, secrets: DemoSecrets, clock: any WallClock, random: any RandomSource,
        reusableForBenchmark: Bool = false
    ) throws(CommandLineError) {
        do {
            var keys: [DynamicTokenKey] = []
            if let configured = config?.keys, !configured.isEmpty {
                for entry in configured {
                    let secret: [UInt8]
                    do { secret = try Base64URL.decode(entry.secret) } catch {
                        throw CommandLineError("config: dynamicToken.keys '\(entry.kid)': the secret is not base64url")
                    }
                    keys.append(try DynamicTokenKey(id: entry.kid, secret: secret))
                }
            } else {
                let secret: [UInt8]
                do { secret = try Base64URL.decode(secrets.dynamicTokenKey) } catch {
                    throw CommandLineError("the generated dynamic-token key is malformed")
                }
                keys.append(try DynamicTokenKey(id: "demo-dt", secret: secret))
            }
            guard let first = keys.first else { throw CommandLineError("no dynamic-token key") } // safe: one was added above
            let ring = try DynamicTokenKeyRing(keys)
            let past = reusableForBenchmark ? 3600 : (config?.pastTolerance?.seconds ?? 300)
            let future = config?.futureTolerance?.seconds ?? 30
            let cache: any ReplayCache = reusableForBenchmark ? BenchmarkReplayCache() : InMemoryReplayCache()
            let verifier = try DynamicTokenVerifier(
                keys: ring, replayCache: cache, clock: clock,
                pastTolerance: .milliseconds(Int64(past * 1000)), futureTolerance: .milliseconds(Int64(future * 1000))
            )
            headerName = config?.header ?? DynamicTokenAuthenticator.defaultHeaderName
            signer = try DynamicTokenSigner(key: first, clock: clock, random: random)
            keyIDs = ring.keyIDs
            if let legacy = config?.legacy, legacy.enabled == true {
                guard let apiKey = legacy.apiKey else { throw CommandLineError("config: dynamicToken.legacy.apiKey is required when legacy is enabled") }
                let options = try LegacyDynamicTokenOptions(
                    apiKey: apiKey,
                    splitCharacters: legacy.splitCharacters ?? LegacyDynamicTokenOptions.defaultSplitCharacters,
                    tolerance: .milliseconds(Int64((legacy.tolerance?.seconds ?? 300) * 1000)),
                    requiresUUID: legacy.requireUUID ?? false
                )
                legacyEncoder = LegacyDynamicTokenEncoder(options: options, clock: clock, random: random)
                authenticator = DynamicTokenAuthenticator(
                    signed: verifier, legacy: LegacyDynamicTokenDecoder(options: options, clock: clock), headerName: headerName
                )
            } else {
                legacyEncoder = nil
                authenticator = DynamicTokenAuthenticator(signed: verifier, headerName: headerName)
            }
            formats = authenticator.acceptedFormats
        } catch let error as CommandLineError {
            throw error
        } catch let error as DynamicTokenError {
            throw CommandLineError("config: dynamicToken: \(error.reason)")
        } catch {
            throw CommandLineError("config: dynamicToken: \(error)")
        }
    }

    /// A signed token for `method target` with an empty body.
    func token(method: String, target: String, subject: String? = nil) throws(DynamicTokenError) -> String {
        try signer.token(method: method, target: target, body: [], subject: subject)
    }
}

/// A replay cache that remembers nothing, for the load test's fixed token only.
struct BenchmarkReplayCache: ReplayCache {
    func insertIfAbsent(keyID: String, nonce: [UInt8], expiresAt: Date, now: Date) async throws -> ReplayCacheInsertion {
        .inserted
    }
}
