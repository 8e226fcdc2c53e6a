import Foundation
public import TokenCore

/// Authenticates requests carrying an API key (see ``APIKeyVerifier``).
///
/// Where it looks, in this order, by default:
/// - the `X-API-Key` header (or another configured header);
/// - `Authorization: ApiKey <key>` (the scheme name compares case-insensitively, RFC 9110 §11.1;
///   parsed by ``HTTPHeaders/authorizationCredentials(scheme:)``, so two `Authorization` headers
///   are a malformed request);
/// - a query parameter, **only** when ``Configuration/queryParameter`` is set: keys in URLs end
///   up in access logs, proxies and browser history, so this is opt-in.
///
/// A request carrying a key in more than one place (or two `X-API-Key` headers) is refused as
/// malformed (400, `api_key.ambiguous`), as RFC 6750 §2 does for bearer tokens: which one
/// counts would otherwise depend on the implementation. An unknown, revoked, expired or
/// malformed key gets a 401 with the codes `api_key.unknown`, `api_key.revoked`,
/// `api_key.expired`, `api_key.malformed` or `api_key.bad_checksum`; no response repeats the key.
///
/// The principal's subject is the key's owner, its scopes the key's scopes (so the scope
/// guards apply unchanged), and its attributes carry `api_key_id`, `api_key_name` and
/// `api_key_prefix`; ``Principal/details`` holds the ``APIKeyRecord``.
///
/// With a ``FailedAttemptLimiter`` every refused key counts against the client's address
/// (``HTTPRequest/remoteAddress`` without the port), and a client over its budget is refused
/// with `api_key.throttled` before any lookup.
///
/// ```swift
/// let apiKeys = APIKeyAuthenticator(
///     verifier: APIKeyVerifier(store: store),
///     failureLimiter: FailedAttemptLimiter(maximumFailures: 20, window: 60))
/// ```
public struct APIKeyAuthenticator: Authenticator {
    /// Where keys are read from.
    public struct Configuration: Sendable {
        /// The dedicated header, `X-API-Key` by default; `nil` to ignore it.
        public var headerName: String?
        /// The `Authorization` scheme, `ApiKey` by default; `nil` to ignore `Authorization`.
        public var authorizationScheme: String?
        /// The query parameter holding a key, or `nil` (the default) to never read the query.
        public var queryParameter: String?
        /// The `realm` of the challenge.
        public var realm: String

        /// Creates a configuration; the defaults are `X-API-Key`, `Authorization: ApiKey`, no
        /// query parameter.
        public init(headerName: String? = "X-API-Key", authorizationScheme: String? = "ApiKey", queryParameter: String? = nil, realm: String = "api") {
            self.headerName = headerName
            self.authorizationScheme = authorizationScheme
            self.queryParameter = queryParameter
            self.realm = realm
        }
    }

    public let name: String
    /// The verifier that checks keys.
    public let verifier: APIKeyVerifier
    /// Where keys are read from.
    public let configuration: Configuration
    /// Counts refused keys per client, if set.
    public let failureLimiter: (any AuthenticationFailureLimiter)?
    /// Verified keys kept for reuse, when set (opt-in; see ``VerifiedCredentialCache``): a hit
    /// skips the checksum, the hash and building the principal, but the key's record is still
    /// read from the store on every request (``TokenCore/APIKeyVerifier/reverify(_:)``), so a
    /// revocation or expiry takes effect at once.
    public let cache: VerifiedCredentialCache?
    /// Binds this authenticator's cache entries to it (and its copies).
    private let cacheOwner = VerifiedCredentialCache.Owner()

    /// Creates the authenticator.
    /// - Parameters:
    ///   - verifier: Checks format, checksum, hash, revocation and expiry.
    ///   - configuration: Where to read keys from.
    ///   - failureLimiter: Counts failures per client address and throttles guessing.
    ///   - name: The authenticator's name in principals and logs, `"api_key"` by default.
    ///   - cache: Reuse verified keys (default `nil`, off); the store is still consulted for
    ///     revocation and expiry on every request. See ``VerifiedCredentialCache``.
    public init(
        verifier: APIKeyVerifier, configuration: Configuration = Configuration(),
        failureLimiter: (any AuthenticationFailureLimiter)? = nil, name: String = "api_key",
        cache: VerifiedCredentialCache? = nil
    ) {
        self.verifier = verifier
        self.configuration = configuration
        self.failureLimiter = failureLimiter
        self.name = name
        self.cache = cache
    }

    /// `ApiKey realm="api"` (or the configured scheme).
    public var challenge: AuthenticationChallenge {
        AuthenticationChallenge(scheme: configuration.authorizationScheme ?? "ApiKey", parameters: [.init("realm", configuration.realm)])
    }

    public func authenticate(_ request: HTTPRequest) async throws -> Principal? {
        let presented = try extractKey(from: request)
        guard let presented else { return nil }
        let client = Self.clientAddress(request.remoteAddress)
        if let failureLimiter, let client, failureLimiter.isLimited(client) {
            throw AuthenticationError(APIKeyError(.throttled, "too many failed API key attempts from this address; try again later"), authenticator: name)
        }
        do throws(APIKeyError) {
            // The cache path is written out here rather than in a helper: each async call level
            // costs the runtime an executor check (swift_task_switch) on every request. A hit
            // still reads the key's record from the store (revocation, expiry, changes).
            let now = verifier.clock.now()
            if let cache, let entry = cache.entry(for: presented, owner: cacheOwner, now: now),
               let earlier = entry.principal.details(as: APIKeyRecord.self) {
                do throws(APIKeyError) {
                    if try await verifier.reverify(earlier) != nil { return entry.principal }
                } catch {
                    cache.remove(presented)
                    throw error
                }
            }
            let record = try await verifier.verify(presented)
            let principal = principal(for: record)
            cache?.insert(
                principal, for: presented, owner: cacheOwner, revocationID: record.id,
                validUntil: record.expiresAt ?? .distantFuture, now: now
            )
            return principal
        } catch {
            if error.failureKind == .invalid, let client { failureLimiter?.recordFailure(from: client) }
            throw AuthenticationError(error, authenticator: name)
        }
    }

    private func principal(for record: APIKeyRecord) -> Principal {
        Principal(
            subject: record.owner,
            authenticator: name,
            scopes: Set(record.scopes),
            attributes: ["api_key_id": record.id, "api_key_name": record.name, "api_key_prefix": record.displayPrefix],
            details: record
        )
    }

    /// The one key in `request`, `nil` when there is none.
    /// - Throws: ``AuthenticationError`` (`api_key.ambiguous`, 400) when there are several, or
    ///   (`invalid_request`, 400) for repeated or unparsable `Authorization` headers.
    func extractKey(from request: HTTPRequest) throws -> String? {
        // Counted rather than collected: no array per request for the usual single key.
        var found: String?
        var count = 0
        if let headerName = configuration.headerName {
            for field in request.headers where HTTPHeaders.namesEqual(field.name, headerName) {
                count += 1
                if found == nil { found = Self.trimmed(field.value) }
            }
        }
        if let scheme = configuration.authorizationScheme,
           let credential = try request.headers.authorizationCredentials(scheme: scheme) {
            // An empty credential stays "": the client did mean this scheme, so it fails as malformed.
            count += 1
            if found == nil { found = credential }
        }
        if let parameter = configuration.queryParameter {
            for item in request.queryItems where item.name == parameter {
                count += 1
                if found == nil { found = item.value }
            }
        }
        guard count <= 1 else {
            throw AuthenticationError(APIKeyError(.ambiguous, "the request carries more than one API key"), authenticator: name)
        }
        return found
    }

    /// `host` of `host:port`, `[v6]:port` or a bare address; `nil` when unknown.
    static func clientAddress(_ remote: String?) -> String? {
        guard let remote, !remote.isEmpty else { return nil }
        // Bytes, not Characters: this runs on every request carrying a key.
        let utf8 = remote.utf8
        if utf8.first == UInt8(ascii: "["), let close = utf8.firstIndex(of: UInt8(ascii: "]")) {
            return String(remote[utf8.index(after: utf8.startIndex)..<close])
        }
        var firstColon: String.Index?
        var colons = 0
        for index in utf8.indices where utf8[index] == UInt8(ascii: ":") {
            colons += 1
            if firstColon == nil { firstColon = index }
        }
        if colons == 1, let colon = firstColon { return String(remote[..<colon]) }
        return remote // a bare IPv4 or IPv6 address, or a name
    }

    /// `value` without leading and trailing spaces and tabs (RFC 9110 §5.5 optional
    /// whitespace). Byte-wise: a `CharacterSet` built per request was a measurable share of the
    /// authenticator's time, and field values usually arrive trimmed already (no copy then).
    static func trimmed(_ value: String) -> String {
        let utf8 = value.utf8
        guard let first = utf8.first, let last = utf8.last,
              first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09 else { return value }
        guard let start = utf8.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }),
              let end = utf8.lastIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return "" }
        return String(value[start...end])
    }
}
