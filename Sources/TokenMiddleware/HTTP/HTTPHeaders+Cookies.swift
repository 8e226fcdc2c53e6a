/// One cookie from a `Cookie` header (RFC 6265 §5.4): a name and its value.
public struct Cookie: Sendable, Hashable {
    /// The cookie name (case-sensitive).
    public var name: String
    /// The value, with surrounding double quotes removed (RFC 6265 §4.1.1 allows them).
    public var value: String

    /// Creates a cookie.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

extension HTTPHeaders {
    /// The cookies of every `Cookie` field, in order (RFC 6265 §5.4; HTTP/2 may split them
    /// across several fields, RFC 9113 §8.2.3).
    ///
    /// Pairs are separated by `;`, names and values trimmed of spaces; a pair without `=` or with
    /// an empty name is skipped. Names are case-sensitive. Nothing is percent-decoded: cookie
    /// values are opaque.
    public var cookies: [Cookie] {
        var result: [Cookie] = []
        for field in values(for: Name.cookie) {
            for pair in field.utf8.split(separator: UInt8(ascii: ";")) {
                guard let equals = pair.firstIndex(of: UInt8(ascii: "=")) else { continue }
                let name = trimmed(pair[pair.startIndex..<equals])
                var value = trimmed(pair[pair.index(after: equals)...])
                guard !name.isEmpty else { continue }
                if value.count >= 2, value.first == UInt8(ascii: "\""), value.last == UInt8(ascii: "\"") {
                    value = value.dropFirst().dropLast()
                }
                result.append(Cookie(
                    name: String(decoding: name, as: UTF8.self),
                    value: String(decoding: value, as: UTF8.self)
                ))
            }
        }
        return result
    }

    /// The value of the first cookie named `name` (case-sensitive), or `nil`.
    ///
    /// A client can send the same name twice (one per path or domain); this returns the first,
    /// which RFC 6265 §5.4 orders as the most specific. Use ``cookies`` to see them all.
    public func cookie(named name: String) -> String? {
        cookies.first { $0.name == name }?.value
    }

    private func trimmed(_ bytes: Substring.UTF8View) -> Substring.UTF8View {
        var slice = bytes
        while let first = slice.first, first == 0x20 || first == 0x09 { slice = slice.dropFirst() }
        while let last = slice.last, last == 0x20 || last == 0x09 { slice = slice.dropLast() }
        return slice
    }
}

extension HTTPRequest {
    /// The value of the first cookie named `name`; see ``HTTPHeaders/cookie(named:)``.
    public func cookie(named name: String) -> String? {
        headers.cookie(named: name)
    }
}
