#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
#if os(Linux)
// epoll and eventfd: the branch below is guarded by os(Linux), so the import is too (Glibc or
// Musl alike).
import CExampleServerEpoll
#endif

/// Readiness notification for one event loop: epoll on Linux, poll(2) elsewhere.
///
/// Level-triggered: a descriptor stays reported while it is readable (or writable, when write
/// interest is on). A wake-up descriptor (eventfd / pipe) lets other threads interrupt a wait.
/// Confined to its loop's thread except ``wake()``, which any thread may call.
final class Poller: @unchecked Sendable {
    struct Event {
        var fd: Int32
        var readable: Bool
        var writable: Bool
        /// Error or hang-up on the descriptor.
        var failed: Bool
    }

    #if os(Linux)
    private let epfd: Int32
    private let wakeFD: Int32
    private var buffer: [epoll_event]
    #else
    private let wakePipe: (read: Int32, write: Int32)
    private var interests: [Int32: (read: Bool, write: Bool)] = [:]
    private var pollfds: [pollfd] = []
    #endif

    init(capacity: Int = 512) throws(HTTPServerError) {
        #if os(Linux)
        epfd = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epfd >= 0 else { throw HTTPServerError(.poller, "epoll_create1 failed: errno \(errno)") }
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard wakeFD >= 0 else {
            SocketSystem.close(epfd)
            throw HTTPServerError(.poller, "eventfd failed: errno \(errno)")
        }
        buffer = [epoll_event](repeating: epoll_event(), count: capacity)
        var ev = epoll_event()
        ev.events = EPOLLIN.rawValue
        ev.data.fd = wakeFD
        _ = epoll_ctl(epfd, EPOLL_CTL_ADD, wakeFD, &ev)
        #else
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw HTTPServerError(.poller, "pipe failed: errno \(errno)") }
        _ = SocketSystem.makeNonBlocking(fds[0])
        _ = SocketSystem.makeNonBlocking(fds[1])
        wakePipe = (fds[0], fds[1])
        interests[fds[0]] = (true, false)
        #endif
    }

    deinit {
        #if os(Linux)
        SocketSystem.close(wakeFD)
        SocketSystem.close(epfd)
        #else
        SocketSystem.close(wakePipe.read)
        SocketSystem.close(wakePipe.write)
        #endif
    }

    /// Starts watching `fd`. `exclusive` (a listening socket shared by several loops) wakes only
    /// one loop per connection on Linux (`EPOLLEXCLUSIVE`).
    func add(_ fd: Int32, read: Bool, write: Bool, exclusive: Bool = false) {
        #if os(Linux)
        var ev = epoll_event()
        ev.events = mask(read: read, write: write) | (exclusive ? EPOLLEXCLUSIVE.rawValue : 0)
        ev.data.fd = fd
        _ = epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev)
        #else
        interests[fd] = (read, write)
        #endif
    }

    /// Changes what `fd` is watched for.
    func modify(_ fd: Int32, read: Bool, write: Bool) {
        #if os(Linux)
        var ev = epoll_event()
        ev.events = mask(read: read, write: write)
        ev.data.fd = fd
        _ = epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev)
        #else
        interests[fd] = (read, write)
        #endif
    }

    /// Stops watching `fd` (call before closing it).
    func remove(_ fd: Int32) {
        #if os(Linux)
        var ev = epoll_event()
        _ = epoll_ctl(epfd, EPOLL_CTL_DEL, fd, &ev)
        #else
        interests[fd] = nil
        #endif
    }

    #if os(Linux)
    private func mask(read: Bool, write: Bool) -> UInt32 {
        (read ? EPOLLIN.rawValue : 0) | (write ? EPOLLOUT.rawValue : 0)
    }
    #endif

    /// Interrupts a current or the next ``wait(timeoutMilliseconds:into:)``. Thread-safe.
    func wake() {
        #if os(Linux)
        let one: UInt64 = 1
        withUnsafeBytes(of: one) { SocketSystem.writeAll(wakeFD, $0) }
        #else
        // A full pipe already holds a pending wake-up: the short write is dropped, not retried.
        let one: UInt8 = 1
        withUnsafeBytes(of: one) { SocketSystem.writeAll(wakePipe.write, $0) }
        #endif
    }

    /// Waits up to `timeoutMilliseconds` (`0`: do not block) and fills `events` with the ready
    /// descriptors (wake-ups are consumed here, not reported).
    func wait(timeoutMilliseconds: Int32, into events: inout [Event]) {
        events.removeAll(keepingCapacity: true)
        #if os(Linux)
        let n = buffer.withUnsafeMutableBufferPointer {
            epoll_wait(epfd, $0.baseAddress, Int32($0.count), timeoutMilliseconds)
        }
        guard n > 0 else { return }
        for k in 0..<Int(n) {
            let ev = buffer[k]
            let fd = ev.data.fd
            if fd == wakeFD {
                var value: UInt64 = 0
                _ = withUnsafeMutableBytes(of: &value) { raw in
                    raw.baseAddress.map { SocketSystem.read(wakeFD, $0, raw.count) }
                }
                continue
            }
            let failed = ev.events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0
            events.append(Event(
                fd: fd, readable: ev.events & EPOLLIN.rawValue != 0 || failed,
                writable: ev.events & EPOLLOUT.rawValue != 0, failed: failed
            ))
        }
        #else
        pollfds.removeAll(keepingCapacity: true)
        for (fd, interest) in interests {
            var events: Int16 = 0
            if interest.read { events |= Int16(POLLIN) }
            if interest.write { events |= Int16(POLLOUT) }
            pollfds.append(pollfd(fd: fd, events: events, revents: 0))
        }
        let n = pollfds.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), timeoutMilliseconds) }
        guard n > 0 else { return }
        for p in pollfds where p.revents != 0 {
            if p.fd == wakePipe.read {
                var drain = [UInt8](repeating: 0, count: 64)
                let count = drain.count
                drain.withUnsafeMutableBytes { raw in
                    guard let base = raw.baseAddress else { return }
                    while SocketSystem.read(wakePipe.read, base, count) > 0 {}
                }
                continue
            }
            let failed = p.revents & Int16(POLLERR | POLLHUP | POLLNVAL) != 0
            events.append(Event(
                fd: p.fd, readable: p.revents & Int16(POLLIN) != 0 || failed,
                writable: p.revents & Int16(POLLOUT) != 0, failed: failed
            ))
        }
        #endif
    }
}
