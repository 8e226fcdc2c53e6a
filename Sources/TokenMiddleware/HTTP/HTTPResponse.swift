import Foundation

/// An HTTP response.
public struct HTTPResponse: Sendable {
    /// The status code and reason phrase.
    public var status: HTTPStatus
    /// The header fields; the server adds `Content-Length` and `Connection` itself.
    public var headers: HTTPHeaders
    /// The body bytes.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A `text/plain; charset=utf-8` response.
    public static func text(_ text: String, status: HTTPStatus = .ok) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: HTTPHeaders.Name.contentType, value: "text/plain; charset=utf-8")
        return HTTPResponse(status: status, headers: headers, body: Array(text.utf8))
    }

    /// A JSON response from any `Encodable` value (sorted keys, so output is stable).
    /// - Throws: the encoder's error when `value` cannot be encoded.
    public static func json(
        _ value: some Encodable, status: HTTPStatus = .ok, contentType: String = "application/json"
    ) throws -> HTTPResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var headers = HTTPHeaders()
        headers.add(name: HTTPHeaders.Name.contentType, value: contentType)
        return HTTPResponse(status: status, headers: headers, body: Array(try encoder.encode(value)))
    }

    /// The body as UTF-8 text, or `nil` if it is not valid UTF-8.
    public var bodyText: String? { String(validating: body, as: UTF8.self) }
}
