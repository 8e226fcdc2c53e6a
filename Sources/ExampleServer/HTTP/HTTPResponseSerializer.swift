import ExampleServerHTTP
import TokenMiddleware

/// Writes responses in HTTP/1.1 wire format (RFC 9112 §4–6) into an output buffer.
///
/// The server owns framing: a handler's `Content-Length`, `Transfer-Encoding` and `Connection`
/// fields are replaced by the server's own, and a field whose name is not a token or whose value
/// holds CR, LF or NUL is dropped, so no handler can split a response.
struct HTTPResponseSerializer {
    private var dateSecond = -1
    private var dateLine: [UInt8] = []

    /// Appends `response`. `headOnly` omits the body (HEAD); `close` adds `Connection: close`;
    /// `keepAlive10` adds `Connection: keep-alive` for an HTTP/1.0 client that asked for it.
    mutating func append(_ response: HTTPResponse, to out: inout [UInt8], headOnly: Bool, close: Bool, keepAlive10: Bool) {
        let code = response.status.code
        out.append(contentsOf: "HTTP/1.1 ".utf8)
        appendDigits(&out, min(max(code, 100), 999), width: 3)
        out.append(32)
        for byte in response.status.reasonPhrase.utf8 where byte == 9 || (byte >= 32 && byte != 127) { out.append(byte) }
        out.append(contentsOf: "\r\n".utf8)
        for field in response.headers where Self.isSendable(field) {
            out.append(contentsOf: field.name.utf8)
            out.append(contentsOf: ": ".utf8)
            out.append(contentsOf: field.value.utf8)
            out.append(contentsOf: "\r\n".utf8)
        }
        let bodyAllowed = code >= 200 && code != 204 && code != 304
        if bodyAllowed {
            out.append(contentsOf: "Content-Length: ".utf8)
            appendDigits(&out, response.body.count, width: 1)
            out.append(contentsOf: "\r\n".utf8)
        }
        appendDate(&out)
        if close {
            out.append(contentsOf: "Connection: close\r\n".utf8)
        } else if keepAlive10 {
            out.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        }
        out.append(contentsOf: "\r\n".utf8)
        if bodyAllowed && !headOnly { out.append(contentsOf: response.body) }
    }

    /// Appends the interim `100 Continue` response (RFC 9110 §15.2.1).
    static func appendContinue(to out: inout [UInt8]) {
        out.append(contentsOf: "HTTP/1.1 100 Continue\r\n\r\n".utf8)
    }

    /// A complete response the server writes on its own (errors, overload).
    static func errorResponse(_ status: HTTPStatus, _ message: String) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: HTTPHeaders.Name.contentType, value: "application/json")
        let escaped = message.filter { $0 != "\"" && $0 != "\\" }
        return HTTPResponse(status: status, headers: headers, body: Array("{\"error\":\"\(escaped)\"}".utf8))
    }

    private static func isSendable(_ field: HTTPHeaders.Field) -> Bool {
        if HTTPHeaders.namesEqual(field.name, "Content-Length") || HTTPHeaders.namesEqual(field.name, "Transfer-Encoding")
            || HTTPHeaders.namesEqual(field.name, "Connection") || HTTPHeaders.namesEqual(field.name, "Date") {
            return false
        }
        guard !field.name.isEmpty, field.name.utf8.allSatisfy(HTTPRequestParser.isTokenByte) else { return false }
        return field.value.utf8.allSatisfy { $0 == 9 || ($0 >= 32 && $0 != 127) }
    }

    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Date: Sun, 06 Nov 1994 08:49:37 GMT` (IMF-fixdate, RFC 9110 §5.6.7), formatted once a second.
    private mutating func appendDate(_ out: inout [UInt8]) {
        let now = SocketSystem.wallClock().seconds
        if now != dateSecond {
            dateSecond = now
            let t = SocketSystem.utc(now)
            var line = Array("Date: \(Self.days[Int(t.tm_wday) % 7]), ".utf8)
            appendDigits(&line, Int(t.tm_mday), width: 2)
            line.append(contentsOf: " \(Self.months[Int(t.tm_mon) % 12]) ".utf8)
            appendDigits(&line, Int(t.tm_year) + 1900, width: 4)
            line.append(32)
            appendDigits(&line, Int(t.tm_hour), width: 2)
            line.append(58)
            appendDigits(&line, Int(t.tm_min), width: 2)
            line.append(58)
            appendDigits(&line, Int(t.tm_sec), width: 2)
            line.append(contentsOf: " GMT\r\n".utf8)
            dateLine = line
        }
        out.append(contentsOf: dateLine)
    }
}
