/// The protected header of a JWS (RFC 7515 §4), as parsed and checked by ``UnverifiedJWT``.
///
/// Only what verification needs is lifted into properties; every member stays available in
/// ``fields``. Key-carrying parameters (`jwk`, `jku`, `x5u`, `x5c`) are kept there but never
/// used to find a key.
public struct JWTHeader: Sendable, Hashable {
    /// `alg` (RFC 7515 §4.1.1): required, compared case-sensitively.
    public let algorithm: JWTAlgorithm
    /// `kid` (RFC 7515 §4.1.4): an opaque string, used only as a lookup key.
    public let keyID: String?
    /// `typ` (RFC 7515 §4.1.9), such as `JWT` or `at+jwt`.
    public let type: String?
    /// `cty` (RFC 7515 §4.1.10).
    public let contentType: String?
    /// `crit` (RFC 7515 §4.1.11): extension names the producer requires us to understand.
    public let critical: [String]
    /// Every header member, in document order.
    public let fields: JSONObject

    /// Header parameter names RFC 7515 and RFC 7518 define; RFC 7515 §4.1.11 forbids listing
    /// them in `crit`.
    static let registeredNames: Set<String> = [
        "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit",
        "enc", "zip", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c",
    ]

    /// Checks a parsed header object against the JWS rules.
    /// - Parameter understoodCritical: Extension names this verifier understands for `crit`.
    /// - Throws: ``JWTError/Code/malformed`` or ``JWTError/Code/unsupportedAlgorithm``.
    init(fields: JSONObject, understoodCritical: Set<String>) throws(JWTError) {
        var algorithm: JWTAlgorithm?
        var keyID: String?
        var type: String?
        var contentType: String?
        var critical: [String]?
        for member in fields {
            switch member.name {
            case "alg":
                guard case .string(let s) = member.value else { throw .malformed("the alg header is not a string") }
                algorithm = JWTAlgorithm(rawValue: s)
            case "kid":
                guard case .string(let s) = member.value else { throw .malformed("the kid header is not a string") }
                keyID = s
            case "typ":
                guard case .string(let s) = member.value else { throw .malformed("the typ header is not a string") }
                type = s
            case "cty":
                guard case .string(let s) = member.value else { throw .malformed("the cty header is not a string") }
                contentType = s
            case "crit":
                guard case .array(let names) = member.value, !names.isEmpty else {
                    throw .malformed("the crit header is not a non-empty array (RFC 7515 §4.1.11)")
                }
                var list: [String] = []
                for name in names {
                    guard case .string(let s) = name else { throw .malformed("the crit header lists a non-string") }
                    guard !list.contains(s) else { throw .malformed("the crit header repeats a name") }
                    list.append(s)
                }
                critical = list
            case "b64":
                // RFC 7797: an unencoded payload changes what is signed; we support only the default.
                guard case .bool(true) = member.value else {
                    throw .malformed("unencoded payloads (b64 other than true, RFC 7797) are not supported")
                }
            default:
                continue
            }
        }
        guard let algorithm else { throw .malformed("the header has no alg (RFC 7515 §4.1.1)") }
        guard !algorithm.isNone else {
            throw JWTError(.unsupportedAlgorithm, "unsecured JWTs (alg none) are never accepted")
        }
        for name in critical ?? [] {
            guard !Self.registeredNames.contains(name) else {
                throw .malformed("the crit header lists a registered header name (RFC 7515 §4.1.11)")
            }
            guard understoodCritical.contains(name) else {
                throw .malformed("the crit header lists an extension this verifier does not understand")
            }
            guard fields[name] != nil else {
                throw .malformed("the crit header lists a parameter the header does not contain")
            }
        }
        self.algorithm = algorithm
        self.keyID = keyID
        self.type = type
        self.contentType = contentType
        self.critical = critical ?? []
        self.fields = fields
    }

    /// Whether ``type`` names `expected`, comparing media types as RFC 7515 §4.1.9 says:
    /// case-insensitively, with an omitted `application/` prefix.
    func typeMatches(_ expected: String) -> Bool {
        guard let type else { return false }
        return Self.normalizedMediaType(type) == Self.normalizedMediaType(expected)
    }

    static func normalizedMediaType(_ value: String) -> String {
        let lower = value.lowercased()
        if lower.hasPrefix("application/"), !lower.dropFirst(12).contains("/") {
            return String(lower.dropFirst(12))
        }
        return lower
    }
}
