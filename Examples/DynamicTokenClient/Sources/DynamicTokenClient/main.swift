// Signs one request with a signed dynamic token (Docs/DynamicTokenSigned.md) and sends it.
//
//   DynamicTokenClient URL [--method POST] [--body TEXT] [--subject S] [--header X-Dynamic-Token]
//                          [--key-id ID] [--secret-hex HEX]
//   DynamicTokenClient --print --target '/path?q' [--method GET] [--body TEXT] [--time MS] [--nonce-hex HEX] …
//
// --key-id and --secret-hex default to $DYNAMIC_TOKEN_KEY_ID and $DYNAMIC_TOKEN_SECRET_HEX;
// --secret-base64url ($DYNAMIC_TOKEN_SECRET_BASE64URL) is accepted instead of hex.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TokenCore

struct Usage: Error, CustomStringConvertible { var description: String }

func parse(_ arguments: [String]) throws -> (positional: [String], options: [String: String]) {
    var positional: [String] = []
    var options: [String: String] = [:]
    var i = 0
    while i < arguments.count {
        let a = arguments[i]
        if a == "--print" {
            options["print"] = "1"
        } else if a.hasPrefix("--") {
            guard i + 1 < arguments.count else { throw Usage(description: "\(a) needs a value") }
            options[String(a.dropFirst(2))] = arguments[i + 1]
            i += 1
        } else {
            positional.append(a)
        }
        i += 1
    }
    return (positional, options)
}

/// A fixed clock for `--time`.
struct FixedClock: WallClock {
    var date: Date
    func now() -> Date { date }
}

func run() async throws {
    let (positional, options) = try parse(Array(CommandLine.arguments.dropFirst()))
    let environment = ProcessInfo.processInfo.environment
    guard let keyID = options["key-id"] ?? environment["DYNAMIC_TOKEN_KEY_ID"] else {
        throw Usage(description: "--key-id (or DYNAMIC_TOKEN_KEY_ID) is required")
    }
    let key: DynamicTokenKey
    if let hex = options["secret-hex"] ?? environment["DYNAMIC_TOKEN_SECRET_HEX"] {
        key = try DynamicTokenKey(id: keyID, hexSecret: hex)
    } else if let text = options["secret-base64url"] ?? environment["DYNAMIC_TOKEN_SECRET_BASE64URL"] {
        key = try DynamicTokenKey(id: keyID, secret: Base64URL.decode(text))
    } else {
        throw Usage(description: "--secret-hex or --secret-base64url (or DYNAMIC_TOKEN_SECRET_HEX / DYNAMIC_TOKEN_SECRET_BASE64URL) is required")
    }
    let clock: any WallClock = options["time"].flatMap(Int64.init).map { FixedClock(date: Date(unixMilliseconds: $0)) } ?? SystemClock()
    let signer = try DynamicTokenSigner(key: key, clock: clock)
    let method = options["method"] ?? "GET"
    let body = Array((options["body"] ?? "").utf8)
    let subject = options["subject"]

    if options["print"] != nil {
        let target = options["target"] ?? "/"
        if let nonceHex = options["nonce-hex"] {
            // Fixed inputs, for test vectors only: a nonce must never be reused.
            print(try signer.token(method: method, target: target, body: body, subject: subject,
                                   timestampMilliseconds: clock.now().unixMilliseconds, nonce: Hex.decode(nonceHex)))
        } else {
            print(try signer.token(method: method, target: target, body: body, subject: subject))
        }
        return
    }
    guard let text = positional.first, let url = URL(string: text), let components = URLComponents(url: url, resolvingAgainstBaseURL: false) else {
        throw Usage(description: "usage: DynamicTokenClient URL [--method M] [--body TEXT] [--subject S]")
    }
    // The target exactly as URLSession will put it on the request line.
    let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
    let target = path + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
    let token = try signer.token(method: method, target: target, body: body, subject: subject)

    var request = URLRequest(url: url)
    request.httpMethod = method
    request.setValue(token, forHTTPHeaderField: options["header"] ?? "X-Dynamic-Token")
    if !body.isEmpty { request.httpBody = Data(body) }
    let (data, response) = try await URLSession.shared.data(for: request)
    let status = (response as? HTTPURLResponse)?.statusCode ?? 0
    print(status, String(decoding: data, as: UTF8.self))
    if !(200..<300).contains(status) { exit(1) }
}

do {
    try await run()
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
