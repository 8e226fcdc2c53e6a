import Foundation

/// An RFC 9457 problem details object, the body of every error response
/// (`Content-Type: application/problem+json`).
///
/// `type` is `about:blank` (RFC 9457 §4.2.1), so `title` is the status's reason phrase; the
/// extension member `code` is the stable machine-readable code clients switch on.
public struct ProblemDetails: Codable, Sendable, Hashable {
    /// The media type of the serialized object (RFC 9457 §3).
    public static let mediaType = "application/problem+json"

    /// A URI naming the problem type; `about:blank` here (RFC 9457 §3.1.1).
    public var type: String
    /// A short summary: the status's reason phrase.
    public var title: String
    /// The HTTP status code.
    public var status: Int
    /// A human-readable explanation specific to this occurrence; never a credential or secret.
    public var detail: String
    /// The stable machine-readable code: `missing_credentials`, `jwt.expired`, `internal_error`.
    public var code: String

    /// Creates a problem of type `about:blank` for `status`.
    public init(status: HTTPStatus, code: String, detail: String) {
        self.type = "about:blank"
        self.title = status.reasonPhrase
        self.status = status.code
        self.detail = detail
        self.code = code
    }

    /// A response carrying this problem as its body, with `Cache-Control: no-store` so no cache
    /// keeps an authentication failure.
    public func response(headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding five plain fields cannot fail; fall back to a fixed body rather than crash.
        let body = (try? encoder.encode(self)).map(Array.init) ?? Array(#"{"code":"internal_error"}"#.utf8)
        var headers = headers
        headers.replaceOrAdd(name: HTTPHeaders.Name.contentType, value: Self.mediaType)
        headers.replaceOrAdd(name: HTTPHeaders.Name.cacheControl, value: "no-store")
        return HTTPResponse(status: HTTPStatus(code: status), headers: headers, body: body)
    }
}
