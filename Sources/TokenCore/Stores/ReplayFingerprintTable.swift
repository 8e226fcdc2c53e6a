/// The table behind ``InMemoryReplayCache``: 128-bit fingerprints of `(key id, nonce)` with
/// their expiry, in one flat array.
///
/// Open addressing with linear probing from the fingerprint's low bits, and backward-shift
/// deletion, so there are no tombstones and a probe always ends at an empty slot. At most half
/// the slots are ever occupied (the table doubles up to the size `capacity` needs), so probes
/// stay short. Expiry is lazy: an expired entry met on a probe path is reused, each insertion
/// sweeps two slots at a moving cursor, and a full sweep runs only when the table holds
/// `capacity` entries and one of them may have expired. A live entry is never removed: when
/// `capacity` live entries remain, ``insert(_:expiresAt:now:)`` answers ``Outcome/full``.
///
/// Not synchronised: ``InMemoryReplayCache`` holds it under a lock.
struct ReplayFingerprintTable {
    /// One slot: a fingerprint and the last millisecond its entry lives. `low == 0` marks an
    /// empty slot; fingerprints always have their lowest bit set.
    struct Slot {
        var high: UInt64
        var low: UInt64
        var expiry: Int64

        static let empty = Slot(high: 0, low: 0, expiry: 0)
    }

    /// What ``insert(_:expiresAt:now:)`` did.
    enum Outcome: Equatable {
        case inserted
        case alreadyPresent
        /// `capacity` live entries remain; nothing was recorded.
        case full
    }

    /// The most entries held at once.
    let capacity: Int
    /// The size the table stops growing at: twice `capacity`, rounded up to a power of two.
    let maximumSlotCount: Int
    private(set) var slots: [Slot]
    /// Entries held, live or expired and not yet removed.
    private(set) var count = 0
    /// A lower bound of the expiries held (exact after ``removeExpired(now:)``): while `now`
    /// does not exceed it, nothing can be swept and a full table answers at once.
    private(set) var earliestExpiry = Int64.max
    private var sweepCursor = 0

    /// Slots examined by the incremental sweep on each insertion.
    static let sweepStepsPerInsertion = 2

    /// - Parameters:
    ///   - capacity: The most entries held, 1 to 2^30.
    ///   - initialCapacity: The entries the first allocation has room for (it grows by doubling
    ///     up to `capacity`).
    init(capacity: Int, initialCapacity: Int) {
        self.capacity = capacity
        self.maximumSlotCount = Self.slotCount(for: capacity)
        self.slots = Array(repeating: .empty, count: Self.slotCount(for: min(capacity, max(1, initialCapacity))))
    }

    /// Twice `entries`, rounded up to a power of two (at least 8 slots).
    static func slotCount(for entries: Int) -> Int {
        var n = 8
        while n < 2 * entries { n <<= 1 }
        return n
    }

    /// Records `fingerprint` until `expiresAt` unless a live entry has it.
    ///
    /// An entry is live while `expiry >= now`. The same fingerprint found expired is a new
    /// presentation of a forgotten token, so it is recorded again with the new expiry.
    mutating func insert(_ fingerprint: ReplayFingerprint, expiresAt: Int64, now: Int64) -> Outcome {
        sweep(steps: Self.sweepStepsPerInsertion, now: now)
        if let outcome = place(fingerprint, expiresAt: expiresAt, now: now) { return outcome }
        // No free slot within the capacity: only a full sweep can make room, and only if
        // something may have expired.
        guard earliestExpiry < now else { return .full }
        removeExpired(now: now)
        return place(fingerprint, expiresAt: expiresAt, now: now) ?? .full
    }

    /// The probe: finds the fingerprint or the slot it goes in. `nil` when it is absent and
    /// the table already holds `capacity` entries, none of them expired on its probe path.
    private mutating func place(_ fingerprint: ReplayFingerprint, expiresAt: Int64, now: Int64) -> Outcome? {
        let mask = slots.count &- 1
        var i = Int(truncatingIfNeeded: fingerprint.low &>> 1) & mask
        var reusable = -1
        while true {
            let slot = slots[i]
            if slot.low == 0 { break }
            if slot.low == fingerprint.low, slot.high == fingerprint.high {
                guard slot.expiry < now else { return .alreadyPresent }
                slots[i].expiry = expiresAt
                earliestExpiry = min(earliestExpiry, expiresAt)
                return .inserted
            }
            if reusable < 0, slot.expiry < now { reusable = i }
            i = (i &+ 1) & mask
        }
        // Absent. An expired entry on the path gives its slot (every other entry's probe path
        // stays occupied, so lookups are unaffected).
        if reusable >= 0 {
            slots[reusable] = Slot(high: fingerprint.high, low: fingerprint.low, expiry: expiresAt)
            earliestExpiry = min(earliestExpiry, expiresAt)
            return .inserted
        }
        guard count < capacity else { return nil }
        if 2 * (count + 1) > slots.count, slots.count < maximumSlotCount {
            grow()
            return place(fingerprint, expiresAt: expiresAt, now: now)
        }
        slots[i] = Slot(high: fingerprint.high, low: fingerprint.low, expiry: expiresAt)
        count += 1
        earliestExpiry = min(earliestExpiry, expiresAt)
        return .inserted
    }

    /// Removes every entry that expired before `now` and makes ``earliestExpiry`` exact.
    mutating func removeExpired(now: Int64) {
        var earliest = Int64.max
        var i = 0
        while i < slots.count {
            let slot = slots[i]
            if slot.low != 0, slot.expiry < now {
                // Backward shift may move a later entry into `i`: look at `i` again.
                remove(at: i)
                continue
            }
            if slot.low != 0 { earliest = min(earliest, slot.expiry) }
            i += 1
        }
        // A shift that wraps moves an already-seen live entry forward, where it is seen again:
        // harmless for the minimum.
        earliestExpiry = earliest
        sweepCursor = 0
    }

    /// Looks at `steps` slots from the cursor and removes the expired ones.
    private mutating func sweep(steps: Int, now: Int64) {
        let mask = slots.count &- 1
        for _ in 0..<steps {
            let slot = slots[sweepCursor]
            if slot.low != 0, slot.expiry < now {
                remove(at: sweepCursor) // the cursor stays: a shifted entry may now be there
            } else {
                sweepCursor = (sweepCursor &+ 1) & mask
            }
        }
    }

    /// Empties slot `index` and shifts back the entries after it whose probe path crosses it
    /// (Knuth, TAOCP vol. 3, §6.4, Algorithm R), so no tombstone is needed.
    private mutating func remove(at index: Int) {
        let mask = slots.count &- 1
        var hole = index
        var j = index
        while true {
            j = (j &+ 1) & mask
            let slot = slots[j]
            if slot.low == 0 { break }
            let home = Int(truncatingIfNeeded: slot.low &>> 1) & mask
            // The entry may fill the hole when the hole lies on its path: home … j.
            if (j &- home) & mask >= (j &- hole) & mask {
                slots[hole] = slot
                hole = j
            }
        }
        slots[hole] = .empty
        count -= 1
    }

    /// Doubles the table and reinserts every entry (fingerprints carry their own position).
    private mutating func grow() {
        let old = slots
        slots = Array(repeating: .empty, count: old.count * 2)
        let mask = slots.count &- 1
        for slot in old where slot.low != 0 {
            var i = Int(truncatingIfNeeded: slot.low &>> 1) & mask
            while slots[i].low != 0 { i = (i &+ 1) & mask }
            slots[i] = slot
        }
        sweepCursor = 0
    }
}

// MARK: - Fingerprint

/// A keyed 128-bit digest of `(key id, nonce)`; its lowest bit is always set (so it is never
/// the empty slot's zero).
struct ReplayFingerprint: Hashable {
    var high: UInt64
    var low: UInt64
}
