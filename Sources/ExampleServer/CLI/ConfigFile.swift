import Foundation

/// The JSON configuration file (`--config FILE`): every field is optional; a missing field keeps
/// the built-in demo default. Unknown fields are an error, so a typo cannot silently leave a
/// default (such as a demo secret) in place. `Examples/server-config.json` shows every field.
struct ConfigFile: Decodable, Equatable {
    var host: String?
    var port: Int?
    var dataDir: String?
    var server: Server?
    var jwt: JWT?
    var dynamicToken: DynamicToken?
    var apiKeys: APIKeys?
    var users: [User]?
    var credentialCache: CredentialCache?

    /// The opt-in caches of verified JWTs and API keys (`VerifiedCredentialCache`): each
    /// authenticator gets its own, of `capacity` entries (`0` or absent: off).
    struct CredentialCache: Decodable, Equatable {
        var capacity: Int?
        /// How long a verification may be reused at most (default 60 s).
        var maxAge: ConfigDuration?
    }

    /// HTTP server limits and timeouts (see `HTTPServerConfiguration`).
    struct Server: Decodable, Equatable {
        var maxConnections: Int?
        var eventLoops: Int?
        var headerTimeout: ConfigDuration?
        var bodyTimeout: ConfigDuration?
        var idleTimeout: ConfigDuration?
        var shutdownGracePeriod: ConfigDuration?
        var maxRequestLineBytes: Int?
        var maxHeaderBytes: Int?
        var maxHeaderCount: Int?
        var maxBodyBytes: Int?
        var accessLog: Bool?
    }

    /// JWT access tokens and sessions.
    struct JWT: Decodable, Equatable {
        var issuer: String?
        var audience: [String]?
        var leeway: ConfigDuration?
        var accessTokenTTL: ConfigDuration?
        var refreshTokenTTL: ConfigDuration?
        var refreshIdleTimeout: ConfigDuration?
        /// HMAC keys by key id; the first signs, all verify.
        var hmacKeys: [HMACKey]?
        /// A JWKS file with public keys to accept (RS/PS/ES/EdDSA tokens from an outside issuer).
        var jwksFile: String?
        /// A JWKS URL with public keys to accept.
        var jwksURL: String?
    }

    struct HMACKey: Decodable, Equatable {
        var kid: String
        /// `HS256`, `HS384` or `HS512`.
        var algorithm: String?
        /// The secret, base64url without padding; at least the hash output size.
        var secret: String
    }

    /// Dynamic tokens (signed format; legacy format optional).
    struct DynamicToken: Decodable, Equatable {
        var header: String?
        /// Signing keys by key id; all are accepted, the first is used by `token dynamic`.
        var keys: [DynamicKey]?
        var pastTolerance: ConfigDuration?
        var futureTolerance: ConfigDuration?
        var legacy: Legacy?
    }

    struct DynamicKey: Decodable, Equatable {
        var kid: String
        /// The shared secret, base64url without padding (at least 32 bytes).
        var secret: String
    }

    /// The legacy dynamic-token format (obfuscation, for existing clients only).
    struct Legacy: Decodable, Equatable {
        var enabled: Bool?
        var apiKey: String?
        var splitCharacters: String?
        var requireUUID: Bool?
        var tolerance: ConfigDuration?
    }

    /// API keys.
    struct APIKeys: Decodable, Equatable {
        /// The key file (relative paths are relative to the data directory when one is set).
        var file: String?
        var header: String?
        var allowQueryParameter: Bool?
    }

    /// A user who can log in at `/auth/login`.
    struct User: Decodable, Equatable {
        var username: String
        /// A PHC-format PBKDF2 hash, as printed by `ExampleServer hash-password`.
        var passwordHash: String
        var scopes: [String]?
    }

    /// Reads and validates `url`.
    /// - Throws: ``CommandLineError`` naming the file and the problem.
    static func load(_ url: URL) throws(CommandLineError) -> ConfigFile {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw CommandLineError("cannot read config file \(url.path): \(error.localizedDescription)")
        }
        guard data.count <= 1 << 20 else { throw CommandLineError("config file \(url.path) is larger than 1 MiB") }
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw CommandLineError("config file \(url.path) is not valid JSON")
        }
        try checkKeys(object, schema: schema, path: "")
        do { return try JSONDecoder().decode(ConfigFile.self, from: data) } catch let error as DecodingError {
            throw CommandLineError("config file \(url.path): \(describe(error))")
        } catch {
            throw CommandLineError("config file \(url.path): \(error)")
        }
    }

    /// Known keys, nested; `[:]` for a leaf, `["[]": …]` for an array of objects.
    private indirect enum Schema: Sendable {
        case leaf
        case object([String: Schema])
        case array(Schema)
    }

    private static let schema: Schema = .object([
        "host": .leaf, "port": .leaf, "dataDir": .leaf,
        "server": .object([
            "maxConnections": .leaf, "eventLoops": .leaf, "headerTimeout": .leaf, "bodyTimeout": .leaf,
            "idleTimeout": .leaf, "shutdownGracePeriod": .leaf, "maxRequestLineBytes": .leaf,
            "maxHeaderBytes": .leaf, "maxHeaderCount": .leaf, "maxBodyBytes": .leaf, "accessLog": .leaf,
        ]),
        "jwt": .object([
            "issuer": .leaf, "audience": .leaf, "leeway": .leaf, "accessTokenTTL": .leaf, "refreshTokenTTL": .leaf,
            "refreshIdleTimeout": .leaf, "jwksFile": .leaf, "jwksURL": .leaf,
            "hmacKeys": .array(.object(["kid": .leaf, "algorithm": .leaf, "secret": .leaf])),
        ]),
        "dynamicToken": .object([
            "header": .leaf, "pastTolerance": .leaf, "futureTolerance": .leaf,
            "keys": .array(.object(["kid": .leaf, "secret": .leaf])),
            "legacy": .object(["enabled": .leaf, "apiKey": .leaf, "splitCharacters": .leaf, "requireUUID": .leaf, "tolerance": .leaf]),
        ]),
        "apiKeys": .object(["file": .leaf, "header": .leaf, "allowQueryParameter": .leaf]),
        "users": .array(.object(["username": .leaf, "passwordHash": .leaf, "scopes": .leaf])),
        "credentialCache": .object(["capacity": .leaf, "maxAge": .leaf]),
    ])

    private static func checkKeys(_ value: Any, schema: Schema, path: String) throws(CommandLineError) {
        switch schema {
        case .leaf:
            return
        case .object(let fields):
            guard let object = value as? [String: Any] else { throw CommandLineError("config: \(path.isEmpty ? "the file" : path) must be an object") }
            for (key, nested) in object {
                guard let sub = fields[key] else {
                    throw CommandLineError("config: unknown field '\(path.isEmpty ? key : path + "." + key)'")
                }
                try checkKeys(nested, schema: sub, path: path.isEmpty ? key : path + "." + key)
            }
        case .array(let element):
            guard let array = value as? [Any] else { throw CommandLineError("config: \(path) must be an array") }
            for (index, item) in array.enumerated() { try checkKeys(item, schema: element, path: "\(path)[\(index)]") }
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c):
            return "\(path(c)): \(c.debugDescription)"
        case .keyNotFound(let key, let c):
            return "\(path(c)): missing field '\(key.stringValue)'"
        @unknown default:
            return "invalid configuration"
        }
    }
}

/// A duration in configuration: a number of seconds, or a string such as `"90s"`, `"15m"`,
/// `"12h"`, `"30d"`, `"1w"`.
struct ConfigDuration: Decodable, Equatable {
    var seconds: Double

    init(seconds: Double) { self.seconds = seconds }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            guard number.isFinite, number >= 0 else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "a duration must be a non-negative number")
            }
            seconds = number
            return
        }
        let text = try container.decode(String.self)
        guard let parsed = Self.parse(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not a duration (e.g. 90s, 15m, 12h, 30d)")
        }
        seconds = parsed
    }

    /// Parses `"15m"`-style text (also a bare number of seconds); `nil` if malformed.
    static func parse(_ text: String) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        var digits = Substring(text.trimmingCharacters(in: .whitespaces))
        var multiplier = 1.0
        if let last = digits.last, let unit = units[last] {
            multiplier = unit
            digits = digits.dropLast()
        }
        guard !digits.isEmpty, digits.count <= 12, let value = Double(digits), value.isFinite, value >= 0 else { return nil }
        return value * multiplier
    }
}
