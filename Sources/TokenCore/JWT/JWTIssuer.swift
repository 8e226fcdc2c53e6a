public import Foundation

/// Makes signed JWTs: sets `iat` from the injected clock, `exp` from a time-to-live, a random
/// `jti`, and the signer's `alg` and `kid` in the header.
///
/// ```swift
/// let issuer = JWTIssuer(signer: try HMACJWTKey(.hs256, secret: secret, keyID: "2026-01"),
///                        timeToLive: 900, issuer: "https://auth.example.com", audience: ["api"])
/// let token = try issuer.issue(MyClaims(sub: "user-1", scope: "read"))
/// ```
public struct JWTIssuer: Sendable {
    /// Signs tokens; its algorithm and key id go into the header.
    public var signer: any JWTSigner
    /// Seconds from `iat` to `exp`; must be positive and finite.
    public var timeToLive: TimeInterval
    /// The `iss` claim to set, if any.
    public var issuer: String?
    /// The `aud` claim to set, if any (one value is written as a string).
    public var audience: [String]?
    /// The `typ` header (default `"JWT"`; `"at+jwt"` for RFC 9068 access tokens).
    public var type: String?
    /// The time source for `iat` and `exp`.
    public var clock: any WallClock
    /// The source of `jti` randomness.
    public var random: any RandomSource

    /// The claims this issuer sets itself; caller claims may not contain them.
    static let ownedClaims: Set<String> = ["iat", "exp", "jti"]

    /// Creates an issuer.
    public init(
        signer: some JWTSigner, timeToLive: TimeInterval, issuer: String? = nil, audience: [String]? = nil,
        type: String? = "JWT", clock: any WallClock = SystemClock(), random: any RandomSource = SystemRandomSource()
    ) {
        self.signer = signer
        self.timeToLive = timeToLive
        self.issuer = issuer
        self.audience = audience
        self.type = type
        self.clock = clock
        self.random = random
    }

    /// Issues a token carrying `claims` (encoded with Foundation's `JSONEncoder`) plus the
    /// registered claims this issuer sets.
    /// - Throws: ``JWTError/Code/signingFailed`` when the claims do not encode to an object, or
    ///   contain `iat`, `exp` or `jti` (or `iss`/`aud` when the issuer sets them), or signing or
    ///   randomness fails.
    public func issue(_ claims: some Encodable) throws(JWTError) -> String {
        let encoded: Data
        do {
            encoded = try JSONEncoder().encode(claims)
        } catch {
            throw JWTError(.signingFailed, "the claims could not be encoded as JSON")
        }
        let object: JSONObject
        do {
            object = try JSONReader().parseObject(encoded)
        } catch {
            throw JWTError(.signingFailed, "the claims did not encode to a JSON object: \(error.reason)")
        }
        return try issue(claims: object)
    }

    /// Issues a token carrying the members of `claims` plus the registered claims this issuer
    /// sets.
    /// - Throws: ``JWTError/Code/signingFailed``; see ``issue(_:)``.
    public func issue(claims: JSONObject) throws(JWTError) -> String {
        guard timeToLive.isFinite, timeToLive > 0 else {
            throw JWTError(.signingFailed, "the issuer's time-to-live must be positive and finite")
        }
        var owned = Self.ownedClaims
        if issuer != nil { owned.insert("iss") }
        if audience != nil { owned.insert("aud") }
        for member in claims where owned.contains(member.name) {
            throw JWTError(.signingFailed, "the claims contain \(member.name), which the issuer sets")
        }
        let now = clock.now().timeIntervalSince1970.rounded(.down)
        guard let iat = JSONNumber(now), let exp = JSONNumber(now + timeToLive) else {
            throw JWTError(.signingFailed, "the clock's time is out of range")
        }
        let jtiBytes: [UInt8]
        do {
            jtiBytes = try random.bytes(count: 16)
        } catch {
            throw JWTError(.signingFailed, "the random source failed: \(error.reason)")
        }
        var payload = claims
        if let issuer { payload["iss"] = .string(issuer) }
        if let audience {
            payload["aud"] = audience.count == 1 ? .string(audience[0]) : .array(audience.map(JSONValue.string))
        }
        payload["iat"] = .number(iat)
        payload["exp"] = .number(exp)
        payload["jti"] = .string(Base64URL.encode(jtiBytes))

        var header = JSONObject()
        header["alg"] = .string(signer.algorithm.rawValue)
        if let kid = signer.keyID { header["kid"] = .string(kid) }
        if let type { header["typ"] = .string(type) }
        return try Self.sign(header: header, payload: payload, with: signer)
    }

    /// Assembles and signs a compact JWS from a header and payload exactly as given.
    static func sign(header: JSONObject, payload: JSONObject, with signer: any JWTSigner) throws(JWTError) -> String {
        guard !signer.algorithm.isNone else { throw JWTError(.signingFailed, "alg none cannot be issued") }
        var signingInput = Base64URL.encode(header.serialized())
        signingInput.append(".")
        signingInput.append(Base64URL.encode(payload.serialized()))
        let signature: [UInt8]
        do {
            signature = try signingInput.withRawBytes { raw in try signer.sign(raw) }
        } catch let error as JWTError {
            throw error
        } catch {
            throw JWTError(.signingFailed, "the signer failed")
        }
        guard !signature.isEmpty else { throw JWTError(.signingFailed, "the signer returned an empty signature") }
        return signingInput + "." + Base64URL.encode(signature)
    }
}
