/// One `name=value` pair of a query string, percent-decoded.
public struct QueryItem: Sendable, Hashable {
    public var name: String
    /// The value; empty for `?flag` and `?flag=`.
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

extension HTTPRequest {
    /// The path, percent-decoded (RFC 3986 §2.1), or `nil` when it holds an invalid escape or
    /// does not decode to UTF-8. `+` stays `+` in a path.
    ///
    /// Match routes on this or on ``pathSegments``; a decoded `/` (`%2F`) makes the two differ,
    /// and only ``pathSegments`` keeps it inside its segment.
    public var decodedPath: String? {
        PercentEncoding.decode(path.utf8, plusIsSpace: false)
    }

    /// The path's segments, each percent-decoded, without empty segments
    /// (`/a//b%2Fc` → `["a", "b/c"]`); `nil` when a segment does not decode.
    public var pathSegments: [String]? {
        var segments: [String] = []
        for raw in path.utf8.split(separator: UInt8(ascii: "/")) {
            guard let segment = PercentEncoding.decode(raw, plusIsSpace: false) else { return nil }
            segments.append(segment)
        }
        return segments
    }

    /// The query's `name=value` pairs in order, percent-decoded with `+` as space
    /// (the `application/x-www-form-urlencoded` convention). Pairs that do not decode are
    /// skipped; an empty query gives an empty array.
    public var queryItems: [QueryItem] {
        guard let query else { return [] }
        var items: [QueryItem] = []
        for pair in query.utf8.split(separator: UInt8(ascii: "&")) {
            let equals = pair.firstIndex(of: UInt8(ascii: "=")) ?? pair.endIndex
            guard
                let name = PercentEncoding.decode(pair[pair.startIndex..<equals], plusIsSpace: true),
                let value = PercentEncoding.decode(
                    equals == pair.endIndex ? pair[equals...] : pair[pair.index(after: equals)...],
                    plusIsSpace: true
                )
            else { continue }
            items.append(QueryItem(name: name, value: value))
        }
        return items
    }

    /// The decoded value of the first query item named `name`, or `nil`.
    public func queryValue(named name: String) -> String? {
        queryItems.first { $0.name == name }?.value
    }
}

/// Percent-decoding (RFC 3986 §2.1).
package enum PercentEncoding {
    /// Decodes `%XX` escapes (and `+` as space when asked); `nil` for a truncated or non-hex
    /// escape or a result that is not UTF-8.
    package static func decode(_ bytes: some Collection<UInt8>, plusIsSpace: Bool) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var iterator = bytes.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "%"):
                guard
                    let high = iterator.next().flatMap(hexValue),
                    let low = iterator.next().flatMap(hexValue)
                else { return nil }
                out.append(high << 4 | low)
            case UInt8(ascii: "+") where plusIsSpace:
                out.append(UInt8(ascii: " "))
            default:
                out.append(byte)
            }
        }
        return String(validating: out, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
