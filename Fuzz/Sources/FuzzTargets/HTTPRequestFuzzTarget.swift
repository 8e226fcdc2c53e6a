import ExampleServerHTTP
import TokenMiddleware

/// The example server's HTTP/1.1 request parser, fed a byte stream the way a connection feeds
/// it: bytes arrive in pieces, the parser consumes what it can, and after `needMore` nothing is
/// parsed again until more bytes arrive.
///
/// Input: one byte choosing how the stream is cut into pieces, then the stream.
/// Invariants:
/// - the parser never consumes more bytes than it was given;
/// - the stream cut into pieces yields the same requests, in the same order, as the stream
///   delivered at once, and fails exactly when that does (request smuggling and stalls hide in
///   incremental parsers: a request that depends on packet boundaries is a finding);
/// - every request has a token method, an origin-form or `*` target, field names of token
///   characters, field values without CR, LF or NUL, at most the configured number of fields,
///   a body within the limit, and exactly the declared `Content-Length` body.
enum HTTPRequestFuzzTarget {
    static let target = FuzzTarget(
        name: "http-request",
        summary: "HTTPRequestParser: whole vs piecewise delivery agree; requests are well formed",
        run: run,
        seeds: seeds
    )

    static let limits = HTTPRequestParser.Limits(
        maxRequestLineBytes: 256, maxHeaderBytes: 1024, maxHeaderCount: 16, maxBodyBytes: 4096, maxChunkLineBytes: 64
    )

    /// What a connection observes: complete requests, then possibly a failure.
    enum Outcome: Equatable {
        case request(method: String, target: String, headers: [HTTPHeaders.Field], body: [UInt8], keepAlive: Bool, isHTTP10: Bool)
        case failure
    }

    static func run(_ raw: UnsafeRawBufferPointer) {
        guard let first = raw.first else { return }
        let stream = Array(raw.dropFirst())
        let whole = parse(stream, pieceSizes: { stream.count })
        // Piece sizes 1 to 16, cycling through a pattern drawn from the selector byte.
        var state = UInt32(first) | 0x100
        let pieces = parse(stream, pieceSizes: {
            state = state &* 1_103_515_245 &+ 12_345
            return Int((state >> 16) % 16) + 1
        })
        invariant(whole == pieces, "piecewise delivery changed the outcome: whole \(whole.count) outcomes \(summary(whole)), pieces \(summary(pieces))")
        for outcome in whole { check(outcome) }
    }

    static func summary(_ outcomes: [Outcome]) -> String {
        outcomes.map { outcome in
            switch outcome {
            case .request(let method, let target, _, let body, _, _): "\(method) \(target.prefix(40)) [\(body.count) body bytes]"
            case .failure: "failure"
            }
        }.joined(separator: ", ")
    }

    /// Feeds `stream` to a fresh parser in pieces of `pieceSizes()` bytes.
    static func parse(_ stream: [UInt8], pieceSizes: () -> Int) -> [Outcome] {
        var parser = HTTPRequestParser(limits: limits)
        var unread: [UInt8] = []
        var delivered = 0
        var outcomes: [Outcome] = []
        func deliver() -> Bool {
            guard delivered < stream.count else { return false }
            let end = min(stream.count, delivered + max(1, pieceSizes()))
            unread.append(contentsOf: stream[delivered..<end])
            delivered = end
            return true
        }
        guard deliver() else { return [] }
        while true {
            let (event, consumed) = unread.withUnsafeBytes { parser.parse($0) }
            invariant(consumed >= 0 && consumed <= unread.count, "consumed \(consumed) of \(unread.count) bytes")
            unread.removeFirst(consumed)
            switch event {
            case .needMore:
                guard deliver() else { return outcomes }
            case .sendContinue:
                continue
            case .request(let parsed):
                let r = parsed.request
                outcomes.append(.request(
                    method: r.method.rawValue, target: r.target, headers: Array(r.headers), body: r.body,
                    keepAlive: parsed.keepAlive, isHTTP10: parsed.isHTTP10
                ))
                // A connection answers, then parses what is buffered before reading more.
            case .failure:
                outcomes.append(.failure)
                return outcomes
            }
        }
    }

    static func check(_ outcome: Outcome) {
        guard case .request(let method, let target, let headers, let body, _, let isHTTP10) = outcome else { return }
        invariant(!method.isEmpty && method.utf8.allSatisfy(HTTPRequestParser.isTokenByte), "method is not a token")
        invariant(target == "*" || target.hasPrefix("/"), "target \(target.prefix(40)) is not origin-form or *")
        invariant(target.utf8.allSatisfy { (0x21...0x7E).contains($0) }, "target has a byte outside visible ASCII")
        invariant(headers.count <= limits.maxHeaderCount, "\(headers.count) header fields over the limit")
        invariant(body.count <= limits.maxBodyBytes, "body of \(body.count) bytes over the limit")
        for field in headers {
            invariant(!field.name.isEmpty && field.name.utf8.allSatisfy(HTTPRequestParser.isTokenByte), "field name is not a token")
            invariant(!field.value.utf8.contains { $0 == 13 || $0 == 10 || $0 == 0 }, "field value carries CR, LF or NUL")
        }
        let hosts = headers.filter { HTTPHeaders.namesEqual($0.name, "Host") }
        invariant(isHTTP10 ? hosts.count <= 1 : hosts.count == 1, "HTTP/1.1 request with \(hosts.count) Host fields")
        let lengths = headers.filter { HTTPHeaders.namesEqual($0.name, "Content-Length") }
        let encodings = headers.filter { HTTPHeaders.namesEqual($0.name, "Transfer-Encoding") }
        invariant(lengths.isEmpty || encodings.isEmpty, "both Content-Length and Transfer-Encoding accepted")
        if let length = lengths.first {
            let declared = length.value.split(separator: ",").first.map { Int($0.trimmingCharacters(in: " \t")) } ?? nil
            invariant(declared == body.count, "Content-Length \(length.value.prefix(20)) but \(body.count) body bytes")
        } else if encodings.isEmpty {
            invariant(body.isEmpty, "a body without Content-Length or Transfer-Encoding")
        }
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> Substring {
        var s = self
        while let c = s.first, set.contains(c) { s.removeFirst() }
        while let c = s.last, set.contains(c) { s.removeLast() }
        return s
    }
}

extension HTTPRequestFuzzTarget {
    static func seeds() -> [[UInt8]] {
        [
            "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "GET /api/me HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2ln\r\nCookie: s=1; t=2\r\n\r\n"
                + "GET /b?x=1 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
            "POST /api/items HTTP/1.1\r\nHost: a\r\nContent-Length: 17\r\nContent-Type: application/json\r\n\r\n{\"name\":\"widget\"}",
            "POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n5;ext=1\r\nhello\r\n0\r\nTrailer: x\r\n\r\n",
            "GET http://example.com/path?q=1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
            "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
            "\r\nGET / HTTP/1.1\r\nHost: a\r\nContent-Length: 0, 0\r\n\r\n",
        ].enumerated().map { index, text in [UInt8(index * 37 & 0xFF)] + Array(text.utf8) }
    }
}
