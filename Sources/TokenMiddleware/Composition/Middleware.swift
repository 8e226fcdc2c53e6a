/// Code that runs around a responder: it receives the request and the next responder, and may
/// answer without calling `next` (hummingbird's `RouterMiddleware` shape).
///
/// Composing a middleware with a responder yields a responder (tower's `Layer`), so an array of
/// middleware folds around a handler with ``Swift/Array/wrapping(_:)``; the first middleware in
/// the array is the outermost and sees the request first.
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
    ///
    /// Returning without calling `next` answers the request here (a guard denying access, a
    /// cached response); throwing hands the error to ``ErrorMiddleware`` further out.
    /// - Parameters:
    ///   - request: the request, as modified by the middleware further out.
    ///   - next: the rest of the chain: inner middleware and finally the handler.
    /// - Returns: the response to send.
    func respond(to request: HTTPRequest, next: any Responder) async throws -> HTTPResponse
}

extension Middleware {
    /// This middleware in front of `responder`, as one responder.
    /// - Parameter responder: the responder `next` will be.
    /// - Returns: a responder that runs this middleware, then `responder`.
    public func wrapping(_ responder: any Responder) -> any Responder {
        MiddlewareResponder(middleware: self, next: responder)
    }
}

extension Array where Element == any Middleware {
    /// Folds the middleware around `responder`: the first element is the outermost.
    ///
    /// `[a, b].wrapping(handler)` answers a request by running `a`, which calls `b`, which calls
    /// `handler`; responses come back in reverse order. An empty array returns `responder`.
    ///
    /// ```swift
    /// let app = [ErrorMiddleware(), AuthenticationMiddleware([jwt])].wrapping(router)
    /// ```
    /// - Parameter responder: the innermost responder, usually a handler or a router.
    /// - Returns: the composed responder.
    public func wrapping(_ responder: any Responder) -> any Responder {
        reversed().reduce(responder) { next, middleware in
            MiddlewareResponder(middleware: middleware, next: next)
        }
    }
}

/// A middleware bound to the responder after it: one link of a folded chain.
struct MiddlewareResponder: Responder {
    let middleware: any Middleware
    let next: any Responder

    func respond(to request: HTTPRequest) async throws -> HTTPResponse {
        try await middleware.respond(to: request, next: next)
    }
}

/// A middleware made from a closure, for small one-off steps and tests.
///
/// ```swift
/// let tagged = ClosureMiddleware { request, next in
///     var response = try await next.respond(to: request)
///     response.headers.add(name: "X-Served-By", value: "api")
///     return response
/// }
/// ```
public struct ClosureMiddleware: Middleware {
    private let body: @Sendable (HTTPRequest, any Responder) async throws -> HTTPResponse

    /// Creates a middleware that runs `body` with the request and the next responder.
    public init(_ body: @escaping @Sendable (HTTPRequest, any Responder) async throws -> HTTPResponse) {
        self.body = body
    }

    public func respond(to request: HTTPRequest, next: any Responder) async throws -> HTTPResponse {
        try await body(request, next)
    }
}
