public import Foundation
public import TokenCore

/// A ``JWTKeyResolver`` that fetches a JSON Web Key Set from a URL (an identity provider's
/// `jwks_uri`) and keeps it fresh.
///
/// - **Caching.** A fetched set is used until it expires: `Cache-Control: max-age` (RFC 9111
///   §5.2.2.1) clamped to ``Configuration/minimumCacheDuration`` …
///   ``Configuration/maximumCacheDuration``, or ``Configuration/defaultCacheDuration`` without
///   one (`no-store`/`no-cache` count as the minimum).
/// - **Unknown `kid`.** A token naming a `kid` the set lacks triggers a refetch (keys rotate),
///   but at most once per ``Configuration/minimumRefreshInterval``: tokens with random `kid`s
///   cannot turn the verifier into a request amplifier. Within the interval the current set is
///   returned and the verifier reports the unknown key.
/// - **Failure.** When a refetch fails (network, timeout, non-200, oversized or invalid body)
///   the last good set keeps being served, and the next attempt waits for the minimum interval.
///   Only without any good set does resolution fail, with ``JWTError/Code/unavailable``.
/// - **Concurrency.** All verifications that need a fetch at the same moment await one shared
///   request (the actor holds the single in-flight task).
/// - **Time** comes from the injected ``WallClock``, so tests move it instead of sleeping.
///
/// The URL must be `https`, or `http` to a loopback address (for tests and sidecars).
///
/// ```swift
/// let keys = try RemoteJWKSResolver(url: URL(string: "https://issuer.example/.well-known/jwks.json")!)
/// let jwt = try await JWTVerifier.verify(token, as: Claims.self, keys: keys, options: options)
/// ```
public actor RemoteJWKSResolver: JWTKeyResolver {
    /// Limits and cache bounds.
    public struct Configuration: Sendable {
        /// Lower bound for the cache lifetime taken from `max-age`.
        public var minimumCacheDuration: TimeInterval = 60
        /// Upper bound for the cache lifetime taken from `max-age`.
        public var maximumCacheDuration: TimeInterval = 24 * 3600
        /// Cache lifetime when the response has no `max-age`.
        public var defaultCacheDuration: TimeInterval = 600
        /// Minimum time between two fetch attempts triggered by unknown `kid`s or after a failure.
        public var minimumRefreshInterval: TimeInterval = 30
        /// Seconds one fetch may take.
        public var timeout: TimeInterval = 5
        /// The largest JWKS body accepted, in bytes.
        public var maximumResponseSize = 256 * 1024
        /// The algorithm for RSA keys published without `alg` (`nil` skips them).
        public var defaultRSAAlgorithm: JWTAlgorithm? = .rs256

        public init() {}
    }

    /// The current cache state, for diagnostics and tests.
    public struct Status: Sendable {
        /// When the current set was fetched, if there is one.
        public var fetchedAt: Date?
        /// When it expires.
        public var expiresAt: Date?
        /// Number of fetch attempts so far.
        public var fetchCount: Int
        /// The last failure, cleared by a success.
        public var lastError: String?
        /// Key ids in the current set.
        public var keyIDs: [String]
        /// Keys of the last document that were ignored, with reasons.
        public var skipped: [JWKSet.SkippedKey]
    }

    public nonisolated let url: URL
    public nonisolated let configuration: Configuration
    private let fetcher: any JWKSFetcher
    private let clock: any WallClock

    private var current: JWTKeySet?
    private var currentIDs: [String] = []
    private var skipped: [JWKSet.SkippedKey] = []
    private var fetchedAt: Date?
    private var expiresAt: Date?
    private var lastAttempt: Date?
    private var fetchCount = 0
    private var lastError: String?
    private var inFlight: Task<Void, Never>?

    /// Creates a resolver; nothing is fetched until the first token arrives (or ``refresh()``).
    /// - Parameters:
    ///   - url: The JWKS URL: `https`, or `http` to a loopback host.
    ///   - configuration: Cache bounds and limits.
    ///   - fetcher: The transport (``URLSessionJWKSFetcher`` by default).
    ///   - clock: The time source.
    /// - Throws: ``JWKSFetchError/Code/insecureURL`` for any other URL.
    public init(
        url: URL, configuration: Configuration = Configuration(),
        fetcher: any JWKSFetcher = URLSessionJWKSFetcher(), clock: any WallClock = SystemClock()
    ) throws(JWKSFetchError) {
        let scheme = url.scheme?.lowercased()
        let host = url.host?.lowercased() ?? ""
        let loopback = host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
        guard scheme == "https" || (scheme == "http" && loopback) else {
            throw JWKSFetchError(.insecureURL, "a JWKS URL must be https (or http to a loopback address)")
        }
        self.url = url
        self.configuration = configuration
        self.fetcher = fetcher
        self.clock = clock
    }

    /// Returns the key set for a token with `header`, fetching first when there is none, it has
    /// expired, or the header names an unknown `kid` (rate-limited; see the type's summary).
    /// - Throws: ``JWTError/Code/unavailable`` when no key set has ever been obtained.
    public func keySet(for header: JWTHeader) async throws -> JWTKeySet {
        let now = clock.now()
        if let current, let expiresAt, now < expiresAt {
            guard let kid = header.keyID, !current.contains(keyID: kid) else { return current }
            if mayAttempt(at: now) || inFlight != nil { await fetchShared() }
            return self.current ?? current
        }
        // No set yet, or it has expired.
        if mayAttempt(at: now) || inFlight != nil {
            await fetchShared()
        }
        guard let set = current else {
            throw JWTError(.unavailable, "the JWKS could not be fetched (\(lastError ?? "no attempt yet"))")
        }
        return set
    }

    /// Fetches now, regardless of the cache and the rate limit (for start-up warming).
    /// - Throws: ``JWTError/Code/unavailable`` when the fetch fails; the previous set is kept.
    public func refresh() async throws {
        await fetchShared()
        if let lastError {
            throw JWTError(.unavailable, "the JWKS could not be fetched (\(lastError))")
        }
    }

    /// The cache state.
    public var status: Status {
        Status(fetchedAt: fetchedAt, expiresAt: expiresAt, fetchCount: fetchCount, lastError: lastError,
               keyIDs: currentIDs, skipped: skipped)
    }

    private func mayAttempt(at now: Date) -> Bool {
        guard let lastAttempt else { return true }
        return now.timeIntervalSince(lastAttempt) >= configuration.minimumRefreshInterval
    }

    /// Runs one fetch, or joins the one in flight.
    private func fetchShared() async {
        if let inFlight {
            await inFlight.value
            return
        }
        let task = Task { await self.fetchAndStore() }
        inFlight = task
        await task.value
        inFlight = nil
    }

    private func fetchAndStore() async {
        lastAttempt = clock.now()
        fetchCount += 1
        do {
            let response = try await fetcher.fetch(url, timeout: configuration.timeout, maximumSize: configuration.maximumResponseSize)
            guard response.body.count <= configuration.maximumResponseSize else {
                throw JWKSFetchError(.tooLarge, "the JWKS response exceeds \(configuration.maximumResponseSize) bytes")
            }
            guard response.status == 200 else {
                throw JWKSFetchError(.badStatus, "the JWKS endpoint answered HTTP \(response.status)")
            }
            let document: JWKSet
            let set: JWTKeySet
            do {
                document = try JWKSet(json: response.body, defaultRSA: configuration.defaultRSAAlgorithm)
                set = try document.keySet()
            } catch {
                throw JWKSFetchError(.invalidDocument, error.reason)
            }
            let now = clock.now()
            current = set
            currentIDs = document.keyIDs.compactMap { $0 }
            skipped = document.skipped
            fetchedAt = now
            expiresAt = now.addingTimeInterval(cacheDuration(response.cacheControl))
            lastError = nil
        } catch let error as JWKSFetchError {
            lastError = error.reason
        } catch {
            lastError = "the JWKS request failed"
        }
    }

    /// The cache lifetime for a `Cache-Control` value, within the configured bounds.
    func cacheDuration(_ cacheControl: String?) -> TimeInterval {
        Self.cacheDuration(cacheControl, configuration)
    }

    static func cacheDuration(_ cacheControl: String?, _ configuration: Configuration) -> TimeInterval {
        guard let cacheControl else { return configuration.defaultCacheDuration }
        var maxAge: TimeInterval?
        for directive in cacheControl.split(separator: ",") {
            let parts = directive.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let name = parts.first else { continue }
            if name == "no-store" || name == "no-cache" { return configuration.minimumCacheDuration }
            // RFC 9111 §1.2.2: delta-seconds are digits only; too many digits saturate.
            if name == "max-age", parts.count == 2 {
                let digits = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { continue }
                maxAge = digits.count > 9 ? configuration.maximumCacheDuration : TimeInterval(Int(digits) ?? 0)
            }
        }
        guard let maxAge else { return configuration.defaultCacheDuration }
        return min(max(maxAge, configuration.minimumCacheDuration), configuration.maximumCacheDuration)
    }
}
