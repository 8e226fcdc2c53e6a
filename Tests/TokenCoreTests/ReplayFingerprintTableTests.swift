import Foundation
import Testing
@testable import TokenCore

/// The open-addressing table behind `InMemoryReplayCache`: probing, collisions of slot index,
/// wrap-around, backward-shift deletion, lazy expiry, growth, and the capacity bound.
@Suite("Replay cache: fingerprint table")
struct ReplayFingerprintTableTests {
    /// A fingerprint whose home slot is `home` in a table of `slots` slots, told apart by `tag`.
    func fingerprint(home: Int, tag: UInt64) -> ReplayFingerprint {
        // The home is bits 1… of `low`; the tag goes above the slot bits and into `high`.
        ReplayFingerprint(high: tag, low: (tag << 32) | (UInt64(home) << 1) | 1)
    }

    @Test("entries sharing a home slot are told apart and survive each other's removal")
    func sameHomeSlot() {
        var table = ReplayFingerprintTable(capacity: 4, initialCapacity: 4) // 8 slots
        #expect(table.slots.count == 8)
        let fps = (0..<4).map { fingerprint(home: 3, tag: UInt64($0) + 1) }
        for (i, fp) in fps.enumerated() {
            #expect(table.insert(fp, expiresAt: 100 + Int64(i), now: 0) == .inserted)
        }
        for fp in fps { #expect(table.insert(fp, expiresAt: 500, now: 0) == .alreadyPresent) }
        #expect(table.insert(fingerprint(home: 3, tag: 9), expiresAt: 500, now: 0) == .full)
        // The first of the cluster expires; the sweep removes it and shifts the others back.
        table.removeExpired(now: 101)
        #expect(table.count == 3)
        #expect(table.earliestExpiry == 101)
        for fp in fps.dropFirst() { #expect(table.insert(fp, expiresAt: 500, now: 101) == .alreadyPresent) }
        // The removed one is new again.
        #expect(table.insert(fps[0], expiresAt: 500, now: 101) == .inserted)
    }

    @Test("a cluster that wraps past the last slot keeps every entry findable")
    func wrapAround() {
        var table = ReplayFingerprintTable(capacity: 4, initialCapacity: 4)
        let tail = (0..<3).map { fingerprint(home: 7, tag: UInt64($0) + 1) } // slots 7, 0, 1
        let early = fingerprint(home: 0, tag: 10)                             // pushed to slot 2
        for fp in tail { #expect(table.insert(fp, expiresAt: 1000, now: 0) == .inserted) }
        #expect(table.insert(early, expiresAt: 50, now: 0) == .inserted)
        #expect(table.slots[7].high == 1 && table.slots[0].high == 2 && table.slots[1].high == 3 && table.slots[2].high == 10)
        // Removing the entry in the last slot shifts the wrapped ones back across the end.
        var shifted = ReplayFingerprintTable(capacity: 4, initialCapacity: 4)
        #expect(shifted.insert(tail[0], expiresAt: 10, now: 0) == .inserted)
        for fp in tail.dropFirst() { #expect(shifted.insert(fp, expiresAt: 1000, now: 0) == .inserted) }
        #expect(shifted.insert(early, expiresAt: 1000, now: 0) == .inserted)
        shifted.removeExpired(now: 11)
        #expect(shifted.count == 3)
        #expect(shifted.slots[7].high == 2 && shifted.slots[0].high == 3 && shifted.slots[1].high == 10)
        for fp in tail.dropFirst() + [early] { #expect(shifted.insert(fp, expiresAt: 1000, now: 11) == .alreadyPresent) }
        // An entry may move back only as far as its home: `early` (home 0) never moves to 7.
        #expect(shifted.slots[6].low == 0)
    }

    @Test("an entry is live through its expiry millisecond and recorded anew after it")
    func expiryBoundary() {
        var table = ReplayFingerprintTable(capacity: 2, initialCapacity: 2)
        let fp = fingerprint(home: 1, tag: 1)
        #expect(table.insert(fp, expiresAt: 100, now: 0) == .inserted)
        #expect(table.insert(fp, expiresAt: 900, now: 100) == .alreadyPresent)
        #expect(table.insert(fp, expiresAt: 900, now: 101) == .inserted)
        #expect(table.count == 1)
        #expect(table.insert(fp, expiresAt: 900, now: 900) == .alreadyPresent)
    }

    @Test("full: refuses only while every entry is live, and an expired one on the path makes room")
    func fullAtTheBoundary() {
        var table = ReplayFingerprintTable(capacity: 3, initialCapacity: 3) // 8 slots
        let a = fingerprint(home: 0, tag: 1), b = fingerprint(home: 4, tag: 2), c = fingerprint(home: 6, tag: 3)
        #expect(table.insert(a, expiresAt: 10, now: 0) == .inserted)
        #expect(table.insert(b, expiresAt: 20, now: 0) == .inserted)
        #expect(table.insert(c, expiresAt: 30, now: 0) == .inserted)
        let d = fingerprint(home: 0, tag: 4)
        #expect(table.insert(d, expiresAt: 40, now: 10) == .full)       // `a` lives through 10
        #expect(table.count == 3)
        // At 11 `a` has expired: removed (by the incremental sweep here), it makes room.
        #expect(table.insert(d, expiresAt: 40, now: 11) == .inserted)
        #expect(table.count == 3)
        #expect(table.insert(a, expiresAt: 40, now: 11) == .full)
        // An expired entry off the path (b, home 4) is found by the full sweep instead.
        let e = fingerprint(home: 1, tag: 5)
        #expect(table.insert(e, expiresAt: 50, now: 21) == .inserted)
        #expect(table.count == 3)
        #expect(table.insert(b, expiresAt: 50, now: 21) == .full)
        for fp in [c, d, e] { #expect(table.insert(fp, expiresAt: 99, now: 21) == .alreadyPresent) }
    }

    @Test("an expired entry on the probe path gives its slot to a new one")
    func reuseOnProbePath() {
        var table = ReplayFingerprintTable(capacity: 100, initialCapacity: 100) // 256 slots
        #expect(table.slots.count == 256)
        let x = fingerprint(home: 200, tag: 1), y = fingerprint(home: 200, tag: 2), z = fingerprint(home: 200, tag: 3)
        #expect(table.insert(x, expiresAt: 100, now: 0) == .inserted)
        #expect(table.insert(y, expiresAt: 10, now: 0) == .inserted)   // slot 201
        #expect(table.insert(z, expiresAt: 100, now: 0) == .inserted)  // slot 202
        let w = fingerprint(home: 200, tag: 4)
        #expect(table.insert(w, expiresAt: 100, now: 11) == .inserted)
        #expect(table.slots[201].high == 4)
        #expect(table.slots[203].low == 0)
        #expect(table.count == 3)
        for fp in [x, z, w] { #expect(table.insert(fp, expiresAt: 100, now: 11) == .alreadyPresent) }
        #expect(table.insert(y, expiresAt: 100, now: 11) == .inserted)
    }

    @Test("the table doubles up to the size its capacity needs, keeping every entry")
    func growth() {
        var table = ReplayFingerprintTable(capacity: 1000, initialCapacity: 4)
        #expect(table.slots.count == 8)
        #expect(table.maximumSlotCount == 2048)
        let random = SeededRandom(seed: 5)
        let fps = (0..<1000).map { _ in ReplayFingerprint(high: random.next(), low: random.next() | 1) }
        for fp in fps { #expect(table.insert(fp, expiresAt: 1000, now: 0) == .inserted) }
        #expect(table.slots.count == 2048)
        #expect(table.count == 1000)
        #expect(table.slots.filter { $0.low != 0 }.count == 1000)
        for fp in fps { #expect(table.insert(fp, expiresAt: 1000, now: 0) == .alreadyPresent) }
        #expect(table.insert(ReplayFingerprint(high: 1, low: 3), expiresAt: 1000, now: 0) == .full)
    }

    @Test("random operations agree with a dictionary model", arguments: [1, 3, 8, 50])
    func agreesWithModel(capacity: Int) {
        var table = ReplayFingerprintTable(capacity: capacity, initialCapacity: 1)
        var model: [ReplayFingerprint: Int64] = [:]
        let random = SeededRandom(seed: UInt64(capacity))
        // Few distinct fingerprints with few home slots: many repeats and many shared homes.
        let universe = (0..<(capacity * 3 + 4)).map { i in
            ReplayFingerprint(high: UInt64(i), low: (UInt64(i) << 40) | (UInt64(random.int(below: 4)) << 1) | 1)
        }
        var now: Int64 = 0
        for step in 0..<20_000 {
            // Time never goes back here: an entry swept at a later `now` is legitimately gone
            // for a caller whose clock lags, which a simple model cannot mirror.
            now += Int64(random.int(below: 6))
            let fp = universe[random.int(below: universe.count)]
            let expiresAt = now + Int64(random.int(below: 40))
            if step % 997 == 0 {
                table.removeExpired(now: now)
                model = model.filter { $0.value >= now }
                #expect(table.count == model.count)
                continue
            }
            let expected: ReplayFingerprintTable.Outcome
            if let e = model[fp], e >= now {
                expected = .alreadyPresent
            } else if model.values.filter({ $0 >= now }).count >= capacity {
                expected = .full
            } else {
                expected = .inserted
                model = model.filter { $0.value >= now }
                model[fp] = expiresAt
            }
            let outcome = table.insert(fp, expiresAt: expiresAt, now: now)
            #expect(outcome == expected, "step \(step)")
            if outcome != expected { return }
            #expect(table.count <= capacity)
            #expect(table.earliestExpiry <= (model.values.min() ?? .max))
        }
    }
}

@Suite("Replay cache: fingerprints")
struct ReplayFingerprintTests {
    let key = SipHash24(k0: 1, k1: 2)

    @Test("the same pair always has the same fingerprint; any change gives another")
    func deterministicAndDistinct() {
        let nonce = Array(0..<16 as Range<UInt8>)
        let fp = InMemoryReplayCache.fingerprint(keyID: "k1", nonce: nonce, key: key)
        #expect(fp == InMemoryReplayCache.fingerprint(keyID: "k1", nonce: nonce, key: key))
        #expect(fp.low & 1 == 1)
        var others: Set<ReplayFingerprint> = [fp]
        others.insert(InMemoryReplayCache.fingerprint(keyID: "k2", nonce: nonce, key: key))
        others.insert(InMemoryReplayCache.fingerprint(keyID: "k1", nonce: nonce, key: SipHash24(k0: 1, k1: 3)))
        others.insert(InMemoryReplayCache.fingerprint(keyID: "k1", nonce: nonce, key: SipHash24(k0: 0, k1: 2)))
        others.insert(InMemoryReplayCache.fingerprint(keyID: "k1", nonce: nonce + [0], key: key))
        // The key id's length is part of the input: moving a byte across the boundary between
        // key id and nonce is a different pair.
        others.insert(InMemoryReplayCache.fingerprint(keyID: "k", nonce: [UInt8(ascii: "1")] + nonce, key: key))
        others.insert(InMemoryReplayCache.fingerprint(keyID: "k1\u{0}", nonce: Array(nonce.dropFirst()), key: key))
        #expect(others.count == 7)
        // Both halves depend on the input (a 64-bit fingerprint would leave one constant).
        let other = InMemoryReplayCache.fingerprint(keyID: "k2", nonce: nonce, key: key)
        #expect(other.high != fp.high && other.low != fp.low)
    }

    @Test("distinct random pairs never share a fingerprint or collapse to few slots")
    func noCollisionsInPractice() {
        let random = SeededRandom(seed: 11)
        var seen = Set<ReplayFingerprint>()
        var homes = Set<UInt64>()
        for i in 0..<20_000 {
            let fp = InMemoryReplayCache.fingerprint(keyID: "key-\(i % 3)", nonce: random.bytes(16), key: key)
            seen.insert(fp)
            homes.insert((fp.low >> 1) & 0xFFF)
        }
        #expect(seen.count == 20_000)
        #expect(homes.count > 4000) // of 4096 slots: the low bits are spread
    }

    @Test("a cache whose random source fails refuses every token (fail closed)")
    func failingRandomFailsClosed() async throws {
        let cache = InMemoryReplayCache(capacity: 10, random: FailingRandom())
        await #expect(throws: ReplayCacheError.self) {
            _ = try await cache.insertIfAbsent(keyID: "k", nonce: Array(repeating: 1, count: 16), expiresAt: Date(ms: 100), now: Date(ms: 0))
        }
        do {
            _ = try cache.insertNow(keyID: "k", nonce: Array(repeating: 1, count: 16), expiresAt: 100, now: 0)
            Issue.record("a cache without a fingerprint key accepted an entry")
        } catch {
            #expect(error.code == .unavailable)
        }
        let verifier = try SignedFixture.verifier(cache: cache)
        await expectCode(.replayCacheUnavailable) {
            _ = try await verifier.verify(try SignedFixture.token(), method: "POST", target: "/api/orders?dry=1", body: Array("{\"a\":1}".utf8))
        }
    }

    @Test("capacity is clamped to 1 … maximumCapacity")
    func capacityBounds() throws {
        #expect(InMemoryReplayCache(capacity: 0).capacity == 1)
        #expect(InMemoryReplayCache(capacity: -5).capacity == 1)
        #expect(InMemoryReplayCache(capacity: .max).capacity == InMemoryReplayCache.maximumCapacity)
        let one = InMemoryReplayCache(capacity: 1, random: SeededRandom(seed: 1))
        #expect(try one.insertNow(keyID: "k", nonce: [1], expiresAt: 10, now: 0) == .inserted)
        #expect(throws: ReplayCacheError.self) { try one.insertNow(keyID: "k", nonce: [2], expiresAt: 10, now: 0) }
        #expect(try one.insertNow(keyID: "k", nonce: [2], expiresAt: 20, now: 11) == .inserted)
    }
}
