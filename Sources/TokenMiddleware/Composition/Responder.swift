/// Turns a request into a response: a route handler, a router, or a middleware chain folded
/// around one (tower's `Service`).
public protocol Responder: Sendable {
    /// Answers `request`.
    /// - Throws: any error; the error middleware turns ``AuthenticationError`` and
    ///   ``AuthorizationError`` into 401/403 responses and anything else into a generic 500.
    func respond(to request: HTTPRequest) async throws -> HTTPResponse
}

/// A responder made from a closure.
///
/// ```swift
/// let hello = ClosureResponder { request in .text("hello") }
/// ```
public struct ClosureResponder: Responder {
    private let body: @Sendable (HTTPRequest) async throws -> HTTPResponse

    public init(_ body: @escaping @Sendable (HTTPRequest) async throws -> HTTPResponse) {
        self.body = body
    }

    public func respond(to request: HTTPRequest) async throws -> HTTPResponse {
        try await body(request)
    }
}
