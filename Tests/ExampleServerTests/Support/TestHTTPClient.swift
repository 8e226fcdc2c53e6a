import Foundation
@testable import ExampleServer
import TokenMiddleware
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A response as read off the wire by ``TestHTTPClient``.
struct WireResponse {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A blocking socket client that speaks raw bytes, for tests that must send what no real client
/// would. Every read has a timeout, so a server that hangs fails the test instead of blocking it.
final class TestHTTPClient {
    let fd: Int32
    private var buffer: [UInt8] = []

    /// Connects to `127.0.0.1:port`; `readTimeout` bounds every read.
    init(port: Int, readTimeout: Double = 5) throws {
        #if canImport(Darwin)
        fd = socket(AF_INET, SOCK_STREAM, 0)
        #else
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #endif
        guard fd >= 0 else { throw TestClientError("socket failed: \(errno)") }
        var tv = timeval(tv_sec: Int(readTimeout), tv_usec: .init((readTimeout - Double(Int(readTimeout))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            Self.closeFD(fd)
            throw TestClientError("connect failed: \(errno)")
        }
    }

    private var isClosed = false

    deinit { close() }

    /// Closes the connection now (also done when the client is released).
    func close() {
        guard !isClosed else { return }
        isClosed = true
        Self.closeFD(fd)
    }

    private static func closeFD(_ fd: Int32) {
        #if canImport(Darwin)
        _ = Darwin.close(fd)
        #else
        _ = Glibc.close(fd)
        #endif
    }

    /// Sends `text` (UTF-8) in full; returns false when the peer has gone.
    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                #if canImport(Darwin)
                Darwin.send(fd, raw.baseAddress! + offset, raw.count - offset, 0)
                #else
                Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                #endif
            }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    /// Half-closes the sending side.
    func shutdownWrite() { _ = shutdown(fd, Int32(SHUT_WR)) }

    /// Reads more bytes; `false` on end of stream, error or timeout.
    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return false }
        buffer.append(contentsOf: chunk[0..<n])
        return true
    }

    /// Reads one response (`Content-Length` framing; `head` skips the body for HEAD requests).
    /// `nil` when the connection closes (or times out) before a complete response.
    func readResponse(head: Bool = false) -> WireResponse? {
        while true {
            if let end = find([13, 10, 13, 10]) {
                let headText = String(decoding: buffer[0..<end], as: UTF8.self)
                var lines = headText.components(separatedBy: "\r\n")
                let statusLine = lines.removeFirst().split(separator: " ")
                guard statusLine.count >= 2, let status = Int(statusLine[1]) else { return nil }
                let headers = lines.compactMap { line -> (String, String)? in
                    guard let colon = line.firstIndex(of: ":") else { return nil }
                    return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
                }
                let length = head || status < 200 || status == 204 || status == 304
                    ? 0 : Int(headers.first { $0.0.lowercased() == "content-length" }?.1 ?? "0") ?? 0
                while buffer.count < end + 4 + length {
                    guard fill() else { return nil }
                }
                let body = Array(buffer[(end + 4)..<(end + 4 + length)])
                buffer.removeFirst(end + 4 + length)
                return WireResponse(status: status, headers: headers, body: body)
            }
            guard fill() else { return nil }
        }
    }

    /// Whether the server closed the connection (end of stream or reset) within the read timeout,
    /// with no further bytes.
    func isClosedByPeer() -> Bool {
        guard buffer.isEmpty else { return false }
        var byte: UInt8 = 0
        let n = recv(fd, &byte, 1, 0)
        if n == 0 { return true }
        if n < 0 { return errno == ECONNRESET }
        buffer.append(byte)
        return false
    }

    /// Whether the server has sent any byte or closed the connection, without waiting.
    func hasReceivedAnything() -> Bool {
        guard buffer.isEmpty else { return true }
        var byte: UInt8 = 0
        let n = recv(fd, &byte, 1, Int32(MSG_DONTWAIT) | Int32(MSG_PEEK))
        if n >= 0 { return true } // a byte, or end of stream
        return errno != EAGAIN && errno != EWOULDBLOCK // a reset counts; "nothing yet" does not
    }

    /// Sends `request` and reads one response.
    func roundTrip(_ request: String, head: Bool = false) -> WireResponse? {
        guard send(request) else { return nil }
        return readResponse(head: head)
    }

    private func find(_ pattern: [UInt8]) -> Int? {
        guard buffer.count >= pattern.count else { return nil }
        for i in 0...(buffer.count - pattern.count) where buffer[i] == pattern[0] {
            if Array(buffer[i..<(i + pattern.count)]) == pattern { return i }
        }
        return nil
    }
}

struct TestClientError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Collects access-log lines in memory.
final class MemoryLogSink: AccessLogSink, @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""

    func write(_ bytes: [UInt8]) {
        lock.withLock { text += String(decoding: bytes, as: UTF8.self) }
    }

    var lines: [String] {
        lock.withLock { text.split(separator: "\n").map(String.init) }
    }
}

/// A running server for one test, shut down by ``stop()``.
struct TestServer {
    let server: HTTPServer
    let log: MemoryLogSink
    var port: Int { server.port }

    static func start(
        _ responder: any Responder = EchoResponder(),
        configure: (inout HTTPServerConfiguration) -> Void = { _ in }
    ) throws -> TestServer {
        var config = HTTPServerConfiguration()
        config.host = "127.0.0.1"
        config.port = 0
        config.eventLoops = 2
        configure(&config)
        let log = MemoryLogSink()
        let server = try HTTPServer.start(configuration: config, responder: responder, accessLog: log)
        return TestServer(server: server, log: log)
    }

    func client(readTimeout: Double = 5) throws -> TestHTTPClient {
        try TestHTTPClient(port: port, readTimeout: readTimeout)
    }

    func stop() async {
        server.shutdown()
        await server.waitUntilStopped()
    }
}

/// Answers every request with a description of what the server parsed:
/// `METHOD TARGET bodyBytes=N` followed by the body.
struct EchoResponder: Responder {
    func respond(to request: HTTPRequest) async throws -> HTTPResponse {
        var body = Array("\(request.method.rawValue) \(request.target) bodyBytes=\(request.body.count)\n".utf8)
        body.append(contentsOf: request.body)
        var response = HTTPResponse(status: .ok, body: body)
        response.headers.add(name: "Content-Type", value: "text/plain")
        return response
    }
}
