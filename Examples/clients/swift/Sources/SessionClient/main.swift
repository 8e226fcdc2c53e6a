// Usage: SessionClient BASE_URL [USERNAME PASSWORD]
// (or TOKEN_AUTH_USER / TOKEN_AUTH_PASSWORD). Prints each step; a route the server lacks (404)
// is reported as SKIPPED; any other unexpected status exits 1.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

struct Reply {
    var status: Int
    var json: [String: Any]
    var text: String
}

enum ClientFailure: Error, CustomStringConvertible {
    case usage(String)
    case unexpected(String)
    var description: String {
        switch self {
        case .usage(let message), .unexpected(let message): message
        }
    }
}

struct SessionClient {
    let base: String
    let session = URLSession(configuration: .ephemeral)
    var skipped = 0

    func send(_ method: String, _ path: String, bearer: String? = nil, json: [String: String]? = nil) async throws -> Reply {
        guard let url = URL(string: base + path) else { throw ClientFailure.usage("bad base URL \(base)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = 30
        if let bearer { request.setValue("Bearer \(bearer)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
        }
        let (data, response) = try await session.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return Reply(status: status, json: object, text: String(decoding: data.prefix(300), as: UTF8.self))
    }

    /// Prints the outcome; `false` for a missing route (skipped).
    mutating func check(_ title: String, _ reply: Reply, _ expected: Int) throws -> Bool {
        if reply.status == 404 && expected != 404 {
            print("SKIPPED  \(title): the server has no such route (404)")
            skipped += 1
            return false
        }
        guard reply.status == expected else {
            throw ClientFailure.unexpected("FAILED   \(title): expected \(expected), got \(reply.status): \(reply.text)")
        }
        print("ok       \(title) -> \(reply.status)")
        return true
    }
}

func run() async throws {
    let arguments = CommandLine.arguments.dropFirst()
    let environment = ProcessInfo.processInfo.environment
    guard let base = arguments.first?.trimmingCharacters(in: CharacterSet(charactersIn: "/")) else {
        throw ClientFailure.usage("usage: SessionClient BASE_URL [USERNAME PASSWORD]")
    }
    let user = arguments.dropFirst().first ?? environment["TOKEN_AUTH_USER"] ?? "demo"
    guard let password = arguments.dropFirst(2).first ?? environment["TOKEN_AUTH_PASSWORD"] else {
        throw ClientFailure.usage("no password: pass it as the third argument or set TOKEN_AUTH_PASSWORD")
    }
    var client = SessionClient(base: base)
    print("== Swift URLSession client against \(base) as '\(user)'")
    let credentials = ["username": user, "password": password]

    let login = try await client.send("POST", "/auth/login", json: credentials)
    guard try client.check("POST /auth/login", login, 200),
          let access = login.json["access_token"] as? String, let refresh = login.json["refresh_token"] as? String else {
        print("== done: \(client.skipped) skipped")
        return
    }
    _ = try client.check("GET /api/me with the access token", try await client.send("GET", "/api/me", bearer: access), 200)

    let rotated = try await client.send("POST", "/auth/refresh", json: ["refresh_token": refresh])
    if try client.check("POST /auth/refresh (rotation)", rotated, 200), let newAccess = rotated.json["access_token"] as? String {
        _ = try client.check("GET /api/me with the rotated token", try await client.send("GET", "/api/me", bearer: newAccess), 200)
        let reuse = try await client.send("POST", "/auth/refresh", json: ["refresh_token": refresh])
        _ = try client.check("POST /auth/refresh with the used token: reuse detected", reuse, 401)
        print("         \(reuse.json["code"] ?? "?"): \(reuse.json["detail"] ?? "?")")
        _ = try client.check("GET /api/me after reuse: session revoked", try await client.send("GET", "/api/me", bearer: newAccess), 401)
    }

    let second = try await client.send("POST", "/auth/login", json: credentials)
    if try client.check("POST /auth/login (new session)", second, 200), let token = second.json["access_token"] as? String {
        if try client.check("POST /auth/logout", try await client.send("POST", "/auth/logout", bearer: token), 204) {
            _ = try client.check("GET /api/me after logout", try await client.send("GET", "/api/me", bearer: token), 401)
        }
    }
    print("== done: all steps passed, \(client.skipped) skipped")
}

do {
    try await run()
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(1)
}
