import Foundation

/// The last few protected headers a verifier parsed, keyed by their exact base64url text.
///
/// An issuer puts the same header on every token it signs (`{"alg":"HS256","kid":"k1",…}`), so
/// a verifier sees a handful of distinct header segments. Parsing one (base64url, JSON, the
/// `alg`/`crit`/`b64` rules) is a deterministic function of its bytes and of the verifier's
/// parsing limits, so a segment byte-for-byte equal to one already accepted gets the same
/// ``JWTHeader`` without being parsed again.
///
/// - Only headers that passed every check are remembered; a failing header is parsed (and
///   refused) every time.
/// - The key is the whole segment, compared byte by byte. Headers are not secret (the segment is
///   readable by anyone holding the token), so the comparison need not be constant-time.
/// - Bounded: at most ``capacity`` entries of at most ``maximumSegmentLength`` bytes each; a new
///   header replaces the oldest. A stream of distinct headers (an attacker varying `kid`) costs
///   one comparison per entry and a parse, the same as without the cache.
/// - Belongs to one verifier configuration (or one authenticator, whose options are fixed):
///   changing the options makes a new cache, so an entry never outlives the limits it was
///   parsed under.
package final class JWTHeaderCache: Sendable {
    /// How many distinct headers are remembered.
    static let capacity = 4
    /// Longer header segments are never remembered.
    static let maximumSegmentLength = 512

    private struct Entry {
        var segment: [UInt8]
        var header: JWTHeader
    }

    private struct Entries {
        var list: [Entry] = []
        var next = 0
    }

    private let entries = Locked(Entries())

    package init() {}

    /// The header parsed earlier from exactly `segment`, if remembered.
    func header(for segment: UnsafeRawBufferPointer) -> JWTHeader? {
        guard let start = segment.baseAddress, segment.count <= Self.maximumSegmentLength else { return nil }
        return entries.withLock { entries in
            for entry in entries.list where entry.segment.count == segment.count {
                let equal = entry.segment.withUnsafeBytes { stored in
                    stored.baseAddress.map { memcmp($0, start, segment.count) == 0 } ?? false
                }
                if equal { return entry.header }
            }
            return nil
        }
    }

    /// Remembers `header` as the parse of `segment`, replacing the oldest entry when full.
    func remember(_ header: JWTHeader, for segment: UnsafeRawBufferPointer) {
        guard !segment.isEmpty, segment.count <= Self.maximumSegmentLength else { return }
        let entry = Entry(segment: Array(segment), header: header)
        entries.withLock { entries in
            if entries.list.contains(where: { $0.segment == entry.segment }) { return }
            if entries.list.count < Self.capacity {
                entries.list.append(entry)
            } else {
                entries.list[entries.next] = entry
                entries.next = (entries.next + 1) % Self.capacity
            }
        }
    }

    /// The number of headers remembered (for tests).
    var count: Int { entries.withLock { $0.list.count } }
}
