public import Foundation

/// A JWT NumericDate: seconds since 1970-01-01T00:00:00Z, UTC, ignoring leap seconds
/// (RFC 7519 §2), as used by `exp`, `nbf` and `iat`.
///
/// The value may be an integer or have a fraction. It is held as a finite binary64 double, which
/// is exact for whole seconds up to 2^53 and cannot trap in arithmetic: comparing a huge `exp`
/// with the clock plus leeway never overflows. A JSON literal beyond the double range (`1e400`)
/// has no NumericDate and is rejected as malformed, not clamped.
public struct NumericDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Seconds since the epoch; always finite.
    public let secondsSince1970: Double

    /// Creates a NumericDate, or `nil` when `seconds` is infinite or NaN.
    public init?(secondsSince1970 seconds: Double) {
        guard seconds.isFinite else { return nil }
        secondsSince1970 = seconds
    }

    /// Creates the NumericDate of `date`.
    public init(_ date: Date) {
        let seconds = date.timeIntervalSince1970
        secondsSince1970 = seconds.isFinite ? seconds : 0
    }

    /// Reads a JSON number, or `nil` when it is beyond the double range.
    init?(_ number: JSONNumber) {
        self.init(secondsSince1970: number.doubleValue)
    }

    /// The same instant as a `Date`.
    public var date: Date { Date(timeIntervalSince1970: secondsSince1970) }

    /// The JSON number for this date: an integer when the value is whole.
    var jsonNumber: JSONNumber {
        JSONNumber(secondsSince1970) ?? JSONNumber(0) // finite by construction
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let seconds = try container.decode(Double.self)
        guard seconds.isFinite else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "NumericDate out of range"))
        }
        secondsSince1970 = seconds
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if secondsSince1970 == secondsSince1970.rounded(), abs(secondsSince1970) < 9.0e15 {
            try container.encode(Int64(secondsSince1970)) // safe: |value| < 2^63 checked above
        } else {
            try container.encode(secondsSince1970)
        }
    }

    public static func < (lhs: NumericDate, rhs: NumericDate) -> Bool {
        lhs.secondsSince1970 < rhs.secondsSince1970
    }

    public var description: String { JSONNumber(secondsSince1970)?.literal ?? "0" }
}
