import Foundation

/// A value guarded by a lock, for shared mutable state that must be read synchronously.
///
/// Used where an actor would force `async` onto a synchronous API (clocks, counters, the
/// in-memory replay cache's table). The lock is never held across an `await`.
///
/// The value lives in memory this object allocates, not in a stored property: the lock already
/// makes access exclusive, and a stored `var` passed `inout` would add the runtime's dynamic
/// exclusivity check (a thread-local access set updated twice per call) to every request.
package final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private let value: UnsafeMutablePointer<Value>

    package init(_ value: Value) {
        self.value = UnsafeMutablePointer<Value>.allocate(capacity: 1)
        self.value.initialize(to: value)
    }

    deinit {
        value.deinitialize(count: 1)
        value.deallocate()
    }

    package func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value.pointee)
    }
}
