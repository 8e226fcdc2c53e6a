import Foundation
import TokenCore
import TokenMiddleware
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One thread that owns a set of connections: it waits for readiness with a ``Poller``, reads and
/// parses requests, runs the responder, and writes responses.
///
/// It is also a Swift `TaskExecutor`. Each request runs in a `Task` whose executor preference is
/// the loop that owns the connection, so a responder that does not suspend on another executor
/// runs start to finish on this thread, inside the loop iteration that read the request: no
/// thread hop, no wake-up system call, and the response is written in the same batch as the
/// other responses of that iteration. (Measured on 2 cores against a plain `Task {}` that hops to
/// the global pool and back: see Docs/ExampleServer.md.) Work that does suspend elsewhere (an
/// actor-backed store) resumes through ``enqueue(_:)`` from another thread, which queues the job
/// under a lock and wakes the poller.
///
/// State is confined to the loop's thread, except the remote queue (lock-protected).
final class EventLoop: @unchecked Sendable {
    let index: Int
    unowned let server: HTTPServer
    let poller: Poller
    private var connections: [Int32: HTTPConnection] = [:]
    private var events: [Poller.Event] = []
    private var localJobs: [UnownedJob] = []
    private var runningJobs: [UnownedJob] = []
    private var dirty: [HTTPConnection] = []
    private var thread: pthread_t?
    private struct Remote {
        var jobs: [UnownedJob] = []
        var closures: [@Sendable () -> Void] = []
        var wakePending = false
    }
    private let remote = Locked(Remote())
    private var shuttingDown = false
    private var graceDeadline: UInt64 = 0
    private var nextTimerCheck: UInt64 = 0
    private let tickNanoseconds: UInt64
    var serializer = HTTPResponseSerializer()
    var logFormatter = AccessLogFormatter()
    var logBuffer: [UInt8] = []

    init(index: Int, server: HTTPServer) throws(HTTPServerError) {
        self.index = index
        self.server = server
        self.poller = try Poller()
        let c = server.configuration
        let smallest = min(c.headerTimeout, c.bodyTimeout, c.idleTimeout)
        // Timers are checked at a quarter of the shortest timeout (at most every 250 ms).
        tickNanoseconds = UInt64(max(0.005, min(0.25, smallest / 4)) * 1e9)
    }

    /// Whether the caller runs on this loop's thread.
    var inLoop: Bool {
        guard let thread else { return false }
        return pthread_equal(thread, pthread_self()) != 0
    }

    /// Number of open connections on this loop (loop thread only).
    var connectionCount: Int { connections.count }

    /// Runs `body` on the loop's thread: now if already there, otherwise at the next iteration.
    func execute(_ body: @escaping @Sendable () -> Void) {
        if inLoop {
            body()
            return
        }
        let wake = remote.withLock { r -> Bool in
            r.closures.append(body)
            defer { r.wakePending = true }
            return !r.wakePending
        }
        if wake { poller.wake() }
    }

    // MARK: - Jobs

    func enqueueJob(_ job: UnownedJob) {
        if inLoop {
            localJobs.append(job)
            return
        }
        let wake = remote.withLock { r -> Bool in
            r.jobs.append(job)
            defer { r.wakePending = true }
            return !r.wakePending
        }
        if wake { poller.wake() }
    }

    private func drainRemote() {
        let (jobs, closures) = remote.withLock { r -> ([UnownedJob], [@Sendable () -> Void]) in
            r.wakePending = false
            guard !r.jobs.isEmpty || !r.closures.isEmpty else { return ([], []) }
            defer {
                r.jobs.removeAll(keepingCapacity: true)
                r.closures.removeAll(keepingCapacity: true)
            }
            return (r.jobs, r.closures)
        }
        localJobs.append(contentsOf: jobs)
        for body in closures { body() }
    }

    private func runJobs() {
        var rounds = 0
        while !localJobs.isEmpty, rounds < 64 {
            swap(&localJobs, &runningJobs)
            for job in runningJobs { run(job) }
            runningJobs.removeAll(keepingCapacity: true)
            rounds += 1
        }
    }

    private func run(_ job: UnownedJob) {
        // Jobs only arrive through the TaskExecutor conformance, which has the same availability.
        if #available(macOS 15, iOS 18, tvOS 18, watchOS 11, *) {
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }

    // MARK: - Requests

    /// Runs the server's responder for `request` and hands the response back to `connection`.
    func dispatch(_ request: HTTPRequest, for connection: HTTPConnection) {
        let responder = server.responder
        if server.configuration.runsHandlersOnEventLoop, #available(macOS 15, iOS 18, tvOS 18, watchOS 11, *) {
            Task(executorPreference: self) {
                let response = await Self.respond(responder, request)
                self.deliver(response, to: connection)
            }
        } else {
            Task {
                let response = await Self.respond(responder, request)
                self.deliver(response, to: connection)
            }
        }
    }

    private func deliver(_ response: HTTPResponse, to connection: HTTPConnection) {
        if inLoop {
            connection.complete(response)
        } else {
            execute { connection.complete(response) }
        }
    }

    private static func respond(_ responder: any Responder, _ request: HTTPRequest) async -> HTTPResponse {
        do {
            return try await responder.respond(to: request)
        } catch {
            // The app's error middleware normally answers first; this is the last resort, and
            // says nothing about the error.
            return HTTPResponseSerializer.errorResponse(.internalServerError, "internal server error")
        }
    }

    /// Schedules `connection` to be flushed at the end of this iteration.
    func markDirty(_ connection: HTTPConnection) {
        guard !connection.isDirty else { return }
        connection.isDirty = true
        dirty.append(connection)
    }

    // MARK: - Loop

    /// The loop body; returns after shutdown when its last connection has closed.
    func run() {
        thread = pthread_self()
        if server.listenFD >= 0 { poller.add(server.listenFD, read: true, write: false, exclusive: true) }
        let tickMilliseconds = Int32(max(1, tickNanoseconds / 1_000_000))
        while true {
            let hasWork = !localJobs.isEmpty || remote.withLock { !$0.jobs.isEmpty || !$0.closures.isEmpty }
            poller.wait(timeoutMilliseconds: hasWork ? 0 : tickMilliseconds, into: &events)
            for event in events {
                if event.fd == server.listenFD {
                    acceptConnections()
                } else if let connection = connections[event.fd] {
                    if event.writable { connection.onWritable() }
                    if event.readable, !connection.isClosed { connection.onReadable() }
                }
            }
            drainRemote()
            runJobs()
            flushDirty()
            flushLog()
            let now = SocketSystem.monotonicNanoseconds()
            if now >= nextTimerCheck {
                nextTimerCheck = now + tickNanoseconds
                checkTimers(now)
            }
            if shuttingDown {
                if connections.isEmpty && localJobs.isEmpty { break }
                if now >= graceDeadline {
                    for connection in Array(connections.values) { connection.close() }
                    break
                }
            }
        }
        flushLog()
        server.loopDidStop(self)
    }

    private func flushDirty() {
        guard !dirty.isEmpty else { return }
        let batch = dirty
        dirty.removeAll(keepingCapacity: true)
        for connection in batch {
            connection.isDirty = false
            connection.flush()
        }
    }

    func flushLog() {
        guard !logBuffer.isEmpty else { return }
        server.accessLog?.write(logBuffer)
        logBuffer.removeAll(keepingCapacity: true)
    }

    private func acceptConnections() {
        guard !shuttingDown else { return }
        for _ in 0..<64 {
            guard let (fd, peer) = SocketSystem.accept(server.listenFD) else { return }
            guard server.reserveConnection() else {
                // Over the cap: a short 503, best effort, and close.
                var out: [UInt8] = []
                serializer.append(
                    HTTPResponseSerializer.errorResponse(.serviceUnavailable, "too many connections"),
                    to: &out, headOnly: false, close: true, keepAlive10: false
                )
                _ = out.withUnsafeBytes { SocketSystem.send(fd, $0.baseAddress!, $0.count) } // safe: non-empty array
                logFormatter.append(to: &logBuffer, method: "-", target: "-", status: 503, nanoseconds: 0, context: nil)
                SocketSystem.close(fd)
                continue
            }
            let connection = HTTPConnection(fd: fd, peer: SocketSystem.describe(peer), loop: self)
            connections[fd] = connection
            poller.add(fd, read: true, write: false)
        }
    }

    /// Forgets a closed connection (called by ``HTTPConnection/close()``).
    func connectionDidClose(_ connection: HTTPConnection) {
        connections[connection.fd] = nil
        server.releaseConnection()
    }

    private func checkTimers(_ now: UInt64) {
        for connection in connections.values { connection.checkDeadline(now) }
    }

    /// Stops accepting, closes idle connections, lets busy ones finish (loop thread).
    func beginShutdown() {
        guard !shuttingDown else { return }
        shuttingDown = true
        graceDeadline = SocketSystem.monotonicNanoseconds() + UInt64(max(0, server.configuration.shutdownGracePeriod) * 1e9)
        if server.listenFD >= 0 { poller.remove(server.listenFD) }
        for connection in Array(connections.values) { connection.shutdownRequested() }
    }

    var isShuttingDown: Bool { shuttingDown }
}

@available(macOS 15, iOS 18, tvOS 18, watchOS 11, *)
extension EventLoop: TaskExecutor {
    func enqueue(_ job: consuming ExecutorJob) {
        enqueueJob(UnownedJob(job))
    }
}
