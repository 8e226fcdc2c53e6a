public import TokenCore

/// Authenticates a client application by the dynamic token in a request header (default
/// `X-Dynamic-Token`): the signed single-use format, the legacy format, or either.
///
/// The principal's subject is the token's embedded subject (signed) or uuid (legacy) when there
/// is one; otherwise the key id (signed) or ``legacySubject`` (legacy, which has no identity
/// beyond its shared key). Its attributes say `format` (`"signed"` or `"legacy"`) and, for the
/// signed format, `kid`; its details are the ``SignedDynamicToken`` or
/// ``LegacyDynamicTokenVerdict``.
///
/// A dynamic token identifies an application, not a user session; put it beside a JWT
/// authenticator in an all-of chain when both are required.
///
/// ```swift
/// let verifier = try DynamicTokenVerifier(keys: ring, replayCache: InMemoryReplayCache())
/// let auth = DynamicTokenAuthenticator(signed: verifier)
/// ```
///
/// The contract of ``Authenticator``: no header, `nil`; a valid token, a principal; anything else
/// throws ``AuthenticationError`` (the header twice: malformed request, 400; a replay cache that
/// cannot answer: unavailable, 503; every other failure: invalid, 401).
public struct DynamicTokenAuthenticator: Authenticator {
    /// `X-Dynamic-Token`.
    public static let defaultHeaderName = "X-Dynamic-Token"
    /// The `WWW-Authenticate` scheme: `DynamicToken`.
    public static let scheme = "DynamicToken"
    /// The longest header value read, in bytes.
    public static let maximumHeaderLength = 4096

    /// The name in principals and logs (default `dynamic-token`).
    public let name: String
    /// The header the token is read from.
    public let headerName: String
    /// The subject of a legacy principal without a uuid.
    public let legacySubject: String
    private let signed: DynamicTokenVerifier?
    private let legacy: LegacyDynamicTokenDecoder?

    /// Accepts signed tokens only (the secure default).
    public init(signed verifier: DynamicTokenVerifier, headerName: String = defaultHeaderName, name: String = "dynamic-token") {
        self.init(signed: verifier, legacy: nil, headerName: headerName, name: name, legacySubject: "legacy-client")
    }

    /// Accepts legacy tokens only. **Obfuscation, not authentication:** the key is readable from
    /// any token and a token is reusable within the tolerance. For existing clients only.
    public init(legacy decoder: LegacyDynamicTokenDecoder, headerName: String = defaultHeaderName, name: String = "dynamic-token", legacySubject: String = "legacy-client") {
        self.init(signed: nil, legacy: decoder, headerName: headerName, name: name, legacySubject: legacySubject)
    }

    /// Accepts both formats, told apart by their shape (a signed token contains `.`; a legacy
    /// token is base 64 and cannot). For migrating clients from the legacy format.
    public init(signed verifier: DynamicTokenVerifier, legacy decoder: LegacyDynamicTokenDecoder, headerName: String = defaultHeaderName, name: String = "dynamic-token", legacySubject: String = "legacy-client") {
        self.init(signed: Optional(verifier), legacy: Optional(decoder), headerName: headerName, name: name, legacySubject: legacySubject)
    }

    private init(signed: DynamicTokenVerifier?, legacy: LegacyDynamicTokenDecoder?, headerName: String, name: String, legacySubject: String) {
        self.signed = signed
        self.legacy = legacy
        self.headerName = headerName
        self.name = name
        self.legacySubject = legacySubject
    }

    /// The formats accepted, for logs and documentation: `["signed"]`, `["legacy"]` or both.
    public var acceptedFormats: [String] {
        (signed == nil ? [] : ["signed"]) + (legacy == nil ? [] : ["legacy"])
    }

    /// `DynamicToken header="X-Dynamic-Token"`.
    public var challenge: AuthenticationChallenge {
        AuthenticationChallenge(scheme: Self.scheme, parameters: [.init("header", headerName)])
    }

    /// Reads the header and verifies the token; see the type's documentation for the contract.
    public func authenticate(_ request: HTTPRequest) async throws -> Principal? {
        var raw: String?
        var count = 0
        for field in request.headers where HTTPHeaders.namesEqual(field.name, headerName) {
            count += 1
            if raw == nil { raw = field.value }
        }
        guard let raw else { return nil }
        do {
            guard count == 1 else {
                throw DynamicTokenError(.ambiguous, "the \(headerName) header must appear once")
            }
            guard raw.utf8.count <= Self.maximumHeaderLength else {
                throw DynamicTokenError(.tooLarge, "the \(headerName) header is too large")
            }
            let value = raw.trimmingOWS()
            guard !value.isEmpty else { throw DynamicTokenError(.malformed, "the \(headerName) header is empty") }

            if value.utf8.contains(UInt8(ascii: ".")) {
                guard let signed else {
                    throw DynamicTokenError(.formatNotAccepted, "this endpoint accepts only legacy dynamic tokens")
                }
                let token = try await signed.verify(value, method: request.method.rawValue, target: request.target, body: request.body)
                return Principal(
                    subject: token.subject ?? token.keyID,
                    authenticator: name,
                    attributes: ["format": "signed", "kid": token.keyID],
                    details: token
                )
            }
            guard let legacy else {
                throw DynamicTokenError(.formatNotAccepted, "this endpoint accepts only signed dynamic tokens")
            }
            let verdict = try legacy.verify(value)
            return Principal(
                subject: verdict.uuid ?? legacySubject,
                authenticator: name,
                attributes: ["format": "legacy"],
                details: verdict
            )
        } catch let error as DynamicTokenError {
            throw AuthenticationError(error, authenticator: name)
        }
    }
}

extension String {
    /// Without leading and trailing spaces and tabs (RFC 9110 §5.5 optional whitespace).
    fileprivate func trimmingOWS() -> String {
        let u = utf8
        // Field values usually arrive trimmed: no copy then.
        if let first = u.first, let last = u.last, first != 0x20, first != 0x09, last != 0x20, last != 0x09 { return self }
        guard let start = u.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }),
              let last = u.lastIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return "" }
        return String(self[start...last])
    }
}
