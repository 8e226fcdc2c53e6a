package import TokenMiddleware

/// An incremental HTTP/1.1 request parser (RFC 9112), strict where leniency enables request
/// smuggling.
///
/// The connection hands it the unread bytes; it returns one event and how many bytes it consumed.
/// The head stays in the connection's buffer until it is complete (so a slowloris client costs a
/// scan of new bytes only), body bytes are consumed as they arrive. Rules applied:
/// - lines end in CRLF; a bare LF or CR, an obs-fold continuation line (§5.2) or whitespace
///   between a field name and its colon (§5.1) is a 400;
/// - request line over the limit → 414; header section over its byte or field limit → 431;
/// - `Content-Length` must be digits, and repeated values must agree (§6.3); both
///   `Content-Length` and `Transfer-Encoding` → 400; `Transfer-Encoding` in HTTP/1.0 → 400;
///   a transfer coding other than a final, single `chunked` → 501 (unknown) or 400;
/// - HTTP/1.1 requires exactly one `Host` field (§3.2); HTTP/2+ versions → 505;
/// - bodies over the limit → 413, before reading them when the length is declared.
///
/// It lives in its own library target, `ExampleServerHTTP` (not a product), only so that the
/// fuzz driver (`Fuzz/Sources/FuzzTargets`) can import it: an executable target cannot be imported.
package struct HTTPRequestParser {
    package struct Limits: Sendable {
        package var maxRequestLineBytes: Int
        package var maxHeaderBytes: Int
        package var maxHeaderCount: Int
        package var maxBodyBytes: Int
        /// Longest chunk-size line (with extensions) accepted.
        package var maxChunkLineBytes: Int = 4096

        package init(maxRequestLineBytes: Int, maxHeaderBytes: Int, maxHeaderCount: Int, maxBodyBytes: Int, maxChunkLineBytes: Int = 4096) {
            self.maxRequestLineBytes = maxRequestLineBytes
            self.maxHeaderBytes = maxHeaderBytes
            self.maxHeaderCount = maxHeaderCount
            self.maxBodyBytes = maxBodyBytes
            self.maxChunkLineBytes = maxChunkLineBytes
        }
    }

    /// A complete request and how its connection should be handled.
    package struct ParsedRequest {
        package var request: HTTPRequest
        /// The client asked to keep the connection open (HTTP/1.1 default, or 1.0 `keep-alive`).
        package var keepAlive: Bool
        package var isHTTP10: Bool
    }

    package enum Event {
        /// More bytes are needed.
        case needMore
        /// The head carried `Expect: 100-continue` and its body is still to come: send `100`.
        case sendContinue
        /// A complete request.
        case request(ParsedRequest)
        /// The request is unacceptable: answer `status` and close.
        case failure(HTTPStatus, String)
    }

    private enum Framing { case none, length(Int), chunked }

    private struct Head {
        var method: HTTPMethod
        var target: String
        var headers: HTTPHeaders
        var keepAlive: Bool
        var isHTTP10: Bool
        var framing: Framing
        var expectContinue: Bool
    }

    private enum State {
        case head
        case lengthBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers(bytes: Int)
    }

    package let limits: Limits
    private var state: State = .head
    private var pending: Head?
    private var body: [UInt8] = []
    // Head scan progress, relative to the start of the unread bytes (which do not move until the
    // head is consumed).
    private var scanned = 0
    private var requestLineEnd = -1
    private var lineCount = 0
    /// Bytes of empty lines skipped before the current request, across calls: the limit holds
    /// for the stream, however it is cut into pieces.
    private var emptyLineBytes = 0

    package init(limits: Limits) { self.limits = limits }

    /// Whether no byte of a next request has been consumed or scanned.
    package var isBetweenRequests: Bool {
        if case .head = state { return scanned == 0 }
        return false
    }

    /// Whether the parser is reading a body.
    package var isReadingBody: Bool {
        if case .head = state { return false }
        return true
    }

    /// Parses as much of `input` as it can.
    /// - Returns: the event and the number of bytes of `input` consumed.
    package mutating func parse(_ input: UnsafeRawBufferPointer) -> (Event, Int) {
        if case .head = state { return parseHead(input) }
        return parseBody(input, consumed: 0)
    }

    // MARK: - Head

    private mutating func parseHead(_ input: UnsafeRawBufferPointer) -> (Event, Int) {
        var skipped = 0
        // RFC 9112 §2.2: ignore empty lines before the request line.
        if scanned == 0 {
            while skipped + 1 < input.count, input[skipped] == 13, input[skipped + 1] == 10 { skipped += 2 }
            emptyLineBytes += skipped
            if emptyLineBytes > limits.maxRequestLineBytes { return fail(.badRequest, "too many empty lines") }
            if skipped > 0 {
                // Parse what follows now: the connection reads again only after `needMore`, so
                // returning here would stall a request that arrived with its leading CRLF.
                let (event, consumed) = parseHead(UnsafeRawBufferPointer(rebasing: input[skipped...]))
                if case .failure = event { return (event, consumed) }
                return (event, skipped + consumed)
            }
        }
        let count = input.count
        var i = scanned
        var headEnd = -1
        scan: while i < count {
            // Eight bytes at a time while none is below 0x0E (no CR or LF among them): header
            // lines carrying credentials are long, and only their ends need a closer look.
            if i &+ 8 <= count, !Self.hasByte(in: input.loadUnaligned(fromByteOffset: i, as: UInt64.self), below: 0x0E) {
                i &+= 8
                continue
            }
            let stop = min(i + 8, count)
            while i < stop {
                let byte = input[i]
                if byte == 10 {
                    guard i > 0, input[i - 1] == 13 else { return fail(.badRequest, "bare LF in the request head") }
                    lineCount += 1
                    if requestLineEnd < 0 {
                        requestLineEnd = i - 1
                        if requestLineEnd > limits.maxRequestLineBytes { return fail(.uriTooLong, "request line too long") }
                    } else if i >= 3, input[i - 2] == 10 {
                        headEnd = i + 1
                        break scan
                    } else {
                        if lineCount - 1 > limits.maxHeaderCount { return fail(.requestHeaderFieldsTooLarge, "too many header fields") }
                        if i - requestLineEnd > limits.maxHeaderBytes { return fail(.requestHeaderFieldsTooLarge, "header section too large") }
                    }
                } else if byte == 13, i + 1 < count, input[i + 1] != 10 {
                    return fail(.badRequest, "bare CR in the request head")
                }
                i += 1
            }
        }
        if headEnd < 0 {
            // A CR at the very end is scanned again with the byte after it.
            scanned = count > 0 && input[count - 1] == 13 ? count - 1 : count
            if requestLineEnd < 0, count > limits.maxRequestLineBytes + 1 { return fail(.uriTooLong, "request line too long") }
            if requestLineEnd >= 0, count - requestLineEnd > limits.maxHeaderBytes + 2 {
                return fail(.requestHeaderFieldsTooLarge, "header section too large")
            }
            return (.needMore, 0)
        }
        if headEnd - requestLineEnd - 2 > limits.maxHeaderBytes + 2 { return fail(.requestHeaderFieldsTooLarge, "header section too large") }
        scanned = 0
        requestLineEnd = -1
        lineCount = 0
        emptyLineBytes = 0
        let head: Head
        switch Self.parseHead(UnsafeRawBufferPointer(rebasing: input[0..<headEnd]), limits: limits) {
        case .success(let h): head = h
        case .failure(let f): return fail(f.status, f.reason)
        }
        body = []
        switch head.framing {
        case .none:
            return (.request(finish(head)), headEnd)
        case .length(let n):
            if n > limits.maxBodyBytes { return fail(.contentTooLarge, "body larger than \(limits.maxBodyBytes) bytes") }
            if n == 0 { return (.request(finish(head)), headEnd) }
            pending = head
            body.reserveCapacity(n)
            state = .lengthBody(remaining: n)
        case .chunked:
            pending = head
            state = .chunkSize
        }
        if head.expectContinue, headEnd == count { return (.sendContinue, headEnd) }
        return parseBody(input, consumed: headEnd)
    }

    private struct HeadFailure: Error {
        var status: HTTPStatus
        var reason: String
    }

    private static func parseHead(_ head: UnsafeRawBufferPointer, limits: Limits) -> Result<Head, HeadFailure> {
        func bad(_ reason: String, _ status: HTTPStatus = .badRequest) -> Result<Head, HeadFailure> {
            .failure(HeadFailure(status: status, reason: reason))
        }
        // Request line: method SP request-target SP HTTP-version (RFC 9112 §3).
        var lineEnd = 0
        while head[lineEnd] != 13 { lineEnd += 1 } // safe: the scan found a CRLF in `head`
        var sp1 = -1, sp2 = -1
        for j in 0..<lineEnd where head[j] == 32 {
            if sp1 < 0 { sp1 = j } else if sp2 < 0 { sp2 = j } else { return bad("malformed request line") }
        }
        guard sp1 > 0, sp2 > sp1 + 1, sp2 + 1 < lineEnd else { return bad("malformed request line") }
        for j in 0..<sp1 where !isTokenByte(head[j]) { return bad("invalid method") }
        for j in (sp1 + 1)..<sp2 where !(0x21...0x7E).contains(head[j]) { return bad("invalid request target") }
        let isHTTP10: Bool
        let version = UnsafeRawBufferPointer(rebasing: head[(sp2 + 1)..<lineEnd])
        if version.count == 8, version.starts(with: "HTTP/".utf8), isDigit(version[5]), version[6] == 46, isDigit(version[7]) {
            guard version[5] == 49 else { return bad("HTTP version not supported", .httpVersionNotSupported) }
            isHTTP10 = version[7] == 48
        } else {
            return bad("malformed HTTP version")
        }
        let method = HTTPMethod(rawValue: string(head, 0, sp1))
        var target = string(head, sp1 + 1, sp2)
        if head[sp1 + 1] == 47 {
            // origin-form
        } else if target == "*" {
            guard method == .options else { return bad("asterisk-form is only for OPTIONS") }
        } else if let path = originFormOf(absolute: target) {
            target = path // absolute-form (RFC 9112 §3.2.2): serve its path
        } else {
            return bad("unsupported request-target form")
        }

        var headers = HTTPHeaders()
        headers.reserveCapacity(min(8, limits.maxHeaderCount))
        var hostCount = 0
        var contentLength: Int?
        var transferEncoding: [String] = []
        var connectionClose = false, connectionKeepAlive = false
        var expectContinue = false
        var lineStart = lineEnd + 2
        while lineStart < head.count - 2 {
            let first = head[lineStart]
            if first == 32 || first == 9 { return bad("obsolete line folding") }
            // One pass over the line in the usual case: the name's token bytes up to the colon,
            // then the value's bytes up to the CR, validated as they are scanned (credentials
            // make these lines long, and every byte was visited three times before).
            var colon = lineStart
            while isTokenByte(head[colon]) { colon += 1 } // safe: the line's CR is not a token byte
            guard head[colon] == 58, colon > lineStart else {
                var end = lineStart
                while head[end] != 13 { end += 1 } // safe: every line in `head` ends in CRLF
                var c = lineStart
                while c < end, head[c] != 58 { c += 1 }
                guard c < end, c > lineStart else { return bad("malformed header field") }
                return bad("invalid header field name")
            }
            let end = fieldValueEnd(head, from: colon + 1)
            guard end < head.count, head[end] == 13 else { return bad("invalid character in header field value") }
            var vs = colon + 1, ve = end
            while vs < ve, head[vs] == 32 || head[vs] == 9 { vs += 1 }
            while ve > vs, head[ve - 1] == 32 || head[ve - 1] == 9 { ve -= 1 }
            let name = UnsafeRawBufferPointer(rebasing: head[lineStart..<colon])
            let value = string(head, vs, ve)
            if equalsLowercase(name, "content-length") {
                for part in value.split(separator: ",", omittingEmptySubsequences: false) {
                    let text = part.trimmingSpaces
                    guard !text.isEmpty, text.utf8.count <= 15, text.utf8.allSatisfy(isDigit), let n = Int(text) else {
                        return bad("invalid Content-Length")
                    }
                    if let previous = contentLength, previous != n { return bad("conflicting Content-Length values") }
                    contentLength = n
                }
            } else if equalsLowercase(name, "transfer-encoding") {
                for part in value.split(separator: ",") {
                    let coding = part.trimmingSpaces.lowercased()
                    if !coding.isEmpty { transferEncoding.append(coding) }
                }
                if transferEncoding.isEmpty { return bad("empty Transfer-Encoding") }
            } else if equalsLowercase(name, "host") {
                hostCount += 1
            } else if equalsLowercase(name, "connection") {
                for part in value.split(separator: ",") {
                    let option = part.trimmingSpaces.lowercased()
                    if option == "close" { connectionClose = true } else if option == "keep-alive" { connectionKeepAlive = true }
                }
            } else if equalsLowercase(name, "expect") {
                guard value.lowercased() == "100-continue" else { return bad("unsupported expectation", .expectationFailed) }
                expectContinue = true
            }
            headers.add(name: string(head, lineStart, colon), value: value)
            lineStart = end + 2
        }
        if headers.count > limits.maxHeaderCount { return bad("too many header fields", .requestHeaderFieldsTooLarge) }
        if hostCount > 1 || (!isHTTP10 && hostCount == 0) { return bad("HTTP/1.1 requires exactly one Host field") }

        let framing: Framing
        if !transferEncoding.isEmpty {
            if contentLength != nil { return bad("both Content-Length and Transfer-Encoding") }
            if isHTTP10 { return bad("Transfer-Encoding in an HTTP/1.0 request") }
            guard transferEncoding.last == "chunked" else { return bad("chunked must be the final transfer coding") }
            guard transferEncoding.count == 1 else {
                return bad("unsupported transfer coding", .notImplemented)
            }
            framing = .chunked
        } else if let contentLength {
            framing = .length(contentLength)
        } else {
            framing = .none
        }
        let keepAlive = isHTTP10 ? (connectionKeepAlive && !connectionClose) : !connectionClose
        return .success(Head(
            method: method, target: target, headers: headers, keepAlive: keepAlive, isHTTP10: isHTTP10,
            framing: framing, expectContinue: expectContinue && !isHTTP10
        ))
    }

    // MARK: - Body

    private mutating func parseBody(_ input: UnsafeRawBufferPointer, consumed start: Int) -> (Event, Int) {
        var i = start
        let count = input.count
        while true {
            switch state {
            case .head:
                return (.needMore, i) // safe: unreachable, bodies end by returning a request
            case .lengthBody(let remaining):
                let n = min(remaining, count - i)
                if n > 0 { body.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[i..<(i + n)])) }
                i += n
                if remaining - n == 0 { return complete(i) }
                state = .lengthBody(remaining: remaining - n)
                return (.needMore, i)
            case .chunkSize:
                // The limit applies to the line without its CRLF, however the bytes arrive: a
                // partial line is refused only once it cannot end within the limit.
                guard let lineEnd = findCRLF(input, from: i, limit: limits.maxChunkLineBytes) else {
                    if count - i > limits.maxChunkLineBytes + 1 { return fail(.badRequest, "chunk size line too long") }
                    return (.needMore, i)
                }
                if lineEnd < 0 { return fail(.badRequest, "malformed chunk size line") }
                if lineEnd - i > limits.maxChunkLineBytes { return fail(.badRequest, "chunk size line too long") }
                var size = 0, j = i
                while j < lineEnd, let digit = hexValue(input[j]) {
                    size = size &* 16 &+ digit
                    if size > limits.maxBodyBytes { return fail(.contentTooLarge, "body larger than \(limits.maxBodyBytes) bytes") }
                    j += 1
                }
                guard j > i else { return fail(.badRequest, "malformed chunk size") }
                // Only chunk extensions (ignored) may follow the size (RFC 9112 §7.1.1).
                while j < lineEnd, input[j] == 32 || input[j] == 9 { j += 1 }
                if j < lineEnd {
                    guard input[j] == 59 else { return fail(.badRequest, "malformed chunk size") }
                    for k in j..<lineEnd where (input[k] < 32 && input[k] != 9) || input[k] == 127 {
                        return fail(.badRequest, "invalid chunk extension")
                    }
                }
                i = lineEnd + 2
                if size == 0 {
                    state = .trailers(bytes: 0)
                } else {
                    if body.count + size > limits.maxBodyBytes { return fail(.contentTooLarge, "body larger than \(limits.maxBodyBytes) bytes") }
                    state = .chunkData(remaining: size)
                }
            case .chunkData(let remaining):
                let n = min(remaining, count - i)
                if n > 0 { body.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[i..<(i + n)])) }
                i += n
                if remaining - n > 0 {
                    state = .chunkData(remaining: remaining - n)
                    return (.needMore, i)
                }
                state = .chunkDataEnd
            case .chunkDataEnd:
                guard count - i >= 2 else { return (.needMore, i) }
                guard input[i] == 13, input[i + 1] == 10 else { return fail(.badRequest, "chunk data not followed by CRLF") }
                i += 2
                state = .chunkSize
            case .trailers(let bytes):
                guard let lineEnd = findCRLF(input, from: i, limit: limits.maxHeaderBytes) else {
                    if bytes + count - i > limits.maxHeaderBytes { return fail(.requestHeaderFieldsTooLarge, "trailer section too large") }
                    return (.needMore, i)
                }
                if lineEnd < 0 { return fail(.badRequest, "malformed trailer section") }
                if lineEnd == i { return complete(i + 2) }
                let total = bytes + lineEnd + 2 - i
                if total > limits.maxHeaderBytes { return fail(.requestHeaderFieldsTooLarge, "trailer section too large") }
                for k in i..<lineEnd where (input[k] < 32 && input[k] != 9) || input[k] == 127 {
                    return fail(.badRequest, "invalid character in trailer")
                }
                // Trailer fields are read and discarded: none of them may change how the request
                // is authenticated or framed.
                i = lineEnd + 2
                state = .trailers(bytes: total)
            }
        }
    }

    private mutating func complete(_ consumed: Int) -> (Event, Int) {
        state = .head
        guard let head = pending else { return fail(.badRequest, "internal parser state") } // safe: set before any body state
        pending = nil
        return (.request(finish(head)), consumed)
    }

    private mutating func finish(_ head: Head) -> ParsedRequest {
        let request = HTTPRequest(method: head.method, target: head.target, headers: head.headers, body: body)
        body = []
        return ParsedRequest(request: request, keepAlive: head.keepAlive, isHTTP10: head.isHTTP10)
    }

    private mutating func fail(_ status: HTTPStatus, _ reason: String) -> (Event, Int) {
        state = .head
        pending = nil
        body = []
        scanned = 0
        requestLineEnd = -1
        lineCount = 0
        return (.failure(status, reason), 0)
    }

    // MARK: - Bytes

    /// The index of the CR of the first CRLF at or after `from` within `limit` bytes; `-1` for a
    /// bare CR or LF; `nil` when none arrived yet.
    private func findCRLF(_ input: UnsafeRawBufferPointer, from: Int, limit: Int) -> Int? {
        var j = from
        let end = min(input.count, from + limit + 2)
        while j < end {
            let b = input[j]
            if b == 10 { return -1 }
            if b == 13 {
                guard j + 1 < input.count else { return nil }
                return input[j + 1] == 10 ? j : -1
            }
            j += 1
        }
        return nil
    }

    private static func string(_ buffer: UnsafeRawBufferPointer, _ from: Int, _ to: Int) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: buffer[from..<to]), as: UTF8.self)
    }

    private static func equalsLowercase(_ bytes: UnsafeRawBufferPointer, _ lower: StaticString) -> Bool {
        guard bytes.count == lower.utf8CodeUnitCount else { return false }
        let p = lower.utf8Start
        for j in 0..<bytes.count {
            var b = bytes[j]
            if b >= 65 && b <= 90 { b |= 0x20 }
            if b != p[j] { return false }
        }
        return true
    }

    /// `tchar` of RFC 9110 §5.6.2.
    package static func isTokenByte(_ b: UInt8) -> Bool {
        switch b {
        case 48...57, 65...90, 97...122: true
        case 33, 35, 36, 37, 38, 39, 42, 43, 45, 46, 94, 95, 96, 124, 126: true
        default: false
        }
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

    /// Whether any of the eight bytes packed in `word` is below `bound` (at most 0x80). Exact:
    /// the borrow that can mark a byte above a flagged one never marks a word that has no
    /// flagged byte.
    @inline(__always)
    private static func hasByte(in word: UInt64, below bound: UInt8) -> Bool {
        (word &- 0x0101_0101_0101_0101 &* UInt64(bound)) & ~word & 0x8080_8080_8080_8080 != 0
    }

    /// The index of the first byte at or after `start` that may not appear in a field value
    /// (RFC 9110 §5.5: VCHAR, SP, HTAB and obs-text may): the line's CR, or an invalid byte.
    /// Words of eight bytes with no byte below 0x20 and no DEL are skipped whole; the word that
    /// has one (a tab, the CR, or a bad byte) is looked at byte by byte. `head.count` when no
    /// such byte follows (the callers' heads always end in CRLF CRLF).
    private static func fieldValueEnd(_ head: UnsafeRawBufferPointer, from start: Int) -> Int {
        let count = head.count
        var i = start
        while i < count {
            if i &+ 8 <= count {
                let word = head.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                // A control below 0x20, or a DEL (zero once XOR-ed with 0x7F in every byte).
                if !hasByte(in: word, below: 0x20), !hasByte(in: word ^ 0x7F7F_7F7F_7F7F_7F7F, below: 1) {
                    i &+= 8
                    continue
                }
            }
            let stop = min(i + 8, count)
            while i < stop {
                let b = head[i]
                guard b >= 32 && b != 127 || b == 9 else { return i }
                i += 1
            }
        }
        return count
    }

    private func hexValue(_ b: UInt8) -> Int? {
        switch b {
        case 48...57: Int(b - 48)
        case 65...70: Int(b - 55)
        case 97...102: Int(b - 87)
        default: nil
        }
    }

    /// The origin-form of an absolute-form target `http://host/path?q` (`/` without a path).
    private static func originFormOf(absolute target: String) -> String? {
        let lower = target.lowercased()
        let rest: Substring
        if lower.hasPrefix("http://") { rest = target.dropFirst(7) } else if lower.hasPrefix("https://") { rest = target.dropFirst(8) } else { return nil }
        guard let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return rest.isEmpty ? nil : "/" }
        let path = rest[slash...]
        return path.first == "?" ? "/" + path : String(path)
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: Substring {
        var s = self
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return s
    }
}
