public import Foundation

/// The current wall-clock time, injected into every validator so tests control time.
///
/// Validators never call `Date()` themselves: they ask their clock. Tests use ``ManualClock`` and
/// move it forward instead of sleeping.
public protocol WallClock: Sendable {
    /// The current time.
    func now() -> Date
}

/// The system's real-time clock.
public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that only moves when told to. For tests and deterministic tools.
public final class ManualClock: WallClock, @unchecked Sendable {
    // A lock rather than an actor: `now()` must be synchronous like every other clock.
    private let lock = NSLock()
    private var current: Date

    /// Creates a clock stopped at `date`.
    public init(_ date: Date) { current = date }

    /// Creates a clock stopped at `seconds` since 1970-01-01T00:00:00Z.
    public convenience init(unixSeconds seconds: Double) { self.init(Date(timeIntervalSince1970: seconds)) }

    public func now() -> Date { lock.withLock { current } }

    /// Moves the clock to `date` (forwards or backwards).
    public func set(_ date: Date) { lock.withLock { current = date } }

    /// Moves the clock by `seconds` (negative moves it back).
    public func advance(by seconds: TimeInterval) { lock.withLock { current += seconds } }
}

extension Date {
    /// Whole milliseconds since 1970-01-01T00:00:00Z, rounded to the nearest millisecond.
    ///
    /// Rounding (not truncation) makes `Date(timeIntervalSince1970: ms / 1000)` map back to `ms`
    /// exactly, which the millisecond-based dynamic-token formats rely on.
    public var unixMilliseconds: Int64 {
        let ms = (timeIntervalSince1970 * 1000).rounded()
        guard ms.isFinite, ms < 9.2e18, ms > -9.2e18 else { return ms < 0 ? .min : .max }
        return Int64(ms)
    }

    /// The date `milliseconds` after 1970-01-01T00:00:00Z.
    public init(unixMilliseconds milliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
