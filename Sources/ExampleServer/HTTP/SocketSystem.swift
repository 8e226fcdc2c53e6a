#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin wrappers over the POSIX socket calls the server uses, so the rest of `HTTP/` reads the
/// same on Linux and Darwin.
enum SocketSystem {
    /// The calling thread's `errno`.
    static var lastError: Int32 { errno }

    static func isWouldBlock(_ code: Int32) -> Bool { code == EAGAIN || code == EWOULDBLOCK }

    /// Ignores `SIGPIPE` process-wide: a peer that closes early must surface as `EPIPE`, not kill
    /// the server.
    static func ignoreSIGPIPE() {
        signal(SIGPIPE, SIG_IGN)
    }

    /// Makes `fd` non-blocking and close-on-exec.
    static func makeNonBlocking(_ fd: Int32) -> Bool {
        let flags = fcntl(fd, F_GETFL, 0)
        guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 else { return false }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        return true
    }

    static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32) {
        var v = value
        _ = setsockopt(fd, level, name, &v, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Opens a non-blocking listening TCP socket on `host:port` (IPv4 or IPv6 literal, or
    /// `localhost`), and returns it with the port actually bound (useful with port 0).
    static func listen(host: String, port: Int, backlog: Int32) throws(HTTPServerError) -> (fd: Int32, port: Int) {
        guard (0...65535).contains(port) else { throw HTTPServerError(.invalidAddress, "port \(port) is out of range 0...65535") }
        let name = host == "localhost" ? "127.0.0.1" : host
        var storage = sockaddr_storage()
        var length: socklen_t
        let family: Int32
        var v4 = sockaddr_in()
        var v6 = sockaddr_in6()
        if inet_pton(AF_INET, name, &v4.sin_addr) == 1 {
            family = AF_INET
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = in_port_t(UInt16(port).bigEndian)
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
            withUnsafeBytes(of: v4) { src in
                withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: src) }
            }
        } else if inet_pton(AF_INET6, name, &v6.sin6_addr) == 1 {
            family = AF_INET6
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = in_port_t(UInt16(port).bigEndian)
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            withUnsafeBytes(of: v6) { src in
                withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: src) }
            }
        } else {
            throw HTTPServerError(.invalidAddress, "host '\(host)' is not an IPv4 or IPv6 address")
        }
        #if canImport(Darwin)
        let fd = socket(family, SOCK_STREAM, 0)
        #else
        let fd = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        #endif
        guard fd >= 0 else { throw HTTPServerError(.socket, "socket() failed: errno \(errno)") }
        setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1)
        let bound = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw HTTPServerError(.socket, "cannot bind \(host):\(port): \(errorText(code))")
        }
        guard Glibc_or_Darwin_listen(fd, backlog) == 0, makeNonBlocking(fd) else {
            let code = errno
            close(fd)
            throw HTTPServerError(.socket, "listen() failed: \(errorText(code))")
        }
        length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        var actual = sockaddr_storage()
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, Int(portOf(actual)))
    }

    private static func Glibc_or_Darwin_listen(_ fd: Int32, _ backlog: Int32) -> Int32 {
        #if canImport(Darwin)
        return Darwin.listen(fd, backlog)
        #elseif canImport(Glibc)
        return Glibc.listen(fd, backlog)
        #else
        return Musl.listen(fd, backlog)
        #endif
    }

    static func portOf(_ address: sockaddr_storage) -> UInt16 {
        var a = address
        let family = Int32(a.ss_family)
        return withUnsafePointer(to: &a) { raw in
            if family == AF_INET {
                return raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
            }
            return raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) }
        }
    }

    /// `"127.0.0.1:51234"` or `"[::1]:51234"` for a peer address.
    static func describe(_ address: sockaddr_storage) -> String {
        var a = address
        var text = [CChar](repeating: 0, count: 64)
        let port = portOf(a)
        if Int32(a.ss_family) == AF_INET {
            withUnsafePointer(to: &a) { raw in
                raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { v4 in
                    var addr = v4.pointee.sin_addr
                    _ = inet_ntop(AF_INET, &addr, &text, socklen_t(text.count))
                }
            }
            return "\(cString(text)):\(port)"
        }
        withUnsafePointer(to: &a) { raw in
            raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6 in
                var addr = v6.pointee.sin6_addr
                _ = inet_ntop(AF_INET6, &addr, &text, socklen_t(text.count))
            }
        }
        return "[\(cString(text))]:\(port)"
    }

    /// The text of a NUL-terminated C buffer.
    static func cString(_ chars: [CChar]) -> String {
        let bytes = chars.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `strerror(code)` as a Swift string.
    static func errorText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        var chars: [CChar] = []
        var p = text
        while p.pointee != 0 {
            chars.append(p.pointee)
            p += 1
        }
        return cString(chars + [0])
    }

    /// Accepts one pending connection; `nil` when none is pending (or on a transient error).
    static func accept(_ listener: Int32) -> (fd: Int32, peer: sockaddr_storage)? {
        var peer = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let fd = withUnsafeMutablePointer(to: &peer) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { address -> Int32 in
                #if canImport(Darwin)
                return Darwin.accept(listener, address, &length)
                #elseif canImport(Glibc)
                return Glibc.accept(listener, address, &length)
                #else
                return Musl.accept(listener, address, &length)
                #endif
            }
        }
        guard fd >= 0 else { return nil }
        _ = makeNonBlocking(fd)
        #if canImport(Darwin)
        setOption(fd, SOL_SOCKET, SO_NOSIGPIPE, 1)
        #endif
        setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
        return (fd, peer)
    }

    /// `read(2)` into `buffer`: the byte count, `0` at end of stream, `-1` with `errno` set.
    static func read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
        #if canImport(Darwin)
        return Darwin.read(fd, buffer, count)
        #elseif canImport(Glibc)
        return Glibc.read(fd, buffer, count)
        #else
        return Musl.read(fd, buffer, count)
        #endif
    }

    /// `send(2)` without raising `SIGPIPE`.
    static func send(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Darwin)
        return Darwin.send(fd, buffer, count, 0) // SO_NOSIGPIPE is set on every accepted socket
        #elseif canImport(Glibc)
        return Glibc.send(fd, buffer, count, Int32(MSG_NOSIGNAL))
        #else
        return Musl.send(fd, buffer, count, Int32(MSG_NOSIGNAL))
        #endif
    }

    /// `write(2)` for non-socket descriptors (log output), retrying on `EINTR` and short writes.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) {
        guard var p = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            #if canImport(Darwin)
            let n = Darwin.write(fd, p, left)
            #elseif canImport(Glibc)
            let n = Glibc.write(fd, p, left)
            #else
            let n = Musl.write(fd, p, left)
            #endif
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            p += n
            left -= n
        }
    }

    static func close(_ fd: Int32) {
        #if canImport(Darwin)
        _ = Darwin.close(fd)
        #elseif canImport(Glibc)
        _ = Glibc.close(fd)
        #else
        _ = Musl.close(fd)
        #endif
    }

    /// Monotonic time in nanoseconds, for deadlines and durations.
    static func monotonicNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// Wall-clock time as (seconds, milliseconds) since 1970.
    static func wallClock() -> (seconds: Int, milliseconds: Int) {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return (Int(ts.tv_sec), Int(ts.tv_nsec / 1_000_000))
    }

    /// The UTC calendar fields of `seconds` since 1970.
    static func utc(_ seconds: Int) -> tm {
        var t = time_t(seconds)
        var out = tm()
        gmtime_r(&t, &out)
        return out
    }
}
