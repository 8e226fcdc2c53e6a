public import TokenCore

/// Authenticates `Authorization: Bearer oat_…` opaque access tokens by looking their hash up in
/// an ``TokenCore/OpaqueTokenStore`` (the "token store" flow).
///
/// Returns `nil` when the request has no Bearer token, or one that is not an opaque access
/// token (a JWT is left to a `JWTAuthenticator`). An `oat_` token that is malformed, unknown,
/// revoked or expired throws (401, `session.invalid_token` / `session.token_expired`); a store
/// failure throws `session.unavailable` (503).
///
/// The principal has the record's subject and scopes, the attribute `sid` (the session) when
/// known, and the ``TokenCore/OpaqueTokenRecord`` as details.
///
/// ```swift
/// let opaque = OpaqueTokenAuthenticator(verifier: OpaqueTokenVerifier(store: store))
/// let api = [ErrorMiddleware(), AuthenticationMiddleware([opaque])].wrapping(handler)
/// ```
public struct OpaqueTokenAuthenticator: Authenticator {
    /// The name in principals and logs.
    public let name: String
    /// The `realm` of the challenge.
    public let realm: String
    /// Looks tokens up.
    public let verifier: OpaqueTokenVerifier

    /// Creates the authenticator.
    /// - Parameters:
    ///   - verifier: the lookup over the token store.
    ///   - realm: the challenge's `realm` (default `"api"`).
    ///   - name: the name in principals and logs (default `"opaque"`).
    public init(verifier: OpaqueTokenVerifier, realm: String = "api", name: String = "opaque") {
        self.verifier = verifier
        self.realm = realm
        self.name = name
    }

    /// `Bearer realm="…"` (RFC 6750 §3).
    public var challenge: AuthenticationChallenge {
        AuthenticationChallenge(scheme: "Bearer", parameters: [.init("realm", realm)])
    }

    public func authenticate(_ request: HTTPRequest) async throws -> Principal? {
        guard let token = try request.bearerToken(), OpaqueTokenVerifier.isOpaqueAccessToken(token) else {
            return nil
        }
        let record: OpaqueTokenRecord
        do {
            record = try await verifier.verify(token)
        } catch {
            throw AuthenticationError(error, authenticator: name)
        }
        var attributes: [String: String] = [:]
        if let sid = record.sessionID { attributes["sid"] = sid }
        return Principal(
            subject: record.subject, authenticator: name, scopes: Set(record.scopes),
            attributes: attributes, details: record
        )
    }
}
