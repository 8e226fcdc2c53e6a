import Testing
import TokenMiddleware

/// Records the order middleware runs in.
actor Trace {
    private(set) var entries: [String] = []
    func record(_ entry: String) { entries.append(entry) }
}

func tracing(_ label: String, _ trace: Trace) -> any Middleware {
    ClosureMiddleware { request, next in
        await trace.record("\(label) in")
        var response = try await next.respond(to: request)
        await trace.record("\(label) out")
        response.headers.add(name: "X-Trace", value: label)
        return response
    }
}

@Suite struct CompositionTests {
    @Test func firstAddedIsOutermost() async throws {
        let trace = Trace()
        let handler = ClosureResponder { _ in
            await trace.record("handler")
            return .text("ok")
        }
        let app = [tracing("a", trace), tracing("b", trace), tracing("c", trace)].wrapping(handler)
        let response = try await app.respond(to: .get())
        #expect(await trace.entries == ["a in", "b in", "c in", "handler", "c out", "b out", "a out"])
        // Responses travel back out: the innermost adds its header first.
        #expect(response.headers.values(for: "x-trace") == ["c", "b", "a"])
        #expect(response.bodyText == "ok")
    }

    @Test func middlewareCanAnswerWithoutCallingNext() async throws {
        let trace = Trace()
        let stop = ClosureMiddleware { _, _ in .text("stopped", status: .tooManyRequests) }
        let handler = ClosureResponder { _ in
            await trace.record("handler")
            return .text("ok")
        }
        let app = [tracing("outer", trace), stop, tracing("inner", trace)].wrapping(handler)
        let response = try await app.respond(to: .get())
        #expect(response.status == .tooManyRequests)
        #expect(await trace.entries == ["outer in", "outer out"])
    }

    @Test func middlewareModifiesTheRequestForInnerOnes() async throws {
        let addHeader = ClosureMiddleware { request, next in
            var request = request
            request.headers.add(name: "X-Seen", value: "yes")
            return try await next.respond(to: request)
        }
        let app = [addHeader].wrapping(ClosureResponder { .text($0.headers["x-seen"] ?? "no") })
        #expect(try await app.respond(to: .get()).bodyText == "yes")
    }

    @Test func emptyChainIsTheResponderItself() async throws {
        let app = [any Middleware]().wrapping(ClosureResponder { _ in .text("plain") })
        #expect(try await app.respond(to: .get()).bodyText == "plain")
    }

    @Test func foldedChainsNestLikeRouteGroups() async throws {
        let trace = Trace()
        let group = [tracing("group", trace)].wrapping(ClosureResponder { _ in .text("ok") })
        let app = tracing("global", trace).wrapping(group)
        _ = try await app.respond(to: .get())
        #expect(await trace.entries == ["global in", "group in", "group out", "global out"])
    }
}
