import TokenCore

/// The one place where errors become HTTP responses. Put it first (outermost) in the chain.
///
/// | error | response |
/// | --- | --- |
/// | ``AuthenticationError`` `.missing` | 401, one `WWW-Authenticate` per accepted scheme, no `error` |
/// | ``AuthenticationError`` `.invalid` | 401, the rejecting scheme's challenge gets `error="invalid_token"` and `error_description` |
/// | ``AuthenticationError`` `.malformedRequest` | 400, `error="invalid_request"` (RFC 6750 §3.1) |
/// | ``AuthenticationError`` `.unavailable` | 503, no challenge (fail closed) |
/// | a bare TokenCore ``CredentialError`` | as the ``AuthenticationError`` it wraps into |
/// | ``AuthorizationError`` | 403 (`error="insufficient_scope"`, `scope="…"` for scopes) or its denial (404) |
/// | ``HTTPError`` | its status |
/// | anything else | 500 with a generic body; the error goes only to the logger |
///
/// Every body is `application/problem+json` (RFC 9457) with a stable `code`. The `reason` of an
/// error is shown (its contract is to be safe); credentials and secrets never reach a response.
///
/// ```swift
/// let app = [
///     ErrorMiddleware(realm: "api") { event in print(event) },
///     AuthenticationMiddleware([jwt]),
/// ].wrapping(router)
/// ```
public struct ErrorMiddleware: Middleware {
    /// What was answered, for the logger. It holds the original error, which may be detailed:
    /// log it, never send it.
    public struct Event: Sendable, CustomStringConvertible {
        /// `true` for 500s: errors the application did not expect.
        public var isUnexpected: Bool
        /// The status answered.
        public var status: HTTPStatus
        /// The machine-readable code in the body.
        public var code: String
        /// The request method.
        public var method: HTTPMethod
        /// The request path (without the query, which may carry tokens).
        public var path: String
        /// The error as thrown.
        public var error: any Error

        public var description: String {
            "\(method) \(path) -> \(status.code) \(code): \(String(describing: error))"
        }
    }

    /// The realm put on challenges that lack one, and on the fallback challenge.
    public let realm: String
    /// Sent when an error carries no challenge of its own (a handler's `identities.require()`).
    public let fallbackChallenge: AuthenticationChallenge
    private let logger: @Sendable (Event) -> Void

    /// Creates the middleware.
    /// - Parameters:
    ///   - realm: the protection space (RFC 9110 §11.5) named in challenges; `"api"` by default.
    ///   - fallbackChallenge: the challenge for a 401 whose error lists none; `Bearer` by default.
    ///   - logger: receives every rendered error; by default 500s are printed to standard error.
    public init(
        realm: String = "api",
        fallbackChallenge: AuthenticationChallenge = AuthenticationChallenge(scheme: "Bearer"),
        logger: @escaping @Sendable (Event) -> Void = ErrorMiddleware.standardErrorLogger
    ) {
        self.realm = realm
        self.fallbackChallenge = fallbackChallenge
        self.logger = logger
    }

    /// The default logger: writes unexpected errors (500s) to standard error.
    public static let standardErrorLogger: @Sendable (Event) -> Void = { event in
        guard event.isUnexpected else { return }
        StandardError.write("[swift-token-auth] \(event)\n")
    }

    /// Calls `next`, turning any error it throws into a response.
    public func respond(to request: HTTPRequest, next: any Responder) async throws -> HTTPResponse {
        do {
            return try await next.respond(to: request)
        } catch {
            let (response, code) = self.response(for: error)
            logger(Event(
                isUnexpected: response.status == .internalServerError,
                status: response.status,
                code: code,
                method: request.method,
                path: String(request.path),
                error: error
            ))
            return response
        }
    }

    /// The response for `error`, without logging. Also usable by a server for errors raised
    /// outside the chain.
    /// - Returns: the response and its machine-readable code.
    public func response(for error: any Error) -> (response: HTTPResponse, code: String) {
        if let error = error as? AuthenticationError {
            return (authenticationResponse(error), error.code)
        }
        if let error = error as? any CredentialError {
            let wrapped = AuthenticationError(error)
            return (authenticationResponse(wrapped), wrapped.code)
        }
        if let error = error as? AuthorizationError {
            return authorizationResponse(error)
        }
        if let error = error as? HTTPError {
            let problem = ProblemDetails(status: error.status, code: error.code, detail: error.reason)
            return (problem.response(headers: error.headers), error.code)
        }
        let problem = ProblemDetails(
            status: .internalServerError, code: "internal_error", detail: "an unexpected error occurred"
        )
        return (problem.response(), problem.code)
    }

    private func authenticationResponse(_ error: AuthenticationError) -> HTTPResponse {
        let status: HTTPStatus
        let errorParameter: String?
        switch error.kind {
        case .missing: (status, errorParameter) = (.unauthorized, nil)
        case .invalid: (status, errorParameter) = (.unauthorized, "invalid_token")
        case .malformedRequest: (status, errorParameter) = (.badRequest, "invalid_request")
        case .unavailable:
            let problem = ProblemDetails(status: .serviceUnavailable, code: error.code, detail: error.reason)
            return problem.response()
        }
        var challenges = error.challenges.isEmpty ? [fallbackChallenge] : error.challenges
        if let rejected = error.rejectedChallenge, !challenges.contains(rejected) {
            challenges.append(rejected)
        }
        var headers = HTTPHeaders()
        for challenge in challenges {
            var challenge = withRealm(challenge)
            // RFC 6750 §3.1: no error code when the request carried no credential.
            if let errorParameter, error.rejectedChallenge.map({ matches($0, challenge) }) ?? (challenges.count == 1) {
                challenge = challenge.with("error", errorParameter).with("error_description", error.reason)
            }
            headers.add(name: HTTPHeaders.Name.wwwAuthenticate, value: challenge.headerValue)
        }
        let problem = ProblemDetails(status: status, code: error.code, detail: error.reason)
        return problem.response(headers: headers)
    }

    private func authorizationResponse(_ error: AuthorizationError) -> (HTTPResponse, String) {
        if error.denial.concealsResource {
            let problem = ProblemDetails(status: error.denial.status, code: "not_found", detail: "not found")
            return (problem.response(), problem.code)
        }
        var headers = HTTPHeaders()
        if error.code == .insufficientScope {
            let challenges = error.challenges.isEmpty ? [fallbackChallenge] : error.challenges
            for challenge in challenges {
                var challenge = withRealm(challenge)
                    .with("error", "insufficient_scope")
                    .with("error_description", error.reason)
                if !error.requiredScopes.isEmpty {
                    challenge = challenge.with("scope", error.requiredScopes.joined(separator: " "))
                }
                headers.add(name: HTTPHeaders.Name.wwwAuthenticate, value: challenge.headerValue)
            }
        }
        let problem = ProblemDetails(status: error.denial.status, code: error.code.rawValue, detail: error.reason)
        return (problem.response(headers: headers), problem.code)
    }

    /// `challenge` with `realm` first, unless it names its own.
    private func withRealm(_ challenge: AuthenticationChallenge) -> AuthenticationChallenge {
        guard !challenge.parameters.contains(where: { $0.name.lowercased() == "realm" }) else { return challenge }
        var copy = challenge
        copy.parameters.insert(.init("realm", realm), at: 0)
        return copy
    }

    private func matches(_ rejected: AuthenticationChallenge, _ challenge: AuthenticationChallenge) -> Bool {
        withRealm(rejected) == challenge
    }
}
