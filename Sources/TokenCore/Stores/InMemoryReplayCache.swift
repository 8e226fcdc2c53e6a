public import Foundation

/// A bounded, in-process ``ReplayCache`` that forgets entries only once they have expired.
///
/// Entries live in a hash table, with a min-heap of expiry times beside it: each insertion first
/// evicts whatever has expired (amortised O(log n)), then refuses with
/// ``ReplayCacheError/Code/full`` if `capacity` live entries remain. It never evicts a live
/// entry, so memory is bounded and a replay is never let through; the cost of a burst beyond
/// capacity is refused tokens (HTTP 503) until entries expire.
///
/// Size it as peak accepted tokens per second × (past tolerance + future tolerance); the default
/// 100 000 covers about 300 tokens per second with the verifier's default 330 s window, in
/// roughly 20 MB.
///
/// A lock-protected class rather than an actor: the critical section is a few hundred
/// nanoseconds of table work that never suspends and sits on every request's path, and a lock
/// avoids an executor hop per request. The lock is never held across an `await`.
public final class InMemoryReplayCache: ReplayCache, @unchecked Sendable {
    /// The most entries held at once.
    public let capacity: Int

    private struct Entry: Hashable {
        var keyID: String
        var nonce: [UInt8]

        /// The nonce is hashed as one block of bytes: `[UInt8]`'s own hashing feeds the hasher
        /// a byte at a time, which costs more than the rest of an insertion. Equality is still
        /// the synthesized field-by-field comparison.
        func hash(into hasher: inout Hasher) {
            hasher.combine(keyID)
            hasher.combine(nonce.count)
            nonce.withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }

    private struct State {
        var expiries: [Entry: Int64] = [:]
        /// Min-heap on expiry (Unix ms).
        var heap: [(expiry: Int64, entry: Entry)] = []
    }

    // `Locked` serialises every access; `@unchecked Sendable` rests on it.
    private let state: Locked<State>

    /// - Parameter capacity: The most live entries, at least 1. Default 100 000.
    public init(capacity: Int = 100_000) {
        self.capacity = max(1, capacity)
        var state = State()
        // Sized up front (up to 2^18 entries, a few MB) so that a burst of insertions does not
        // pay for rehashing the whole table as it grows.
        let reserved = min(self.capacity, 1 << 18)
        state.expiries.reserveCapacity(reserved)
        state.heap.reserveCapacity(reserved)
        self.state = Locked(state)
    }

    /// Records `(keyID, nonce)` until `expiresAt` unless already recorded; see ``ReplayCache``.
    /// - Throws: ``ReplayCacheError`` `full` when `capacity` live entries remain after eviction.
    public func insertIfAbsent(keyID: String, nonce: [UInt8], expiresAt: Date, now: Date) async throws -> ReplayCacheInsertion {
        try insertNow(keyID: keyID, nonce: nonce, expiresAt: expiresAt.unixMilliseconds, now: now.unixMilliseconds)
    }

    /// The synchronous core of ``insertIfAbsent(keyID:nonce:expiresAt:now:)``, in Unix milliseconds.
    func insertNow(keyID: String, nonce: [UInt8], expiresAt: Int64, now: Int64) throws(ReplayCacheError) -> ReplayCacheInsertion {
        let entry = Entry(keyID: keyID, nonce: nonce)
        let capacity = self.capacity
        return try state.withLock { s -> Result<ReplayCacheInsertion, ReplayCacheError> in
            Self.evict(&s, now: now)
            guard s.expiries.count < capacity else {
                if s.expiries[entry] != nil { return .success(.alreadyPresent) }
                return .failure(ReplayCacheError(.full, "the replay cache holds \(capacity) live entries; refusing new tokens until some expire"))
            }
            // Insert-if-absent with one hash and one probe: the defaulting subscript inserts
            // `expiresAt` only when the entry is new (adding 0 leaves an existing one as it was).
            let before = s.expiries.count
            s.expiries[entry, default: expiresAt] &+= 0
            guard s.expiries.count != before else { return .success(.alreadyPresent) }
            Self.push(&s.heap, (expiresAt, entry))
            return .success(.inserted)
        }.get()
    }

    /// The number of entries held (live, or expired and not yet evicted).
    public var count: Int { state.withLock { $0.expiries.count } }

    /// Forgets every entry that expired before `now`.
    public func removeExpired(now: Date) {
        let ms = now.unixMilliseconds
        state.withLock { Self.evict(&$0, now: ms) }
    }

    /// Entries expire strictly after their `expiresAt`, so a token is remembered through its
    /// last acceptable millisecond.
    private static func evict(_ s: inout State, now: Int64) {
        while let top = s.heap.first, top.expiry < now {
            s.expiries[top.entry] = nil
            pop(&s.heap)
        }
    }

    private static func push(_ heap: inout [(expiry: Int64, entry: Entry)], _ item: (Int64, Entry)) {
        heap.append(item)
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard heap[i].expiry < heap[parent].expiry else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    private static func pop(_ heap: inout [(expiry: Int64, entry: Entry)]) {
        guard !heap.isEmpty else { return }
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var smallest = i
            if l < heap.count, heap[l].expiry < heap[smallest].expiry { smallest = l }
            if r < heap.count, heap[r].expiry < heap[smallest].expiry { smallest = r }
            guard smallest != i else { return }
            heap.swapAt(i, smallest)
            i = smallest
        }
    }
}
