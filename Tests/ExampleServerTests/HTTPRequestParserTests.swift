import ExampleServerHTTP
import Testing
import TokenMiddleware

/// Inputs the `http-request` fuzz target found (Docs/Fuzzing.md), kept as regression tests.
@Suite struct HTTPRequestParserTests {
    static let limits = HTTPRequestParser.Limits(maxRequestLineBytes: 256, maxHeaderBytes: 1024, maxHeaderCount: 16, maxBodyBytes: 4096)

    /// Parses `bytes` delivered at once, as a connection does: after `needMore` it waits.
    static func requests(in bytes: [UInt8]) -> (targets: [String], unread: Int) {
        var parser = HTTPRequestParser(limits: limits)
        var unread = bytes[...]
        var targets: [String] = []
        while true {
            let (event, consumed) = Array(unread).withUnsafeBytes { parser.parse($0) }
            unread = unread.dropFirst(consumed)
            switch event {
            case .request(let parsed): targets.append(parsed.request.target)
            case .sendContinue: continue
            case .needMore, .failure: return (targets, unread.count)
            }
        }
    }

    /// Found by the fuzzer: RFC 9112 §2.2 lets a server skip empty lines before a request, but
    /// the parser answered `needMore` after skipping them, so a request that arrived in the same
    /// packet as its leading CRLF waited for bytes that never came (until the header timeout).
    @Test func requestAfterLeadingEmptyLinesIsParsedWithoutMoreInput() {
        let input = Array("\r\n\r\nGET /health HTTP/1.1\r\nHost: a\r\n\r\n".utf8)
        let (targets, unread) = Self.requests(in: input)
        #expect(targets == ["/health"])
        #expect(unread == 0)
    }

    @Test func pipelinedRequestAfterEmptyLineIsParsed() {
        let input = Array("GET /a HTTP/1.1\r\nHost: a\r\n\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n".utf8)
        #expect(Self.requests(in: input).targets == ["/a", "/b"])
    }

    /// Found by the fuzzer (CI's 60 s pass, 2026-11-23): the limit on empty lines before a
    /// request counted only the lines of one call, so a stream cut into small pieces could send
    /// any number of them, while the same stream at once was refused. The count now spans calls
    /// and restarts with each request.
    @Test(arguments: [1, 2, 3, 7, 1000])
    func emptyLineLimitHoldsHoweverTheStreamIsCut(_ pieceSize: Int) {
        let tooMany = [UInt8](repeating: 0, count: 130).flatMap { _ in Array("\r\n".utf8) } // 260 > 256 bytes
        let stream = Array("GET /a HTTP/1.1\r\nHost: a\r\n\r\n".utf8) + tooMany + Array("GET /b HTTP/1.1\r\nHost: a\r\n\r\n".utf8)
        #expect(Self.outcomes(stream, pieceSize: pieceSize) == ["/a", "failure 400"])
        // Up to the limit, across pieces and for each request afresh.
        let allowed = [UInt8](repeating: 0, count: 128).flatMap { _ in Array("\r\n".utf8) } // 256 bytes
        let twice = allowed + Array("GET /a HTTP/1.1\r\nHost: a\r\n\r\n".utf8) + allowed + Array("GET /b HTTP/1.1\r\nHost: a\r\n\r\n".utf8)
        #expect(Self.outcomes(twice, pieceSize: pieceSize) == ["/a", "/b"])
    }

    /// Feeds `stream` in pieces of `pieceSize` bytes, as a connection does; returns the targets
    /// of the requests, then `failure <status>` if the parser failed.
    static func outcomes(_ stream: [UInt8], pieceSize: Int) -> [String] {
        var parser = HTTPRequestParser(limits: limits)
        var unread: [UInt8] = []
        var delivered = 0
        var results: [String] = []
        while true {
            let (event, consumed) = unread.withUnsafeBytes { parser.parse($0) }
            unread.removeFirst(consumed)
            switch event {
            case .request(let parsed): results.append(parsed.request.target)
            case .sendContinue: continue
            case .failure(let status, _): return results + ["failure \(status.code)"]
            case .needMore:
                guard delivered < stream.count else { return results }
                let end = min(stream.count, delivered + pieceSize)
                unread += stream[delivered..<end]
                delivered = end
            }
        }
    }

    @Test func emptyLinesAloneStillNeedMore() {
        var parser = HTTPRequestParser(limits: Self.limits)
        let (event, consumed) = Array("\r\n\r\n".utf8).withUnsafeBytes { parser.parse($0) }
        guard case .needMore = event else { Issue.record("expected needMore, got \(event)"); return }
        #expect(consumed == 4)
    }
}

extension HTTPRequestParserTests {
    /// Parses `bytes` fed one byte at a time.
    static func outcomeByteByByte(_ bytes: [UInt8]) -> String {
        var parser = HTTPRequestParser(limits: limits)
        var unread: [UInt8] = []
        for byte in bytes {
            unread.append(byte)
            let (event, consumed) = unread.withUnsafeBytes { parser.parse($0) }
            unread.removeFirst(consumed)
            switch event {
            case .request(let parsed): return "request \(parsed.request.body.count)"
            case .failure(let status, _): return "failure \(status.code)"
            case .needMore, .sendContinue: continue
            }
        }
        return "needMore"
    }

    static func outcomeAtOnce(_ bytes: [UInt8]) -> String {
        var parser = HTTPRequestParser(limits: limits)
        var unread = bytes
        while true {
            let (event, consumed) = unread.withUnsafeBytes { parser.parse($0) }
            unread.removeFirst(consumed)
            switch event {
            case .request(let parsed): return "request \(parsed.request.body.count)"
            case .failure(let status, _): return "failure \(status.code)"
            case .sendContinue: continue
            case .needMore: return "needMore"
            }
        }
    }

    /// Found by the fuzzer: a chunk-size line one byte over the limit (4096 by default) was
    /// accepted when it arrived whole and refused when it arrived in pieces. The limit now
    /// applies to the line without its CRLF whatever the packet boundaries.
    @Test(arguments: [4095, 4096, 4097, 4098])
    func chunkSizeLineLimitDoesNotDependOnPacketBoundaries(lineLength: Int) {
        let head = "POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        let line = "5;" + String(repeating: "x", count: lineLength - 2)
        let input = Array((head + line + "\r\nhello\r\n0\r\n\r\n").utf8)
        let whole = Self.outcomeAtOnce(input)
        #expect(whole == Self.outcomeByteByByte(input))
        #expect(whole == (lineLength <= 4096 ? "request 5" : "failure 400"))
    }
}

extension HTTPRequestParserTests {
    /// The head is scanned eight bytes at a time (for CR and LF, then each value for bytes a
    /// field value may not hold). Every special byte at every offset within a word, and line
    /// ends at every offset, must give the verdict the byte-at-a-time grammar gives:
    /// VCHAR, SP, HTAB and obs-text are kept; other controls, DEL, a bare CR or a bare LF are 400.
    @Test(arguments: [0x00, 0x01, 0x09, 0x0A, 0x0D, 0x0E, 0x1F, 0x20, 0x41, 0x7E, 0x7F, 0x80, 0xFF] as [UInt8])
    func wordAtATimeScansAgreeWithTheGrammar(special: UInt8) {
        let allowed = special >= 0x20 && special != 0x7F || special == 0x09
        for length in 2...26 {
            for position in 1..<(length - 1) { // inside the value: its ends are trimmed of tabs
                var value = Array(repeating: UInt8(ascii: "v"), count: length)
                value[position] = special
                let input = Array("GET / HTTP/1.1\r\nHost: a\r\nX-Long: ".utf8) + value + Array("\r\n\r\n".utf8)
                let whole = Self.outcomeAtOnce(input)
                #expect(whole == Self.outcomeByteByByte(input), "byte \(special) at \(position) of \(length)")
                #expect(whole == (allowed ? "request 0" : "failure 400"), "byte \(special) at \(position) of \(length)")
                if allowed {
                    var parser = HTTPRequestParser(limits: Self.limits)
                    let (event, _) = input.withUnsafeBytes { parser.parse($0) }
                    guard case .request(let parsed) = event else { Issue.record("no request"); continue }
                    #expect(parsed.request.headers["X-Long"] == String(decoding: value, as: UTF8.self))
                }
            }
        }
    }

    /// Line ends at every offset within a word, and long lines, still delimit the fields.
    @Test func lineEndsAtEveryOffsetDelimitFields() {
        for first in 0...17 {
            for second in 0...17 {
                let a = String(repeating: "a", count: first), b = String(repeating: "b", count: second)
                let input = Array("GET /x HTTP/1.1\r\nHost: h\r\nX-A: \(a)\r\nX-B: \(b)\r\n\r\nGET /y HTTP/1.1\r\nHost: h\r\n\r\n".utf8)
                let (targets, unread) = Self.requests(in: input)
                #expect(targets == ["/x", "/y"] && unread == 0, "lengths \(first), \(second)")
                var parser = HTTPRequestParser(limits: Self.limits)
                let (event, _) = input.withUnsafeBytes { parser.parse($0) }
                guard case .request(let parsed) = event else { Issue.record("no request"); continue }
                #expect(parsed.request.headers["X-A"] == a && parsed.request.headers["X-B"] == b)
            }
        }
    }
}
