import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal HTTP/1.1 client for the tests: one connection per request (`Connection: close`),
/// IPv4 loopback only, blocking I/O on its own thread with 30-second socket timeouts, so a
/// stuck server fails the test instead of hanging it. (URLSession on Linux was seen to hang
/// on a request across a server-side database restart.)
enum LoopbackHTTPClient {
    struct Failure: Error, CustomStringConvertible { var description: String }

    static func send(port: UInt16, method: String, path: String, headers: [String: String], body: [UInt8]) async throws -> (Int, String) {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try sendBlocking(port: port, method: method, path: path, headers: headers, body: body) })
            }
            thread.start()
        }
    }

    static func sendBlocking(port: UInt16, method: String, path: String, headers: [String: String], body: [UInt8]) throws -> (Int, String) {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure(description: "socket() failed") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(description: "connect to port \(port) failed (errno \(errno))") }

        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\nContent-Length: \(body.count)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        let request = Array(head.utf8) + body
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw Failure(description: "write failed (errno \(errno))") }
            sent += n
        }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n == 0 { break }
            guard n > 0 else { throw Failure(description: "read failed or timed out (errno \(errno))") }
            response += buffer[0..<n]
            guard response.count <= 1 << 20 else { throw Failure(description: "response over 1 MiB") }
        }
        return try parse(response)
    }

    /// Status code and body (de-chunked when needed).
    static func parse(_ response: [UInt8]) throws -> (Int, String) {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = (0...max(0, response.count - 4)).first(where: { Array(response[$0..<min($0 + 4, response.count)]) == separator }) else {
            throw Failure(description: "no end of headers in \(response.count) bytes")
        }
        let head = String(decoding: response[..<end], as: UTF8.self)
        let lines = head.components(separatedBy: "\r\n")
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw Failure(description: "bad status line") }
        var body = Array(response[(end + 4)...])
        if lines.contains(where: { $0.lowercased().hasPrefix("transfer-encoding:") && $0.lowercased().contains("chunked") }) {
            var decoded: [UInt8] = []
            var index = 0
            while let lineEnd = (index..<max(index, body.count - 1)).first(where: { body[$0] == 13 && body[$0 + 1] == 10 }) {
                let sizeText = String(decoding: body[index..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
                guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { break }
                if size == 0 { break }
                let start = lineEnd + 2
                guard start + size <= body.count else { break }
                decoded += body[start..<(start + size)]
                index = start + size + 2
            }
            body = decoded
        }
        return (status, String(decoding: body, as: UTF8.self))
    }
}
