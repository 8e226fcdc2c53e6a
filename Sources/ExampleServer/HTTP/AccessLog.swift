import TokenCore
import TokenMiddleware

/// Where access-log lines go. Each event loop batches its lines and writes them once per loop
/// iteration, so logging costs one `write(2)` per batch rather than per request.
protocol AccessLogSink: Sendable {
    /// Writes one or more complete lines.
    func write(_ bytes: [UInt8])
}

/// Writes access-log lines to a file descriptor (standard output by default).
struct FileDescriptorLogSink: AccessLogSink {
    let fd: Int32
    // Several loops share the descriptor; the lock keeps their batches whole.
    private let lock = Locked(())

    init(fd: Int32 = 1) { self.fd = fd }

    func write(_ bytes: [UInt8]) {
        lock.withLock { _ in bytes.withUnsafeBytes { SocketSystem.writeAll(fd, $0) } }
    }
}

/// What authentication decided for one request, for its access-log line.
///
/// The server puts one into every request's ``RequestStorage`` under ``RequestLogContextKey``;
/// the app's authentication recorder fills it in. Unsynchronised on purpose (this is on the
/// per-request hot path): it is written only from the request's own task, and read by the
/// event loop after that task has returned its response, which orders the accesses.
final class RequestLogContext: @unchecked Sendable {
    /// Names of the authenticators whose credentials were accepted, in order.
    var authenticators: [String] = []
    /// The failure code of a rejected credential (`jwt.expired`, `missing_credentials`).
    var failure: String?

    init() {}
}

/// The ``RequestStorage`` key of the request's ``RequestLogContext``.
enum RequestLogContextKey: RequestStorageKey {
    typealias Value = RequestLogContext
}

/// Formats access-log lines:
/// `2026-11-22T17:40:01.123Z GET /api/me 200 0.153ms auth=jwt`.
///
/// The path is logged without its query (where credentials such as API keys in URLs would sit),
/// and no header value is ever logged.
struct AccessLogFormatter {
    private var cachedSecond = -1
    private var cachedPrefix: [UInt8] = []

    mutating func append(
        to out: inout [UInt8], method: String, target: String, status: Int, nanoseconds: UInt64,
        context: RequestLogContext?
    ) {
        let (seconds, millis) = SocketSystem.wallClock()
        if seconds != cachedSecond {
            cachedSecond = seconds
            let t = SocketSystem.utc(seconds)
            cachedPrefix = Array("\(Int(t.tm_year) + 1900)-\(pad(Int(t.tm_mon) + 1))-\(pad(Int(t.tm_mday)))T\(pad(Int(t.tm_hour))):\(pad(Int(t.tm_min))):\(pad(Int(t.tm_sec)))".utf8)
        }
        out.append(contentsOf: cachedPrefix)
        out.append(46)
        appendDigits(&out, millis, width: 3)
        out.append(contentsOf: "Z ".utf8)
        out.append(contentsOf: method.utf8)
        out.append(32)
        for byte in target.utf8 {
            if byte == 63 { break } // drop the query
            out.append(byte)
        }
        out.append(32)
        appendDigits(&out, status, width: 3)
        out.append(32)
        let micros = Int(nanoseconds / 1000)
        appendDigits(&out, micros / 1000, width: 1)
        out.append(46)
        appendDigits(&out, micros % 1000, width: 3)
        out.append(contentsOf: "ms".utf8)
        if let context {
            if !context.authenticators.isEmpty {
                out.append(contentsOf: " auth=".utf8)
                for (i, name) in context.authenticators.enumerated() {
                    if i > 0 { out.append(43) } // "+"
                    out.append(contentsOf: name.utf8)
                }
            }
            if let failure = context.failure {
                out.append(contentsOf: " auth_error=".utf8)
                out.append(contentsOf: failure.utf8.filter { $0 > 32 && $0 < 127 })
            }
        }
        out.append(10)
    }

    private func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}

/// Appends `value` in decimal, left-padded with zeros to `width`.
func appendDigits(_ out: inout [UInt8], _ value: Int, width: Int) {
    var v = max(0, value)
    var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    var n = 0
    withUnsafeMutableBytes(of: &digits) { d in
        repeat {
            d[n] = UInt8(48 + v % 10)
            v /= 10
            n += 1
        } while v > 0 && n < 20
        while n < width && n < 20 {
            d[n] = 48
            n += 1
        }
        for k in stride(from: n - 1, through: 0, by: -1) { out.append(d[k]) }
    }
}
