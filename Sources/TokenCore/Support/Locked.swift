import Foundation

/// A value guarded by a lock, for shared mutable state that must be read synchronously.
///
/// Used where an actor would force `async` onto a synchronous API (clocks, counters). The lock is
/// never held across an `await`.
package final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    package init(_ value: Value) { self.value = value }

    package func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
