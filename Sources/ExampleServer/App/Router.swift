import TokenMiddleware

/// Routes requests by exact path and method to handlers, each wrapped in the middleware of the
/// groups it was declared in.
///
/// ```swift
/// var router = Router(middleware: [ErrorMiddleware(), AccessLogRecorder()])
/// router.get("/health") { _ in .text("ok") }
/// router.group("/api", middleware: [AuthenticationMiddleware([jwt])]) { api in
///     api.get("/me") { request in … }
/// }
/// ```
///
/// A group's middleware is folded around each of its handlers once, when the route is added
/// (`[any Middleware].wrapping`, first element outermost), so a request costs one dictionary
/// lookup plus its own chain. `HEAD` is answered by the `GET` route (the server drops the body);
/// an unknown path is a 404 and a known path with another method a 405 with `Allow`
/// (RFC 9110 §15.5.6), both as small JSON bodies.
struct Router: Responder {
    /// A route's handler.
    typealias Handler = @Sendable (HTTPRequest) async throws -> HTTPResponse

    private var routes: [String: [HTTPMethod: any Responder]] = [:]
    /// Middleware applied to every route added to this router.
    private let middleware: [any Middleware]

    init(middleware: [any Middleware] = []) {
        self.middleware = middleware
    }

    /// The `(method, path)` pairs served, sorted by path.
    var routeList: [(method: HTTPMethod, path: String)] {
        routes.keys.sorted().flatMap { path in
            (routes[path] ?? [:]).keys.map(\.rawValue).sorted().map { (HTTPMethod(rawValue: $0), path) }
        }
    }

    /// Adds a route.
    mutating func on(_ method: HTTPMethod, _ path: String, middleware extra: [any Middleware] = [], _ handler: @escaping Handler) {
        let endpoint = RecordingEndpoint(handler: handler)
        routes[path, default: [:]][method] = (middleware + extra).wrapping(endpoint)
    }

    mutating func get(_ path: String, middleware: [any Middleware] = [], _ handler: @escaping Handler) {
        on(.get, path, middleware: middleware, handler)
    }

    mutating func post(_ path: String, middleware: [any Middleware] = [], _ handler: @escaping Handler) {
        on(.post, path, middleware: middleware, handler)
    }

    /// Declares routes under `prefix` that all run `middleware` (after this router's own).
    mutating func group(_ prefix: String, middleware extra: [any Middleware], _ build: (inout RouteGroup) -> Void) {
        var group = RouteGroup(prefix: prefix, middleware: extra)
        build(&group)
        for route in group.routes {
            on(route.method, route.path, middleware: route.middleware, route.handler)
        }
    }

    func respond(to request: HTTPRequest) async throws -> HTTPResponse {
        let path = request.path
        // Without a query the path is the whole target: look it up without copying it.
        guard let methods = routes[path.endIndex == request.target.endIndex ? request.target : String(path)] else {
            return Self.problem(.notFound, "not_found", "no route for this path")
        }
        if let responder = methods[request.method] ?? (request.method == .head ? methods[.get] : nil) {
            return try await responder.respond(to: request)
        }
        var response = Self.problem(.methodNotAllowed, "method_not_allowed", "method not allowed for this path")
        var allowed = methods.keys.map(\.rawValue)
        if methods[.get] != nil { allowed.append("HEAD") }
        response.headers.add(name: "Allow", value: allowed.sorted().joined(separator: ", "))
        return response
    }

    /// A small JSON error body, as the error middleware would render it.
    static func problem(_ status: HTTPStatus, _ code: String, _ detail: String) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: HTTPHeaders.Name.contentType, value: "application/problem+json")
        let body = "{\"code\":\"\(code)\",\"detail\":\"\(detail)\",\"status\":\(status.code),\"title\":\"\(status.reasonPhrase)\"}"
        return HTTPResponse(status: status, headers: headers, body: Array(body.utf8))
    }
}

/// Routes declared inside ``Router/group(_:middleware:_:)``; groups nest, folding their
/// middleware arrays outer-first.
struct RouteGroup {
    struct Route {
        var method: HTTPMethod
        var path: String
        var middleware: [any Middleware]
        var handler: Router.Handler
    }

    let prefix: String
    let middleware: [any Middleware]
    fileprivate(set) var routes: [Route] = []

    mutating func on(_ method: HTTPMethod, _ path: String, middleware extra: [any Middleware] = [], _ handler: @escaping Router.Handler) {
        routes.append(Route(method: method, path: prefix + path, middleware: middleware + extra, handler: handler))
    }

    mutating func get(_ path: String, middleware: [any Middleware] = [], _ handler: @escaping Router.Handler) {
        on(.get, path, middleware: middleware, handler)
    }

    mutating func post(_ path: String, middleware: [any Middleware] = [], _ handler: @escaping Router.Handler) {
        on(.post, path, middleware: middleware, handler)
    }

    mutating func group(_ prefix: String, middleware extra: [any Middleware], _ build: (inout RouteGroup) -> Void) {
        var inner = RouteGroup(prefix: self.prefix + prefix, middleware: middleware + extra)
        build(&inner)
        routes.append(contentsOf: inner.routes)
    }
}

/// The innermost responder of a route: records which authenticators established the request's
/// identities for the access log, then runs the handler.
private struct RecordingEndpoint: Responder {
    let handler: Router.Handler

    func respond(to request: HTTPRequest) async throws -> HTTPResponse {
        if !request.identities.isEmpty, let context = request.storage[RequestLogContextKey.self] {
            context.authenticators = request.identities.all.map(\.authenticator)
        }
        return try await handler(request)
    }
}

/// Records the failure code of an authentication or authorization error for the access log,
/// then rethrows it for ``ErrorMiddleware`` to render. Place it right inside the error middleware.
struct AccessLogRecorder: Middleware {
    func respond(to request: HTTPRequest, next: any Responder) async throws -> HTTPResponse {
        do {
            return try await next.respond(to: request)
        } catch let error as AuthenticationError {
            request.storage[RequestLogContextKey.self]?.failure = error.code
            throw error
        } catch let error as AuthorizationError {
            request.storage[RequestLogContextKey.self]?.failure = error.code.rawValue
            throw error
        }
    }
}
