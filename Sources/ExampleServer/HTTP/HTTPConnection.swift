import ExampleServerHTTP
import TokenMiddleware
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One client connection: its read buffer, parser, output buffer, deadlines and state.
///
/// Requests are handled one at a time per connection: a pipelined request is parsed only after
/// the previous response is queued, so responses go out in request order (RFC 9112 §9.3.2) and
/// memory per connection stays bounded. Reading continues while a request is in flight (up to
/// the buffer's capacity, then reading pauses).
///
/// Confined to its ``EventLoop``'s thread: a request's task hands its response back through
/// ``EventLoop/execute(_:)`` when it finishes elsewhere. `@unchecked Sendable` only so that task
/// can carry the reference.
final class HTTPConnection: @unchecked Sendable {
    enum Phase {
        /// Waiting for or reading a request.
        case reading
        /// A request is with the responder.
        case responding
        /// The last response is queued; the write side closes after it is flushed.
        case closing
        /// The write side is shut; unread input is drained until the peer closes (so the peer
        /// reads the final response rather than a reset), or a short time passes.
        case lingering
    }

    private enum Deadline { case none, header, body, idle, linger }

    let fd: Int32
    let peer: String
    unowned let loop: EventLoop
    private(set) var phase: Phase = .reading
    private(set) var isClosed = false
    var isDirty = false

    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    private let maxCapacity: Int
    private var start = 0
    private var end = 0

    private var parser: HTTPRequestParser
    private var output: [UInt8] = []
    private var outputOffset = 0
    private var readInterest = true
    private var writeInterest = false
    private var peerClosed = false

    private var deadlineKind: Deadline = .header
    private var deadline: UInt64
    private var writeDeadline: UInt64 = .max
    private var requestStarted: UInt64 = 0

    // The request in flight.
    private var currentMethod = ""
    private var currentTarget = ""
    private var currentIsHead = false
    private var currentKeepAlive = true
    private var currentIsHTTP10 = false
    private var currentContext: RequestLogContext?

    init(fd: Int32, peer: String, loop: EventLoop) {
        self.fd = fd
        self.peer = peer
        self.loop = loop
        let c = loop.server.configuration
        parser = HTTPRequestParser(limits: .init(
            maxRequestLineBytes: c.maxRequestLineBytes, maxHeaderBytes: c.maxHeaderBytes,
            maxHeaderCount: c.maxHeaderCount, maxBodyBytes: c.maxBodyBytes
        ))
        capacity = 4096
        // The head must fit; body bytes are moved out as they arrive.
        maxCapacity = max(16 * 1024, c.maxRequestLineBytes + c.maxHeaderBytes + 4096)
        buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        deadline = SocketSystem.monotonicNanoseconds() + Self.nanoseconds(c.headerTimeout)
    }

    deinit {
        buffer.deallocate()
    }

    private static func nanoseconds(_ seconds: Double) -> UInt64 {
        UInt64(max(0, min(seconds, 1e9)) * 1e9)
    }

    // MARK: - Reading

    func onReadable() {
        while true {
            if end == capacity {
                if start > 0 {
                    buffer.copyMemory(from: buffer + start, byteCount: end - start)
                    end -= start
                    start = 0
                } else if capacity < maxCapacity {
                    let bigger = min(maxCapacity, capacity * 2)
                    let fresh = UnsafeMutableRawPointer.allocate(byteCount: bigger, alignment: 8)
                    fresh.copyMemory(from: buffer, byteCount: end)
                    buffer.deallocate()
                    buffer = fresh
                    capacity = bigger
                } else {
                    // Full while a request is in flight: stop reading until it is answered.
                    setInterest(read: false, write: writeInterest)
                    break
                }
            }
            let space = capacity - end
            let n = SocketSystem.read(fd, buffer + end, space)
            if n > 0 {
                end += n
                if phase == .lingering { end = start } // discard
                if n < space { break }
                continue
            }
            if n == 0 {
                peerClosed = true
                setInterest(read: false, write: writeInterest)
                break
            }
            let code = SocketSystem.lastError
            if code == EINTR { continue }
            if SocketSystem.isWouldBlock(code) { break }
            close()
            return
        }
        switch phase {
        case .reading:
            processInput()
            if peerClosed && phase == .reading { close() }
        case .lingering:
            if peerClosed { close() }
        case .responding, .closing:
            break
        }
    }

    /// Parses buffered input and starts the next request, if a complete one is there.
    private func processInput() {
        while phase == .reading {
            let (event, consumed) = parser.parse(UnsafeRawBufferPointer(start: buffer + start, count: end - start))
            start += consumed
            if start == end {
                start = 0
                end = 0
            }
            switch event {
            case .needMore:
                updateReadDeadline()
                return
            case .sendContinue:
                HTTPResponseSerializer.appendContinue(to: &output)
                loop.markDirty(self)
            case .failure(let status, let reason):
                requestStarted = requestStarted == 0 ? SocketSystem.monotonicNanoseconds() : requestStarted
                currentMethod = "-"
                currentTarget = "-"
                currentContext = nil
                currentIsHead = false
                currentIsHTTP10 = false
                finish(HTTPResponseSerializer.errorResponse(status, reason), close: true)
                return
            case .request(var parsed):
                if requestStarted == 0 { requestStarted = SocketSystem.monotonicNanoseconds() }
                currentMethod = parsed.request.method.rawValue
                currentTarget = parsed.request.target
                currentIsHead = parsed.request.method == .head
                currentKeepAlive = parsed.keepAlive
                currentIsHTTP10 = parsed.isHTTP10
                let context = RequestLogContext()
                currentContext = context
                parsed.request.remoteAddress = peer
                parsed.request.storage[RequestLogContextKey.self] = context
                phase = .responding
                deadlineKind = .none
                loop.dispatch(parsed.request, for: self)
                return
            }
        }
    }

    private func updateReadDeadline() {
        let c = loop.server.configuration
        if parser.isReadingBody {
            if deadlineKind != .body {
                deadlineKind = .body
                deadline = SocketSystem.monotonicNanoseconds() + Self.nanoseconds(c.bodyTimeout)
            }
        } else if start == end && parser.isBetweenRequests {
            if deadlineKind == .none {
                deadlineKind = .idle
                deadline = SocketSystem.monotonicNanoseconds() + Self.nanoseconds(c.idleTimeout)
            }
        } else if deadlineKind != .header {
            deadlineKind = .header
            let now = SocketSystem.monotonicNanoseconds()
            requestStarted = now
            deadline = now + Self.nanoseconds(c.headerTimeout)
        }
    }

    // MARK: - Responding

    /// Queues the responder's answer to the request in flight (loop thread).
    func complete(_ response: HTTPResponse) {
        guard !isClosed, phase == .responding else { return }
        let close = !currentKeepAlive || loop.isShuttingDown || peerClosed
        finish(response, close: close)
        if phase == .reading {
            if !readInterest { setInterest(read: true, write: writeInterest) }
            processInput()
        }
    }

    private func finish(_ response: HTTPResponse, close: Bool) {
        loop.serializer.append(
            response, to: &output, headOnly: currentIsHead, close: close,
            keepAlive10: currentIsHTTP10 && !close
        )
        if loop.server.accessLog != nil {
            let now = SocketSystem.monotonicNanoseconds()
            loop.logFormatter.append(
                to: &loop.logBuffer, method: currentMethod, target: currentTarget, status: response.status.code,
                nanoseconds: now >= requestStarted ? now - requestStarted : 0, context: currentContext
            )
        }
        currentContext = nil
        requestStarted = 0
        loop.markDirty(self)
        if close {
            phase = .closing
            deadlineKind = .none
        } else {
            phase = .reading
            deadlineKind = .none
        }
    }

    // MARK: - Writing

    func onWritable() { flush() }

    /// Writes as much queued output as the socket takes.
    func flush() {
        guard !isClosed else { return }
        if outputOffset < output.count {
            // Locals, not properties, inside the loop: no exclusivity checks per iteration.
            var offset = outputOffset
            let fd = self.fd
            let ok = output.withUnsafeBytes { raw -> Bool in
                guard let base = raw.baseAddress else { return true }
                while offset < raw.count {
                    let n = SocketSystem.send(fd, base + offset, raw.count - offset)
                    if n > 0 {
                        offset += n
                        continue
                    }
                    let code = SocketSystem.lastError
                    if code == EINTR { continue }
                    return SocketSystem.isWouldBlock(code)
                }
                return true
            }
            outputOffset = offset
            guard ok else {
                close()
                return
            }
            if outputOffset < output.count {
                writeDeadline = SocketSystem.monotonicNanoseconds() + Self.nanoseconds(loop.server.configuration.idleTimeout)
                if !writeInterest { setInterest(read: readInterest, write: true) }
                return
            }
            output.removeAll(keepingCapacity: output.capacity <= 64 * 1024)
            outputOffset = 0
            writeDeadline = .max
        }
        if writeInterest { setInterest(read: readInterest, write: false) }
        switch phase {
        case .closing:
            startLingering()
        case .reading:
            if peerClosed && start == end { close() }
        case .responding, .lingering:
            break
        }
    }

    private func startLingering() {
        if peerClosed {
            close()
            return
        }
        phase = .lingering
        _ = shutdown(fd, Int32(SHUT_WR))
        start = 0
        end = 0
        deadlineKind = .linger
        deadline = SocketSystem.monotonicNanoseconds() + 2_000_000_000
        if !readInterest { setInterest(read: true, write: false) }
    }

    private func setInterest(read: Bool, write: Bool) {
        guard !isClosed, read != readInterest || write != writeInterest else { return }
        readInterest = read
        writeInterest = write
        loop.poller.modify(fd, read: read, write: write)
    }

    // MARK: - Time and shutdown

    func checkDeadline(_ now: UInt64) {
        guard !isClosed else { return }
        if now > writeDeadline {
            close()
            return
        }
        guard deadlineKind != .none, now > deadline else { return }
        switch deadlineKind {
        case .header, .body:
            guard phase == .reading else { return }
            currentMethod = "-"
            currentTarget = "-"
            currentContext = nil
            currentIsHead = false
            currentIsHTTP10 = false
            if requestStarted == 0 { requestStarted = deadline }
            finish(HTTPResponseSerializer.errorResponse(.requestTimeout, "request not received in time"), close: true)
        case .idle, .linger:
            close()
        case .none:
            break
        }
    }

    /// Graceful shutdown: idle connections close now, busy ones after their response.
    func shutdownRequested() {
        if phase == .reading && start == end && parser.isBetweenRequests && outputOffset >= output.count {
            close()
        }
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        loop.poller.remove(fd)
        SocketSystem.close(fd)
        output = []
        loop.connectionDidClose(self)
    }
}
