public import Foundation
public import TokenCore

/// Counts failed authentication attempts per client so that guessing can be throttled.
///
/// The contract: ``recordFailure(from:)`` is called once per refused credential;
/// ``isLimited(_:)`` says whether a client has failed so often recently that its next attempt
/// should be refused without even looking the credential up. Both are synchronous and cheap
/// (they run on the request path) and an implementation keeps its memory bounded whatever the
/// number of distinct clients.
public protocol AuthenticationFailureLimiter: Sendable {
    /// Whether `client` is currently over its failure budget.
    func isLimited(_ client: String) -> Bool
    /// Counts one failed attempt by `client`.
    func recordFailure(from client: String)
}

/// A fixed-window failure counter per client address, with bounded memory.
///
/// A client that fails ``maximumFailures`` times within one ``window`` is limited until that
/// window ends. At most ``maximumClients`` addresses are tracked: when the table is full,
/// finished windows are dropped first, then the oldest half, so an attacker rotating
/// addresses costs memory proportional to the bound, not to the attack.
///
/// ```swift
/// let limiter = FailedAttemptLimiter(maximumFailures: 20, window: 60)
/// let apiKeys = APIKeyAuthenticator(verifier: verifier, failureLimiter: limiter)
/// ```
///
/// A lock-protected class rather than an actor: it is consulted synchronously on every
/// authentication and the lock is held only for a dictionary operation.
public final class FailedAttemptLimiter: AuthenticationFailureLimiter, @unchecked Sendable {
    struct Entry {
        var windowStart: Date
        var failures: Int
    }

    /// Failures allowed per window before a client is limited.
    public let maximumFailures: Int
    /// The window length in seconds.
    public let window: TimeInterval
    /// The most client addresses tracked at once.
    public let maximumClients: Int
    private let clock: any WallClock
    private let lock = NSLock()
    private var entries: [String: Entry] = [:]

    /// Creates a limiter.
    /// - Parameters:
    ///   - maximumFailures: Failures per window before limiting (at least 1).
    ///   - window: Window length in seconds.
    ///   - maximumClients: Bound on tracked addresses (at least 1).
    ///   - clock: The time source, injected so tests need not wait.
    public init(maximumFailures: Int = 20, window: TimeInterval = 60, maximumClients: Int = 10_000, clock: any WallClock = SystemClock()) {
        self.maximumFailures = max(1, maximumFailures)
        self.window = max(0, window)
        self.maximumClients = max(1, maximumClients)
        self.clock = clock
    }

    public func isLimited(_ client: String) -> Bool {
        let now = clock.now()
        return lock.withLock {
            guard let entry = entries[client], isCurrent(entry, now) else { return false }
            return entry.failures >= maximumFailures
        }
    }

    public func recordFailure(from client: String) {
        let now = clock.now()
        lock.withLock {
            if var entry = entries[client], isCurrent(entry, now) {
                entry.failures += 1
                entries[client] = entry
                return
            }
            if entries[client] == nil, entries.count >= maximumClients { evict(now) }
            entries[client] = Entry(windowStart: now, failures: 1)
        }
    }

    /// The number of addresses currently tracked.
    public var trackedClientCount: Int { lock.withLock { entries.count } }

    private func isCurrent(_ entry: Entry, _ now: Date) -> Bool {
        let age = now.timeIntervalSince(entry.windowStart)
        return age >= 0 && age < window
    }

    /// Makes room: drops finished windows, then, if still full, the older half.
    private func evict(_ now: Date) {
        entries = entries.filter { isCurrent($0.value, now) }
        guard entries.count >= maximumClients else { return }
        let newestFirst = entries.sorted { $0.value.windowStart > $1.value.windowStart }
        entries = Dictionary(uniqueKeysWithValues: newestFirst.prefix(maximumClients / 2).map { ($0.key, $0.value) })
    }
}
