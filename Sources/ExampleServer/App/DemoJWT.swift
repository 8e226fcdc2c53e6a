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
        if config?.jwksFile != nil || config?.jwksURL != nil {
            // Recognised and documented; the library has no JWKS loader yet, so refuse rather
            // than start without the keys the operator asked for.
            throw CommandLineError("config: jwt.jwksFile / jwt.jwksURL need the JWKS support that is not in the library yet")
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
        algorithms = Array(Set(keys.map(\.algorithm.rawValue))).sorted()
        refreshTokenTTL = config?.refreshTokenTTL?.seconds ?? 30 * 86_400
        refreshIdleTimeout = config?.refreshIdleTimeout?.seconds ?? 7 * 86_400
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
