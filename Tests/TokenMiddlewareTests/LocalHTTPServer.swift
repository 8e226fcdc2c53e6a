import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 for tests that need a real endpoint (the remote JWKS
/// resolver). One thread per connection; every connection gets the current ``Reply`` and is
/// closed. Not a general server: just enough HTTP for URLSession.
final class LocalHTTPServer: @unchecked Sendable {
    enum Reply: Sendable {
        /// 200 with `body` and, when given, a `Cache-Control` header.
        case ok(body: [UInt8], cacheControl: String?)
        /// A status with a short body.
        case status(Int)
        /// 200 after `delay` seconds (to hold concurrent requests in flight).
        case delayed(body: [UInt8], seconds: Double)
        /// 200 with `count` bytes and no Content-Length (the client must cap while streaming).
        case streamed(count: Int)
        /// 200 declaring `count` bytes in Content-Length.
        case declared(count: Int)
        /// Accepts the request and never answers.
        case hang
    }

    let port: UInt16
    private let listener: Int32
    private let lock = NSLock()
    private var reply: Reply = .status(404)
    private var requests = 0
    private var held: [Int32] = []
    private var stopped = false

    var url: URL { URL(string: "http://127.0.0.1:\(port)/jwks.json")! } // safe: constant shape
    var requestCount: Int { lock.withLock { requests } }
    func setReply(_ reply: Reply) { lock.withLock { self.reply = reply } }

    init() throws {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        listener = fd
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    func stop() {
        let fds = lock.withLock { () -> [Int32] in
            stopped = true
            let fds = held
            held = []
            return fds
        }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for fd in fds { shutdown(fd, Int32(SHUT_RDWR)); close(fd) }
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if lock.withLock({ stopped }) { return }
                continue
            }
            let thread = Thread { [self] in handle(client) }
            thread.start()
        }
    }

    private func handle(_ fd: Int32) {
        // Read the request head (bounded); the body of a GET is empty.
        var head: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while head.count < 65536 {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, 4096, 0) }
            if n <= 0 { close(fd); return }
            head += buffer[0..<n]
            if String(decoding: head, as: UTF8.self).contains("\r\n\r\n") { break }
        }
        let reply = lock.withLock { () -> Reply in
            requests += 1
            return self.reply
        }
        switch reply {
        case .ok(let body, let cacheControl):
            respond(fd, status: 200, headers: cacheControl.map { ["Cache-Control: \($0)"] } ?? [], body: body)
        case .status(let code):
            respond(fd, status: code, headers: [], body: Array("error".utf8))
        case .delayed(let body, let seconds):
            Thread.sleep(forTimeInterval: seconds)
            respond(fd, status: 200, headers: [], body: body)
        case .streamed(let count):
            send(fd, Array("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n".utf8))
            let chunk = [UInt8](repeating: 0x20, count: 8192)
            var sent = 0
            while sent < count, send(fd, chunk) { sent += chunk.count }
            close(fd)
        case .declared(let count):
            send(fd, Array("HTTP/1.1 200 OK\r\nContent-Length: \(count)\r\nConnection: close\r\n\r\n".utf8))
            send(fd, [UInt8](repeating: 0x20, count: min(count, 4096)))
            close(fd)
        case .hang:
            lock.withLock { held.append(fd) }
        }
    }

    private func respond(_ fd: Int32, status: Int, headers: [String], body: [UInt8]) {
        var head = "HTTP/1.1 \(status) \(status == 200 ? "OK" : "Error")\r\nContent-Type: application/json\r\n"
        head += "Content-Length: \(body.count)\r\nConnection: close\r\n"
        for header in headers { head += header + "\r\n" }
        head += "\r\n"
        _ = send(fd, Array(head.utf8) + body)
        close(fd)
    }

    /// Sends everything; `false` when the peer went away. MSG_NOSIGNAL: no SIGPIPE.
    @discardableResult
    private func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                #if canImport(Glibc)
                Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL)) // safe: non-empty
                #else
                Darwin.send(fd, raw.baseAddress! + offset, raw.count - offset, 0) // safe: non-empty
                #endif
            }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }
}
