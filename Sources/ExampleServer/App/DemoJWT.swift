import Foundation
import TokenCore
import TokenMiddleware

/// The demo's JWT settings: verification keys, validation options and the issuer that signs
/// access tokens (logins, `token jwt`, the start-up examples).
///
/// Keys come from `jwt.hmacKeys` in the config file (the first one signs); without any, one
/// HS256 key made from the generated ``DemoSecrets/jwtKey`` (kid `demo-hs256`).
struct DemoJWT: Sendable {
    var keySet: JWTKeySet
    /// Keys fetched from `jwt.jwksURL`, when configured.
    var remoteKeys: RemoteJWKSResolver?
    /// The key that signs (the first configured one).
    var signingKey: HMACJWTKey
    var options: JWTValidationOptions
    var issuer: JWTIssuer
    var algorithms: [String]
    var issuerName: String
    var audience: [String]
    var refreshTokenTTL: TimeInterval
    var refreshIdleTimeout: TimeInterval

    static let defaultIssuer = "swift-token-auth-demo"
    static let defaultAudience = ["token-auth-demo-api"]

    init(_ config: ConfigFile.JWT?, secrets: DemoSecrets, clock: any WallClock, random: any RandomSource) throws(CommandLineError) {
        var keys: [HMACJWTKey] = []
        do {
            if let configured = config?.hmacKeys, !configured.isEmpty {
                for entry in configured {
                    let algorithm = JWTAlgorithm(rawValue: entry.algorithm ?? "HS256")
                    let secret: [UInt8]
                    do { secret = try Base64URL.decode(entry.secret) } catch {
                        throw CommandLineError("config: jwt.hmacKeys '\(entry.kid)': the secret is not base64url")
                    }
                    keys.append(try HMACJWTKey(algorithm, secret: secret, keyID: entry.kid))
                }
            } else {
                let secret = try Base64URL.decode(secrets.jwtKey)
                keys.append(try HMACJWTKey(.hs256, secret: secret, keyID: "demo-hs256"))
            }
            keySet = try JWTKeySet(keys)
        } catch let error as CommandLineError {
            throw error
        } catch let error as JWTError {
            throw CommandLineError("config: jwt.hmacKeys: \(error.reason)")
        } catch {
            throw CommandLineError("the JWT key is malformed")
        }
        if let path = config?.jwksFile {
            // Public keys of an outside issuer (RS/PS/ES/EdDSA), each bound to its algorithm.
            do {
                let jwks = try JWKSet(json: try Data(contentsOf: URL(fileURLWithPath: path)))
                guard !jwks.keys.isEmpty else { throw CommandLineError("config: jwt.jwksFile \(path) holds no usable key") }
                for (key, keyID) in zip(jwks.keys, jwks.keyIDs) { try keySet.add(key, keyID: keyID) }
            } catch let error as CommandLineError {
                throw error
            } catch let error as JWTError {
                throw CommandLineError("config: jwt.jwksFile \(path): \(error.reason)")
            } catch {
                throw CommandLineError("config: jwt.jwksFile \(path) cannot be read")
            }
        }
        if let text = config?.jwksURL {
            guard let url = URL(string: text), url.scheme == "https" || url.host == "127.0.0.1" || url.host == "localhost" else {
                throw CommandLineError("config: jwt.jwksURL must be an https URL")
            }
            do { remoteKeys = try RemoteJWKSResolver(url: url, clock: clock) } catch {
                throw CommandLineError("config: jwt.jwksURL: \(error)")
            }
        } else {
            remoteKeys = nil
        }
        issuerName = config?.issuer ?? Self.defaultIssuer
        audience = config?.audience ?? Self.defaultAudience
        var options = JWTValidationOptions()
        options.acceptedIssuers = [issuerName]
        options.acceptedAudiences = Set(audience)
        if let leeway = config?.leeway?.seconds { options.leeway = leeway }
        self.options = options
        let ttl = config?.accessTokenTTL?.seconds ?? 900
        guard ttl > 0, let signer = keys.first else { throw CommandLineError("config: jwt.accessTokenTTL must be positive") }
        signingKey = signer
        issuer = JWTIssuer(signer: signer, timeToLive: ttl, issuer: issuerName, audience: audience, clock: clock, random: random)
        algorithms = Array(Set(keySet.entries.map(\.key.algorithm.rawValue))).sorted()
        refreshTokenTTL = config?.refreshTokenTTL?.seconds ?? 30 * 86_400
        refreshIdleTimeout = config?.refreshIdleTimeout?.seconds ?? 7 * 86_400
    }

    /// Where the JWT authenticator finds keys: the local set (HMAC keys and `jwksFile`), then
    /// the `jwksURL` set for key ids the local set does not hold.
    var resolver: any JWTKeyResolver {
        guard let remoteKeys else { return keySet }
        return LocalThenRemoteKeyResolver(local: keySet, remote: remoteKeys)
    }

    /// Signs an access token for `subject` with `scopes`, valid for `ttl` (default: the
    /// configured access-token TTL).
    func token(subject: String, scopes: [String], ttl: TimeInterval? = nil) throws(JWTError) -> String {
        var issuer = self.issuer
        if let ttl { issuer.timeToLive = ttl }
        var pairs: [(String, JSONValue)] = [("sub", .string(subject))]
        if !scopes.isEmpty { pairs.append(("scope", .string(scopes.joined(separator: " ")))) }
        let claims: JSONObject
        do { claims = try JSONObject(pairs) } catch { throw JWTError(.signingFailed, "cannot build claims") }
        return try issuer.issue(claims: claims)
    }
}

/// Resolves a token's key from the local set when it holds the token's `kid` (or, without a
/// `kid`, a key of the token's algorithm), otherwise from the remote JWKS.
struct LocalThenRemoteKeyResolver: JWTKeyResolver {
    let local: JWTKeySet
    let remote: any JWTKeyResolver

    func keySet(for header: JWTHeader) async throws -> JWTKeySet {
        if let keyID = header.keyID {
            return local.contains(keyID: keyID) ? local : try await remote.keySet(for: header)
        }
        if let candidates = try? local.candidates(algorithm: header.algorithm, keyID: nil), !candidates.isEmpty { return local }
        return try await remote.keySet(for: header)
    }
}
