import Foundation
import Testing
@testable import ExampleServer
import TokenMiddleware

/// The HTTP/1.1 server over real sockets: framing, keep-alive, pipelining, limits.
@Suite struct HTTPServerTests {
    @Test func answersASimpleRequestAndKeepsTheConnectionAlive() async throws {
        let server = try TestServer.start()
        let client = try server.client()
        let first = try #require(client.roundTrip("GET /a?x=1 HTTP/1.1\r\nHost: t\r\n\r\n"))
        #expect(first.status == 200)
        #expect(first.text == "GET /a?x=1 bodyBytes=0\n")
        #expect(first.header("Content-Length") == "23")
        #expect(first.header("Date")?.hasSuffix(" GMT") == true)
        #expect(first.header("Connection") == nil)
        let second = try #require(client.roundTrip("GET /b HTTP/1.1\r\nHost: t\r\n\r\n"))
        #expect(second.text == "GET /b bodyBytes=0\n")
        await server.stop()
    }

    @Test func connectionCloseIsHonoured() async throws {
        let server = try TestServer.start()
        let client = try server.client()
        let response = try #require(client.roundTrip("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"))
        #expect(response.header("Connection") == "close")
        #expect(client.isClosedByPeer())
        await server.stop()
    }

    @Test func http10ClosesByDefaultAndKeepsAliveOnRequest() async throws {
        let server = try TestServer.start()
        let client = try server.client()
        let kept = try #require(client.roundTrip("GET /k HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"))
        #expect(kept.status == 200)
        #expect(kept.header("Connection") == "keep-alive")
        let closed = try #require(client.roundTrip("GET /c HTTP/1.0\r\n\r\n"))
        #expect(closed.text.hasPrefix("GET /c"))
        #expect(closed.header("Connection") == "close")
        #expect(client.isClosedByPeer())
        await server.stop()
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let server = try TestServer.start()
        let client = try server.client()
        var batch = ""
        for i in 0..<20 { batch += "GET /p\(i) HTTP/1.1\r\nHost: t\r\n\r\n" }
        batch += "POST /body HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello"
        batch += "GET /last HTTP/1.1\r\nHost: t\r\n\r\n"
        client.send(batch)
        for i in 0..<20 {
            let response = try #require(client.readResponse())
            #expect(response.text == "GET /p\(i) bodyBytes=0\n")
        }
        #expect(client.readResponse()?.text == "POST /body bodyBytes=5\nhello")
        #expect(client.readResponse()?.text == "GET /last bodyBytes=0\n")
        await server.stop()
    }

    @Test func requestArrivingByteByByteIsParsed() async throws {
        let server = try TestServer.start()
        let client = try server.client()
        for byte in "POST /slow HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc".utf8 { client.send([byte]) }
        #expect(client.readResponse()?.text == "POST /slow bodyBytes=3\nabc")
        await server.stop()
    }

    @Test func chunkedBodiesAreDecoded() async throws {
        let server = try TestServer.start()
        let client = try server.client()
        let request = "POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5\r\nhello\r\n1;ext=1\r\n \r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n"
        let response = try #require(client.roundTrip(request))
        #expect(response.text == "POST /c bodyBytes=16\nhello 0123456789")
        // The connection stays usable after a chunked body.
        #expect(client.roundTrip("GET /after HTTP/1.1\r\nHost: t\r\n\r\n")?.status == 200)
        await server.stop()
    }

    @Test func expectContinueGetsAnInterimResponse() async throws {
        let server = try TestServer.start()
        let client = try server.client()
        client.send("POST /e HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
        let interim = try #require(client.readResponse())
        #expect(interim.status == 100)
        client.send("data")
        #expect(client.readResponse()?.text == "POST /e bodyBytes=4\ndata")
        await server.stop()
    }

    @Test func expectContinueWithAnOversizedBodyIsRefusedWithout100() async throws {
        let server = try TestServer.start { $0.maxBodyBytes = 10 }
        let client = try server.client()
        let response = try #require(client.roundTrip("POST /e HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n"))
        #expect(response.status == 413)
        await server.stop()
    }

    @Test func headResponsesHaveNoBodyButKeepTheLength() async throws {
        let server = try TestServer.start()
        let client = try server.client()
        let response = try #require(client.roundTrip("HEAD /h HTTP/1.1\r\nHost: t\r\n\r\n", head: true))
        #expect(response.status == 200)
        #expect(response.header("Content-Length") == "20")
        #expect(response.body.isEmpty)
        // The next response starts right where the head ended: no stray body bytes.
        #expect(client.roundTrip("GET /n HTTP/1.1\r\nHost: t\r\n\r\n")?.text == "GET /n bodyBytes=0\n")
        await server.stop()
    }

    @Test func absoluteFormTargetsServeTheirPath() async throws {
        let server = try TestServer.start()
        let client = try server.client()
        #expect(client.roundTrip("GET http://example.com/x?y=1 HTTP/1.1\r\nHost: example.com\r\n\r\n")?.text == "GET /x?y=1 bodyBytes=0\n")
        await server.stop()
    }

    @Test func handlerHeadersCannotSplitTheResponseOrChangeFraming() async throws {
        let responder = ClosureResponder { _ in
            var response = HTTPResponse.text("x")
            response.headers.add(name: "X-Evil", value: "a\r\nSet-Cookie: stolen=1")
            response.headers.add(name: "Content-Length", value: "999")
            response.headers.add(name: "X-Good", value: "fine")
            return response
        }
        let server = try TestServer.start(responder)
        let client = try server.client()
        let response = try #require(client.roundTrip("GET / HTTP/1.1\r\nHost: t\r\n\r\n"))
        #expect(response.header("X-Evil") == nil)
        #expect(response.header("Set-Cookie") == nil)
        #expect(response.header("Content-Length") == "1")
        #expect(response.header("X-Good") == "fine")
        await server.stop()
    }

    @Test func aThrowingResponderGivesA500AndTheServerCarriesOn() async throws {
        struct Boom: Error {}
        let responder = ClosureResponder { request in
            if request.path == "/boom" { throw Boom() }
            return .text("ok")
        }
        let server = try TestServer.start(responder)
        let client = try server.client()
        let response = try #require(client.roundTrip("GET /boom HTTP/1.1\r\nHost: t\r\n\r\n"))
        #expect(response.status == 500)
        #expect(!response.text.contains("Boom"))
        #expect(client.roundTrip("GET /fine HTTP/1.1\r\nHost: t\r\n\r\n")?.status == 200)
        await server.stop()
    }

    @Test func accessLogHasOneLinePerRequestWithoutQueryOrHeaders() async throws {
        let server = try TestServer.start()
        let client = try server.client()
        _ = client.roundTrip("GET /logged?api_key=SECRET123 HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer SECRETTOKEN\r\n\r\n")
        _ = client.roundTrip("POST /other HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n")
        _ = client.roundTrip("GET / HTTP/9.9\r\nHost: t\r\n\r\n")
        await server.stop()
        let lines = server.log.lines
        #expect(lines.count == 3)
        let first = try #require(lines.first)
        #expect(first.contains(" GET /logged 200 "))
        #expect(first.hasSuffix("ms"))
        #expect(first.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z "#, options: .regularExpression) != nil)
        #expect(!lines.joined().contains("SECRET"))
        #expect(lines[1].contains(" POST /other 200 "))
        #expect(lines[2].contains(" - - 505 "))
    }

    @Test func accessLogRecordsTheAuthenticatorOrFailureCode() async throws {
        let responder = ClosureResponder { request in
            let context = request.storage[RequestLogContextKey.self]
            if request.path == "/ok" { context?.authenticators = ["jwt"] } else { context?.failure = "jwt.expired" }
            return .text("x")
        }
        let server = try TestServer.start(responder)
        let client = try server.client()
        _ = client.roundTrip("GET /ok HTTP/1.1\r\nHost: t\r\n\r\n")
        _ = client.roundTrip("GET /no HTTP/1.1\r\nHost: t\r\n\r\n")
        await server.stop()
        let lines = server.log.lines
        #expect(lines.count == 2)
        #expect(lines.first?.hasSuffix(" auth=jwt") == true)
        #expect(lines.last?.hasSuffix(" auth_error=jwt.expired") == true)
    }
}
