import Foundation
import TokenCore
import TokenMiddleware

/// An HTTP/1.1 server on POSIX sockets that serves any ``Responder``.
///
/// ```swift
/// let server = try HTTPServer.start(configuration: config, responder: router)
/// print("listening on port \(server.port)")
/// await server.runUntilSignalled()  // SIGINT / SIGTERM → graceful shutdown
/// ```
///
/// One ``EventLoop`` thread per core shares the listening socket (`EPOLLEXCLUSIVE` on Linux), so
/// each accepted connection lives on one loop for its lifetime. See ``HTTPServerConfiguration``
/// for limits and timeouts.
final class HTTPServer: @unchecked Sendable {
    let configuration: HTTPServerConfiguration
    let responder: any Responder
    let accessLog: (any AccessLogSink)?
    /// The listening socket (immutable after start; closed when every loop has stopped).
    let listenFD: Int32
    /// The bound port (the kernel's choice when configured with `0`).
    let port: Int
    private var loops: [EventLoop] = []
    private struct State {
        var open = 0
        var running = 0
        var stopped = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }
    private let state = Locked(State())

    private init(configuration: HTTPServerConfiguration, responder: any Responder, accessLog: (any AccessLogSink)?, listenFD: Int32, port: Int) {
        self.configuration = configuration
        self.responder = responder
        self.accessLog = accessLog
        self.listenFD = listenFD
        self.port = port
    }

    /// Binds the listening socket and starts the event-loop threads.
    /// - Parameters:
    ///   - configuration: address, limits, timeouts.
    ///   - responder: answers every request (usually a ``Router``).
    ///   - accessLog: where access-log lines go; `nil` disables the log.
    /// - Returns: the running server.
    /// - Throws: ``HTTPServerError`` when the address cannot be bound or the poller set up.
    static func start(
        configuration: HTTPServerConfiguration, responder: any Responder, accessLog: (any AccessLogSink)? = FileDescriptorLogSink()
    ) throws(HTTPServerError) -> HTTPServer {
        guard configuration.maxConnections > 0, configuration.maxBodyBytes >= 0, configuration.maxHeaderCount > 0,
              configuration.maxRequestLineBytes >= 16, configuration.maxHeaderBytes >= 64,
              configuration.headerTimeout > 0, configuration.bodyTimeout > 0, configuration.idleTimeout > 0 else {
            throw HTTPServerError(.configuration, "limits and timeouts must be positive")
        }
        SocketSystem.ignoreSIGPIPE()
        let (fd, port) = try SocketSystem.listen(host: configuration.host, port: configuration.port, backlog: configuration.backlog)
        let server = HTTPServer(configuration: configuration, responder: responder, accessLog: accessLog, listenFD: fd, port: port)
        let count = configuration.eventLoops > 0 ? configuration.eventLoops : max(1, ProcessInfo.processInfo.activeProcessorCount)
        do {
            for index in 0..<count { server.loops.append(try EventLoop(index: index, server: server)) }
        } catch {
            SocketSystem.close(fd)
            throw error
        }
        server.state.withLock { $0.running = server.loops.count }
        for loop in server.loops {
            // The thread keeps the server alive until its loop has returned: loops and
            // connections reach the server through unowned references, and a caller that drops
            // the server without waiting for `waitUntilStopped()` must not free it under them.
            let thread = Thread {
                loop.run()
                withExtendedLifetime(server) {}
            }
            thread.name = "http-loop-\(loop.index)"
            thread.stackSize = 1 << 20
            thread.start()
        }
        return server
    }

    /// Number of open connections across all loops.
    var openConnections: Int { state.withLock { $0.open } }

    func reserveConnection() -> Bool {
        state.withLock { s in
            guard s.open < configuration.maxConnections else { return false }
            s.open += 1
            return true
        }
    }

    func releaseConnection() {
        state.withLock { $0.open -= 1 }
    }

    /// Starts a graceful shutdown: stop accepting, close idle connections, finish in-flight
    /// requests (each answered with `Connection: close`), force-close what remains after
    /// ``HTTPServerConfiguration/shutdownGracePeriod``. Returns at once; see ``waitUntilStopped()``.
    func shutdown() {
        for loop in loops {
            loop.execute { loop.beginShutdown() }
        }
    }

    func loopDidStop(_ loop: EventLoop) {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.running -= 1
            guard s.running == 0 else { return [] }
            s.stopped = true
            defer { s.waiters = [] }
            return s.waiters
        }
        if state.withLock({ $0.stopped }) && !waiters.isEmpty || state.withLock({ $0.stopped && $0.running == 0 }) {
            closeListenerOnce()
        }
        for waiter in waiters { waiter.resume() }
    }

    private let listenerClosed = Locked(false)
    private func closeListenerOnce() {
        let close = listenerClosed.withLock { closed -> Bool in
            defer { closed = true }
            return !closed
        }
        if close { SocketSystem.close(listenFD) }
    }

    /// Returns when every loop has stopped after ``shutdown()``.
    func waitUntilStopped() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { s -> Bool in
                if s.stopped { return true }
                s.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Serves until SIGINT or SIGTERM, then shuts down gracefully and returns.
    func runUntilSignalled() async {
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let queue = DispatchQueue(label: "signals")
        let sources = [SIGINT, SIGTERM].map { DispatchSource.makeSignalSource(signal: $0, queue: queue) }
        for source in sources {
            source.setEventHandler { [self] in
                FileHandle.standardError.write(Data("shutting down: finishing in-flight requests\n".utf8))
                shutdown()
            }
            source.resume()
        }
        await waitUntilStopped()
        for source in sources { source.cancel() }
    }
}
