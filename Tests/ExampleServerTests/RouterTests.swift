import Testing
@testable import ExampleServer
import TokenMiddleware

/// Route matching and middleware folding order.
@Suite struct RouterTests {
    /// Appends its tag to the `X-Trace` response header after the inner chain answered.
    struct Tag: Middleware {
        let tag: String
        func respond(to request: HTTPRequest, next: any Responder) async throws -> HTTPResponse {
            var response = try await next.respond(to: request)
            let trace = response.headers["X-Trace"].map { $0 + "," + tag } ?? tag
            response.headers.replaceOrAdd(name: "X-Trace", value: trace)
            return response
        }
    }

    @Test func groupsFoldMiddlewareOuterFirst() async throws {
        var router = Router(middleware: [Tag(tag: "router")])
        router.group("/a", middleware: [Tag(tag: "group")]) { a in
            a.group("/b", middleware: [Tag(tag: "inner")]) { b in
                b.get("/c", middleware: [Tag(tag: "route")]) { _ in .text("c") }
            }
            a.get("", middleware: []) { _ in .text("a") }
        }
        let response = try await router.respond(to: HTTPRequest(method: .get, target: "/a/b/c?x=1"))
        // Responses come back innermost first, so the outermost tag is last.
        #expect(response.headers["X-Trace"] == "route,inner,group,router")
        #expect(response.bodyText == "c")
        #expect(try await router.respond(to: HTTPRequest(method: .get, target: "/a")).headers["X-Trace"] == "group,router")
    }

    @Test func unknownPathsAndMethods() async throws {
        var router = Router()
        router.get("/x") { _ in .text("x") }
        router.post("/x") { _ in .text("posted") }
        #expect(try await router.respond(to: HTTPRequest(method: .get, target: "/y")).status == .notFound)
        let wrong = try await router.respond(to: HTTPRequest(method: .delete, target: "/x"))
        #expect(wrong.status == .methodNotAllowed)
        #expect(wrong.headers["Allow"] == "GET, HEAD, POST")
        #expect(try await router.respond(to: HTTPRequest(method: .head, target: "/x")).bodyText == "x")
        #expect(try await router.respond(to: HTTPRequest(method: .post, target: "/x")).bodyText == "posted")
        #expect(router.routeList.map { "\($0.method.rawValue) \($0.path)" } == ["GET /x", "POST /x"])
    }
}
