/// One PEM block (RFC 7468): a label such as `PUBLIC KEY` and the DER bytes it carries.
///
/// Parsing is strict: exactly one block; only whitespace around it; the END label equals the
/// BEGIN label; the body is standard base64 with canonical padding, split into lines of any
/// length (RFC 7468 §3 lax line lengths are accepted); no headers (`Proc-Type:`); at most
/// ``maximumTextCount`` characters.
public struct PEMDocument: Sendable, Hashable {
    /// The largest PEM text accepted.
    public static let maximumTextCount = 64 * 1024

    /// The label between `-----BEGIN ` and `-----`.
    public var label: String
    /// The decoded DER bytes.
    public var der: [UInt8]

    /// Parses `text`.
    /// - Throws: ``CryptoError/Code/invalidKey`` naming what is wrong (never echoing the text).
    public init(_ text: String) throws(CryptoError) {
        guard text.utf8.count <= Self.maximumTextCount else {
            throw CryptoError(.invalidKey, "PEM text exceeds \(Self.maximumTextCount) bytes")
        }
        var lines = text.split(omittingEmptySubsequences: true) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
            .map { $0.trimmingSpaces }
            .filter { !$0.isEmpty }
        guard lines.count >= 2, let first = lines.first, let last = lines.last,
              first.hasPrefix("-----BEGIN "), first.hasSuffix("-----"),
              last.hasPrefix("-----END "), last.hasSuffix("-----")
        else {
            throw CryptoError(.invalidKey, "not a single PEM block (-----BEGIN …----- … -----END …-----)")
        }
        let label = String(first.dropFirst(11).dropLast(5))
        guard String(last.dropFirst(9).dropLast(5)) == label, !label.isEmpty else {
            throw CryptoError(.invalidKey, "PEM END label does not match BEGIN label")
        }
        lines.removeFirst()
        lines.removeLast()
        let body = lines.joined()
        guard !body.contains(":"), !body.contains("-") else {
            throw CryptoError(.invalidKey, "PEM headers and nested blocks are not supported")
        }
        do {
            der = try Base64.decode(body)
        } catch {
            throw CryptoError(.invalidKey, "PEM body is not canonical base64 (\(error.code))")
        }
        guard !der.isEmpty else { throw CryptoError(.invalidKey, "empty PEM body") }
        self.label = label
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: Substring {
        var s = self
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return s
    }
}
