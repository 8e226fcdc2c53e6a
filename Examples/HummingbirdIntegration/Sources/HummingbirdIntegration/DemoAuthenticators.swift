import Foundation
import TokenCore
import TokenMiddleware

/// The example server's three schemes, configured in memory: an HS256 JWT, dynamic tokens
/// (signed v1 and the legacy format) and API keys. Also mints credentials for the demo and tests.
public struct DemoAuthenticators: Sendable {
    public static let realm = "token-auth-demo"
    public let jwt: JWTAuthenticator<JWTClaims>
    public let dynamicToken: DynamicTokenAuthenticator
    public let apiKey: APIKeyAuthenticator
    public let jwtIssuer: JWTIssuer
    public let dynamicTokenSigner: DynamicTokenSigner
    public let legacyEncoder: LegacyDynamicTokenEncoder
    public let apiKeyIssuer: APIKeyIssuer

    /// Creates the schemes with fresh random keys.
    /// - Parameters:
    ///   - clock: Time for every check (a `ManualClock` in tests).
    ///   - random: Key and nonce source.
    ///   - legacyAPIKey: The shared key of the legacy dynamic-token format.
    public init(clock: any WallClock = SystemClock(), random: any RandomSource = SystemRandomSource(), legacyAPIKey: String = "demo-legacy-key") throws {
        let jwtKey = try HMACJWTKey(.hs256, secret: try random.bytes(count: 32), keyID: "demo-hs256")
        jwt = JWTAuthenticator(keys: try JWTKeySet([jwtKey]), realm: Self.realm, clock: clock)
        jwtIssuer = JWTIssuer(signer: jwtKey, timeToLive: 900, clock: clock, random: random)

        let dynamicKey = try DynamicTokenKey(id: "demo-dt", secret: try random.bytes(count: 32))
        let verifier = try DynamicTokenVerifier(keys: try DynamicTokenKeyRing([dynamicKey]), replayCache: InMemoryReplayCache(), clock: clock)
        let legacy = try LegacyDynamicTokenOptions(apiKey: legacyAPIKey)
        dynamicToken = DynamicTokenAuthenticator(signed: verifier, legacy: LegacyDynamicTokenDecoder(options: legacy, clock: clock))
        dynamicTokenSigner = try DynamicTokenSigner(key: dynamicKey, clock: clock, random: random)
        legacyEncoder = LegacyDynamicTokenEncoder(options: legacy, clock: clock, random: random)

        let store = InMemoryAPIKeyStore()
        apiKey = APIKeyAuthenticator(verifier: APIKeyVerifier(store: store, clock: clock), configuration: .init(realm: Self.realm))
        apiKeyIssuer = APIKeyIssuer(store: store, clock: clock, random: random)
    }

    /// A JWT for `subject` with space-separated `scope`.
    public func jwt(subject: String, scopes: [String] = []) throws -> String {
        try jwtIssuer.issue(["sub": subject, "scope": scopes.joined(separator: " ")])
    }

    /// A single-use signed dynamic token bound to one request.
    public func signedDynamicToken(method: String, target: String, body: [UInt8] = []) throws -> String {
        try dynamicTokenSigner.token(method: method, target: target, body: body)
    }

    /// A new API key for `owner` with `scopes`.
    public func issueAPIKey(owner: String, scopes: [String]) async throws -> String {
        try await apiKeyIssuer.issue(name: "demo", owner: owner, scopes: scopes, lifetime: 86_400).key
    }
}
