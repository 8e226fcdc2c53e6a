/// Verifies compact JWS tokens against a key set and validation options.
///
/// Order of checks, so the cheapest and most fundamental failure is the one reported:
/// 1. structure (``UnverifiedJWT``), before any cryptography;
/// 2. key selection and signature (``JWTKeySet``); a signature failure wins over any claim
///    failure;
/// 3. registered claims (``JWTValidationOptions``) at the injected clock's time;
/// 4. decoding the payload into the caller's type.
///
/// Synchronous and pure: a remote key source (``JWTKeyResolver``) or a revocation check
/// (``RevocationList``) is consulted around it by the async caller, such as `JWTAuthenticator`.
///
/// ```swift
/// let verifier = JWTVerifier(keys: try JWTKeySet([HMACJWTKey(.hs256, secret: secret)]), options: options)
/// let jwt = try verifier.verify(token, as: MyClaims.self)
/// print(jwt.claims.subject, jwt.payload.name)
/// ```
public struct JWTVerifier: Sendable {
    /// The configuration in one immutable box: a verifier is copied wherever it is used (into an
    /// authenticator, a closure, a task), and its options hold several sets and a closure, so a
    /// copy of the struct would otherwise retain and release each of them. Setters replace the box.
    private final class Configuration: Sendable {
        let keys: JWTKeySet
        let options: JWTValidationOptions
        let clock: any WallClock
        /// Headers already parsed under these options (an issuer repeats its header); `nil` for
        /// a verifier made for one token.
        let headerCache: JWTHeaderCache?

        init(keys: JWTKeySet, options: JWTValidationOptions, clock: any WallClock, cachingHeaders: Bool) {
            self.keys = keys
            self.options = options
            self.clock = clock
            self.headerCache = cachingHeaders ? JWTHeaderCache() : nil
        }

        /// The same configuration with one part replaced (a setter), with a fresh header cache.
        func with(keys: JWTKeySet? = nil, options: JWTValidationOptions? = nil, clock: (any WallClock)? = nil) -> Configuration {
            Configuration(keys: keys ?? self.keys, options: options ?? self.options, clock: clock ?? self.clock, cachingHeaders: headerCache != nil)
        }
    }

    private var configuration: Configuration

    /// The trusted keys.
    public var keys: JWTKeySet {
        get { configuration.keys }
        set { configuration = configuration.with(keys: newValue) }
    }

    /// What is required of a token beyond its signature.
    public var options: JWTValidationOptions {
        get { configuration.options }
        set { configuration = configuration.with(options: newValue) }
    }

    /// The clock claims are checked against.
    public var clock: any WallClock {
        get { configuration.clock }
        set { configuration = configuration.with(clock: newValue) }
    }

    /// Creates a verifier.
    /// - Parameters:
    ///   - keys: The trusted keys, each bound to its algorithm.
    ///   - options: Validation options (defaults: `exp` required, 60 s leeway, 8 KiB tokens).
    ///   - clock: The time source; inject a `ManualClock` in tests.
    public init(keys: JWTKeySet, options: JWTValidationOptions = JWTValidationOptions(), clock: any WallClock = SystemClock()) {
        configuration = Configuration(keys: keys, options: options, clock: clock, cachingHeaders: true)
    }

    /// A verifier for one token (made per request around a key resolver, or for one check):
    /// without a header cache, which it would allocate and never reuse.
    init(oneShotWithKeys keys: JWTKeySet, options: JWTValidationOptions, clock: any WallClock) {
        configuration = Configuration(keys: keys, options: options, clock: clock, cachingHeaders: false)
    }

    /// Verifies `token` and returns its registered claims.
    /// - Throws: ``JWTError`` with the code of the first failed check.
    public func verify(_ token: String) throws(JWTError) -> VerifiedJWT<JWTClaims> {
        try verify(parse(token), as: JWTClaims.self)
    }

    /// Verifies `token` and decodes its payload as `Payload`.
    /// - Parameters:
    ///   - token: The compact serialization, without `Bearer `.
    ///   - type: The caller's claims type; registered claims are validated independently of it.
    /// - Returns: The verified token.
    /// - Throws: ``JWTError`` with the code of the first failed check;
    ///   ``JWTError/Code/malformedClaim`` when the payload does not decode as `Payload`.
    public func verify<Payload: Decodable & Sendable>(_ token: String, as type: Payload.Type) throws(JWTError) -> VerifiedJWT<Payload> {
        try verify(parse(token), as: type)
    }

    /// Parses `token` under the configured limits.
    private func parse(_ token: String) throws(JWTError) -> UnverifiedJWT {
        let configuration = self.configuration
        return try UnverifiedJWT(
            parsing: token, maximumSize: configuration.options.maximumTokenSize,
            maximumDepth: configuration.options.maximumJSONDepth,
            understoodCritical: configuration.options.understoodCriticalHeaders,
            headerCache: configuration.headerCache
        )
    }

    /// Verifies an already parsed token (for callers that looked at its header first, such as a
    /// key resolver) and decodes its payload as `Payload`.
    /// - Throws: ``JWTError`` with the code of the first failed check.
    public func verify<Payload: Decodable & Sendable>(_ token: UnverifiedJWT, as type: Payload.Type) throws(JWTError) -> VerifiedJWT<Payload> {
        let configuration = self.configuration
        try token.verifySignature(with: configuration.keys)
        let claims = try JWTClaims(payload: token.payload)
        try configuration.options.validate(claims, header: token.header, now: configuration.clock.now().timeIntervalSince1970)
        let payload: Payload
        if Payload.self == JWTClaims.self {
            // Payload is JWTClaims (checked on the line above): a reinterpretation, not a cast,
            // so the registered-claims path skips the dynamic-cast runtime.
            payload = unsafeBitCast(claims, to: Payload.self)
        } else {
            do {
                payload = try JSONValueDecoder().decode(type, from: .object(token.payload))
            } catch let error as DecodingError {
                throw JWTError(.malformedClaim, "the claims do not match the expected shape: \(Self.describe(error))")
            } catch {
                throw JWTError(.malformedClaim, "the claims do not match the expected shape")
            }
        }
        return VerifiedJWT(header: token.header, claims: claims, payload: payload, payloadJSON: token.payload)
    }

    /// A description of a decoding failure naming the claim path but no values.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.isEmpty ? "the payload" : keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing \(path(context.codingPath + [key]))"
        case .typeMismatch(_, let context): return "wrong type at \(path(context.codingPath))"
        case .valueNotFound(_, let context): return "null at \(path(context.codingPath))"
        case .dataCorrupted(let context): return "invalid value at \(path(context.codingPath))"
        @unknown default: return "undecodable"
        }
    }
}
