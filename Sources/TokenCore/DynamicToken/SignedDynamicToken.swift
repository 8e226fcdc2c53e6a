public import Foundation

/// A verified signed dynamic token: what it says, after the verifier checked it.
///
/// The wire form (`Docs/DynamicTokenSigned.md` is the full specification):
///
/// ```
/// v1.<key id>.<timestamp ms>.<nonce>.<body flag>.<subject>.<mac>
/// ```
///
/// The MAC is HMAC-SHA256 (RFC 2104) under the key named by the key id, over the canonical
/// string
///
/// ```
/// DynamicToken-HMAC-SHA256 LF <token up to its last "."> LF <method> LF <path?query> LF <body hash>
/// ```
///
/// where the body hash is the lowercase hexadecimal SHA-256 of the body when the body flag is
/// `1`, and empty when it is `0`.
public struct SignedDynamicToken: Sendable, Hashable {
    /// The format version; always `"v1"` here.
    public var version: String
    /// The id of the key that signed the token.
    public var keyID: String
    /// When the client made the token, in Unix milliseconds.
    public var timestampMilliseconds: Int64
    /// The random nonce (16 to 32 bytes), unique per token; the replay cache remembers it.
    public var nonce: [UInt8] {
        get { nonceStorage.bytes }
        set { nonceStorage = newValue.withUnsafeBytes { NonceStorage($0) } }
    }
    /// The nonce's bytes, inline for every valid nonce (no allocation per verified token).
    var nonceStorage: NonceStorage
    /// Whether the MAC covers the SHA-256 of the request body.
    public var bindsBody: Bool
    /// The optional subject (the legacy format's uuid): 1 to 128 characters of `A–Z a–z 0–9 - _`.
    public var subject: String?

    /// Creates a token value (the verifier makes them; this is for tests and adapters).
    public init(version: String = "v1", keyID: String, timestampMilliseconds: Int64, nonce: [UInt8], bindsBody: Bool, subject: String?) {
        self.init(version: version, keyID: keyID, timestampMilliseconds: timestampMilliseconds, nonceStorage: nonce.withUnsafeBytes { NonceStorage($0) }, bindsBody: bindsBody, subject: subject)
    }

    /// The memberwise initialiser with the nonce already stored (the verifier's path).
    init(version: String, keyID: String, timestampMilliseconds: Int64, nonceStorage: NonceStorage, bindsBody: Bool, subject: String?) {
        self.version = version
        self.keyID = keyID
        self.timestampMilliseconds = timestampMilliseconds
        self.nonceStorage = nonceStorage
        self.bindsBody = bindsBody
        self.subject = subject
    }

    /// The timestamp as a date.
    public var date: Date { Date(unixMilliseconds: timestampMilliseconds) }

    // MARK: - Wire constants and field rules

    /// The version this implementation reads and writes.
    public static var currentVersion: String { "v1" }
    /// The first line of every canonical string (domain separation).
    public static var canonicalLabel: String { "DynamicToken-HMAC-SHA256" }
    /// Nonce sizes in bytes: at least 128 bits.
    public static var nonceByteRange: ClosedRange<Int> { 16...32 }
    /// Longest key id.
    public static let maximumKeyIDLength = 64
    /// Longest subject.
    public static let maximumSubjectLength = 128
    /// Longest request target the canonical string accepts.
    public static let maximumTargetLength = 8192

    /// The first line with its LF, as a constant (``canonicalLabel`` + LF; a test checks).
    static var labelLine: StaticString { "DynamicToken-HMAC-SHA256\n" }
    /// The lowercase hex SHA-256 of the empty body, as a constant (a test recomputes it).
    static var emptyBodyHash: StaticString { "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" }

    @inline(__always)
    static func isIDByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x5F
    }

    static func isKeyID(_ s: String) -> Bool {
        let u = s.utf8
        return !u.isEmpty && u.count <= maximumKeyIDLength && u.allSatisfy(isIDByte)
    }

    static func isSubject(_ s: String) -> Bool {
        let u = s.utf8
        return !u.isEmpty && u.count <= maximumSubjectLength && u.allSatisfy(isIDByte)
    }

    /// RFC 9110 §5.6.2 `tchar`, the characters of a method token.
    static func isMethod(_ s: String) -> Bool {
        s.withBorrowedUTF8 { isMethod(utf8: $0) }
    }

    /// ``isMethod(_:)`` over the method's UTF-8 bytes.
    static func isMethod(utf8 u: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !u.isEmpty, u.count <= 32 else { return false }
        for b in u where !isMethodByte(b) { return false }
        return true
    }

    /// `tchar` as two 64-bit masks over ASCII: `!#$%&'*+-.^_`|~`, digits and letters.
    @inline(__always)
    static func isMethodByte(_ b: UInt8) -> Bool {
        let mask: UInt64 = b < 64 ? 0x03FF_6CFA_0000_0000 : 0x57FF_FFFF_C7FF_FFFE
        return b < 128 && (mask &>> UInt64(b & 63)) & 1 == 1
    }

    /// A request target in origin form: `/`, then visible ASCII only (RFC 9112 §3.2).
    static func isTarget(_ s: String) -> Bool {
        s.withBorrowedUTF8 { isTarget(utf8: $0) }
    }

    /// ``isTarget(_:)`` over the target's UTF-8 bytes.
    static func isTarget(utf8 u: UnsafeBufferPointer<UInt8>) -> Bool {
        guard u.first == UInt8(ascii: "/"), u.count <= maximumTargetLength else { return false }
        for b in u where b < 0x21 || b > 0x7E { return false }
        return true
    }

    // MARK: - Parsing

    /// 32 bytes held inline (no heap): a MAC, or a nonce of up to 32 bytes.
    typealias Inline32 = (UInt64, UInt64, UInt64, UInt64)

    /// The fields of a token before verification, as positions in its bytes and decoded values:
    /// nothing is allocated until the token has passed every check.
    struct Parsed {
        /// Byte range of the key id.
        var keyID: Range<Int>
        var timestampMilliseconds: Int64
        var nonce: Inline32
        var nonceCount: Int
        var bindsBody: Bool
        /// Byte range of the subject; empty when absent.
        var subject: Range<Int>
        var mac: Inline32
        /// Byte length of `v1.<kid>.<ts>.<nonce>.<b>.<sub>` (the token up to its last dot).
        var signedLength: Int

        /// The token value, once verified. `keyID` is the matching key's id (the same bytes).
        func token(in bytes: UnsafeBufferPointer<UInt8>, keyID: String) -> SignedDynamicToken {
            SignedDynamicToken(
                version: SignedDynamicToken.currentVersion,
                keyID: keyID,
                timestampMilliseconds: timestampMilliseconds,
                nonceStorage: NonceStorage(nonce, count: nonceCount),
                bindsBody: bindsBody,
                subject: subject.isEmpty ? nil : String(decoding: UnsafeBufferPointer(rebasing: bytes[subject]), as: UTF8.self)
            )
        }
    }

    /// Splits and checks every field's syntax. Does not look at keys, time or the MAC.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(DynamicTokenError) -> Parsed {
        var dots = (0, 0, 0, 0, 0, 0)
        var count = 0
        // The first six dots, and whether there is a seventh (then the count stops at 7).
        ByteScan.forEachOffset(of: UInt8(ascii: "."), in: UnsafeRawBufferPointer(bytes)) { i in
            switch count {
            case 0: dots.0 = i
            case 1: dots.1 = i
            case 2: dots.2 = i
            case 3: dots.3 = i
            case 4: dots.4 = i
            case 5: dots.5 = i
            default: break
            }
            count += 1
            return count <= 6
        }
        // The version decides the layout, so it is read first.
        let versionEnd = count > 0 ? dots.0 : bytes.count
        guard versionEnd == 2, bytes[0] == UInt8(ascii: "v"), bytes[1] == UInt8(ascii: "1") else {
            if versionEnd >= 2, versionEnd <= 4, bytes[0] == UInt8(ascii: "v"),
               (1..<versionEnd).allSatisfy({ bytes[$0] >= 0x30 && bytes[$0] <= 0x39 }) {
                throw DynamicTokenError(.unsupportedVersion, "this signed dynamic token version is not supported (expected v1)")
            }
            throw malformed("the token does not start with a version")
        }
        guard count == 6 else { throw malformed("a v1 token has exactly 7 fields separated by '.'") }

        func field(_ start: Int, _ end: Int) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: bytes[start..<end])
        }
        func allID(_ field: UnsafeBufferPointer<UInt8>) -> Bool {
            for b in field where !isIDByte(b) { return false }
            return true
        }
        let kid = field(dots.0 + 1, dots.1)
        let ts = field(dots.1 + 1, dots.2)
        let nonceText = field(dots.2 + 1, dots.3)
        let flag = field(dots.3 + 1, dots.4)
        let sub = field(dots.4 + 1, dots.5)
        let macText = field(dots.5 + 1, bytes.count)

        guard !kid.isEmpty, kid.count <= maximumKeyIDLength, allID(kid) else {
            throw malformed("the key id must be 1 to 64 characters of A-Z a-z 0-9 - _")
        }
        guard !ts.isEmpty, ts.count <= 16, ts.count == 1 || ts[0] != UInt8(ascii: "0") else {
            throw malformed("the timestamp must be 1 to 16 decimal digits without leading zeros")
        }
        var timestamp: Int64 = 0
        for d in ts {
            guard d >= 0x30, d <= 0x39 else {
                throw malformed("the timestamp must be 1 to 16 decimal digits without leading zeros")
            }
            timestamp = timestamp &* 10 &+ Int64(d &- 0x30) // at most 16 digits: below 10^16, no overflow
        }
        var nonce: Inline32 = (0, 0, 0, 0)
        guard (22...43).contains(nonceText.count),
              let nonceCount = withUnsafeMutableBytes(of: &nonce, { out in
                  try? Base64URL.decode(utf8: UnsafeRawBufferPointer(nonceText), into: out)
              }),
              nonceByteRange.contains(nonceCount) else {
            throw malformed("the nonce must be 16 to 32 bytes in canonical unpadded base64url")
        }
        guard flag.count == 1, flag[0] == UInt8(ascii: "0") || flag[0] == UInt8(ascii: "1") else {
            throw malformed("the body flag must be 0 or 1")
        }
        guard sub.count <= maximumSubjectLength, allID(sub) else {
            throw malformed("the subject must be at most 128 characters of A-Z a-z 0-9 - _")
        }
        var mac: Inline32 = (0, 0, 0, 0)
        guard macText.count == 43,
              withUnsafeMutableBytes(of: &mac, { out in
                  try? Base64URL.decode(utf8: UnsafeRawBufferPointer(macText), into: out)
              }) == 32 else {
            throw malformed("the MAC must be 32 bytes in canonical unpadded base64url")
        }
        return Parsed(
            keyID: (dots.0 + 1)..<dots.1,
            timestampMilliseconds: timestamp,
            nonce: nonce,
            nonceCount: nonceCount,
            bindsBody: flag[0] == UInt8(ascii: "1"),
            subject: (dots.4 + 1)..<dots.5,
            mac: mac,
            signedLength: dots.5
        )
    }

    static func malformed(_ reason: String) -> DynamicTokenError {
        DynamicTokenError(.malformed, reason)
    }

    // MARK: - Canonical string

    /// HMAC-SHA256 of the canonical string. `method` and `target` must already be validated.
    static func authenticationCode(
        key: DynamicTokenKey,
        signedPart: UnsafeBufferPointer<UInt8>,
        method: String,
        target: String,
        body: UnsafeRawBufferPointer?
    ) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { out, initialized in
            authenticationCode(key: key, signedPart: signedPart, method: method, target: target, body: body, into: UnsafeMutableRawBufferPointer(out))
            initialized = 32
        }
    }

    /// Writes the HMAC-SHA256 of the canonical string into the first 32 bytes of `output`.
    ///
    /// The canonical string is assembled once in a temporary buffer (on the stack for any
    /// ordinary target) with room for the SHA-256 padding after it, and hashed in place: the
    /// lines are copied once and nothing else is.
    static func authenticationCode(
        key: DynamicTokenKey,
        signedPart: UnsafeBufferPointer<UInt8>,
        method: String,
        target: String,
        body: UnsafeRawBufferPointer?,
        into output: UnsafeMutableRawBufferPointer
    ) {
        var method = method, target = target
        method.withUTF8 { method in
            target.withUTF8 { target in
                authenticationCode(key: key, signedPart: signedPart, method: method, target: target, body: body, into: output)
            }
        }
    }

    /// ``authenticationCode(key:signedPart:method:target:body:into:)`` with the method and target
    /// as UTF-8 bytes (the verifier's path, which has them borrowed already).
    static func authenticationCode(
        key: DynamicTokenKey,
        signedPart: UnsafeBufferPointer<UInt8>,
        method: UnsafeBufferPointer<UInt8>,
        target: UnsafeBufferPointer<UInt8>,
        body: UnsafeRawBufferPointer?,
        into output: UnsafeMutableRawBufferPointer
    ) {
        let label = UnsafeRawBufferPointer(start: labelLine.utf8Start, count: labelLine.utf8CodeUnitCount)
        let count = label.count + signedPart.count + 1 + method.count + 1 + target.count + 1 + (body == nil ? 0 : 64)
        withUnsafeTemporaryAllocation(byteCount: HMAC<SHA256>.paddedByteCount(forMessageOf: count), alignment: 8) { buffer in
            var at = 0
            func append(_ bytes: UnsafeRawBufferPointer) {
                UnsafeMutableRawBufferPointer(rebasing: buffer[at..<(at + bytes.count)]).copyMemory(from: bytes)
                at += bytes.count
            }
            func newline() {
                buffer[at] = UInt8(ascii: "\n")
                at += 1
            }
            append(label)
            append(UnsafeRawBufferPointer(signedPart))
            newline()
            append(UnsafeRawBufferPointer(method))
            newline()
            append(UnsafeRawBufferPointer(target))
            newline()
            if let body {
                if body.isEmpty {
                    append(UnsafeRawBufferPointer(start: emptyBodyHash.utf8Start, count: emptyBodyHash.utf8CodeUnitCount))
                } else {
                    // The body's digest on the stack, its lowercase hex straight into the buffer.
                    var hasher = SHA256()
                    hasher.update(bufferPointer: body)
                    var digest: Inline32 = (0, 0, 0, 0)
                    withUnsafeMutableBytes(of: &digest) { d in
                        hasher.finalize(into: d)
                        for i in 0..<32 {
                            buffer[at &+ 2 &* i] = hexDigit(d[i] &>> 4)
                            buffer[at &+ 2 &* i &+ 1] = hexDigit(d[i] & 0x0F)
                        }
                    }
                    at += 64
                }
            }
            key.storage.mac.authenticationCode(ofFirst: count, paddingInPlace: buffer, into: output)
        }
    }

    /// The lowercase hexadecimal digit of `nibble` (0–15).
    @inline(__always)
    static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? nibble &+ 0x30 : nibble &+ 0x57
    }
}
