import Foundation
import TokenCore
import TokenMiddleware

/// The demo's API keys: the store (the JSON key file in the data directory or the configured
/// `apiKeys.file`; in memory without either), the authenticator, and a key issued at start-up
/// for the printed examples.
struct DemoAPIKeys: Sendable {
    var authenticator: APIKeyAuthenticator
    var issuer: APIKeyIssuer
    var headerName: String
    /// The key file, when keys are durable.
    var keyFile: URL?

    /// Name of the key issued at each start for the banner; the previous one is revoked.
    static let bannerKeyName = "demo (start-up banner)"

    /// The key file `apikey` and `serve` use: `apiKeys.file` (relative to the data directory, or
    /// to the working directory without one), or `DIR/apikeys.json` with a data directory.
    static func keyFile(settings: ServerSettings) -> URL? {
        let configured = settings.file.apiKeys?.file
        if let configured, configured.hasPrefix("/") { return URL(fileURLWithPath: configured) }
        if let dir = settings.dataDirectory { return dir.appendingPathComponent(configured ?? "apikeys.json") }
        if let configured { return URL(fileURLWithPath: configured) }
        return nil
    }

    init(settings: ServerSettings, clock: any WallClock, random: any RandomSource) throws(CommandLineError) {
        let store: any APIKeyStore
        keyFile = Self.keyFile(settings: settings)
        if let keyFile {
            do { store = try JSONFileAPIKeyStore(fileURL: keyFile, clock: clock) } catch {
                throw CommandLineError("API key file \(keyFile.path): \(error.reason)")
            }
        } else {
            store = InMemoryAPIKeyStore()
        }
        let config = settings.file.apiKeys
        headerName = config?.header ?? "X-API-Key"
        let verifier = APIKeyVerifier(store: store, clock: clock)
        authenticator = APIKeyAuthenticator(
            verifier: verifier,
            configuration: .init(headerName: headerName, queryParameter: config?.allowQueryParameter == true ? "api_key" : nil, realm: DemoApp.realm),
            failureLimiter: FailedAttemptLimiter(clock: clock),
            // Opt-in (--credential-cache N): the key's record is still read on every request.
            cache: settings.credentialCache(random: random)
        )
        issuer = APIKeyIssuer(store: store, clock: clock, random: random)
    }

    /// Issues the start-up key (scope `reports:read`, one day) and revokes the previous one.
    func issueBannerKey() async throws(CommandLineError) -> String {
        do {
            for record in try await issuer.store.allRecords() where record.name == Self.bannerKeyName && record.revokedAt == nil {
                _ = try await issuer.revoke(id: record.id)
            }
            return try await issuer.issue(name: Self.bannerKeyName, owner: "demo-partner", scopes: ["reports:read"], lifetime: 86_400).key
        } catch {
            throw CommandLineError("cannot issue the demo API key: \(error.reason)")
        }
    }
}
