/// An error a handler throws to answer with a specific status, such as 400 for a bad login body
/// or 404 for an unknown route. ``ErrorMiddleware`` renders it as `application/problem+json`.
///
/// ```swift
/// guard let body = try? JSONDecoder().decode(Login.self, from: Data(request.body)) else {
///     throw HTTPError(.badRequest, code: "invalid_body", reason: "expected {username, password}")
/// }
/// ```
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    /// The status to answer with.
    public var status: HTTPStatus
    /// A stable machine-readable code (`"invalid_body"`).
    public var code: String
    /// A human-readable reason, safe to show to the client.
    public var reason: String
    /// Extra headers to send (`Allow` with a 405, `Retry-After` with a 429).
    public var headers: HTTPHeaders

    /// Creates an error.
    /// - Parameters:
    ///   - status: the status to answer with.
    ///   - code: a stable machine-readable code.
    ///   - reason: a reason safe to show; defaults to the status's reason phrase.
    ///   - headers: extra response headers.
    public init(_ status: HTTPStatus, code: String, reason: String? = nil, headers: HTTPHeaders = HTTPHeaders()) {
        self.status = status
        self.code = code
        self.reason = reason ?? status.reasonPhrase
        self.headers = headers
    }

    public var description: String { "HTTPError(\(status.code) \(code)): \(reason)" }
}
