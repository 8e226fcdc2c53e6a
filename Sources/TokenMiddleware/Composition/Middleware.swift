/// Code that runs around a responder: it receives the request and the next responder, and may
/// answer without calling `next` (hummingbird's `RouterMiddleware` shape).
///
/// ```swift
/// struct RequestIDMiddleware: Middleware {
///     func respond(to request: HTTPRequest, next: any Responder) async throws -> HTTPResponse {
///         var response = try await next.respond(to: request)
///         response.headers.add(name: "X-Request-ID", value: UUID().uuidString)
///         return response
///     }
/// }
/// ```
public protocol Middleware: Sendable {
    /// Handles `request`, usually by calling `next` with it (possibly modified).
    func respond(to request: HTTPRequest, next: any Responder) async throws -> HTTPResponse
}
