/// The parsed value of an `Authorization` header: an auth scheme and its credentials
/// (RFC 9110 §11.6.2, `credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ]`).
public struct AuthorizationCredentials: Sendable, Hashable {
    /// The scheme as sent (`Bearer`, `bearer`, `DynamicToken`). Compare it with ``hasScheme(_:)``,
    /// which ignores case as RFC 9110 §11.1 requires.
    public var scheme: String
    /// Everything after the scheme and the spaces that follow it, unparsed. Empty when the
    /// header holds only a scheme.
    public var credentials: String

    /// Creates a value from its parts (no validation).
    public init(scheme: String, credentials: String) {
        self.scheme = scheme
        self.credentials = credentials
    }

    /// Whether the scheme is `scheme`, compared ASCII case-insensitively (RFC 9110 §11.1).
    public func hasScheme(_ scheme: String) -> Bool {
        HTTPHeaders.namesEqual(self.scheme, scheme)
    }
}

extension HTTPHeaders {
    /// The largest `Authorization` value accepted, in bytes. Larger values are a malformed request,
    /// not a credential to verify: no token this library handles comes near it.
    public static let maximumAuthorizationLength = 16 * 1024

    /// The request's `Authorization` header, split into scheme and credentials.
    ///
    /// Returns `nil` when there is no `Authorization` header. Two or more `Authorization` fields
    /// are never joined or chosen between: the request is malformed (RFC 9110 §5.3 only allows
    /// repeating list-based fields, and `Authorization` is not one).
    ///
    /// ```swift
    /// if let auth = try request.headers.authorization(), auth.hasScheme("ApiKey") { … }
    /// ```
    /// - Returns: the scheme and credentials, or `nil` without the header.
    /// - Throws: ``AuthenticationError`` of kind ``AuthenticationError/Kind/malformedRequest``
    ///   (code `invalid_request`) for repeated, empty, oversized or syntactically invalid headers.
    public func authorization() throws(AuthenticationError) -> AuthorizationCredentials? {
        try withAuthorizationField { bytes throws(AuthenticationError) in
            let parts = try Self.splitAuthorization(bytes)
            return AuthorizationCredentials(
                scheme: String(decoding: UnsafeBufferPointer(rebasing: bytes[parts.scheme]), as: UTF8.self),
                credentials: String(decoding: UnsafeBufferPointer(rebasing: bytes[parts.credentials]), as: UTF8.self)
            )
        }
    }

    /// Runs `body` over the bytes of the one `Authorization` field, or returns `nil` without one.
    ///
    /// Rejects a repeated field and one longer than ``maximumAuthorizationLength``; the bytes are
    /// the field's own storage, not a copy.
    private func withAuthorizationField<Result>(
        _ body: (UnsafeBufferPointer<UInt8>) throws(AuthenticationError) -> Result
    ) throws(AuthenticationError) -> Result? {
        var found: String?
        for field in self where Self.namesEqual(field.name, Name.authorization) {
            guard found == nil else {
                throw .malformedRequest("the request carries more than one Authorization header")
            }
            found = field.value
        }
        guard var raw = found else { return nil }
        guard raw.utf8.count <= Self.maximumAuthorizationLength else {
            throw .malformedRequest("the Authorization header is too long")
        }
        let result = raw.withUTF8 { bytes in Swift.Result { () throws(AuthenticationError) in try body(bytes) } }
        return try result.get()
    }

    /// Splits a field value into scheme and credentials, in one pass over its bytes: OWS
    /// trimmed, the scheme a `token`, one or more spaces, then credentials without control
    /// characters (HTAB allowed). Returns the two ranges; the credentials range may be empty.
    private static func splitAuthorization(
        _ bytes: UnsafeBufferPointer<UInt8>
    ) throws(AuthenticationError) -> (scheme: Range<Int>, credentials: Range<Int>) {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        guard start < end else { throw .malformedRequest("the Authorization header is empty") }
        var schemeEnd = start
        while schemeEnd < end, bytes[schemeEnd] != UInt8(ascii: " ") { schemeEnd += 1 }
        for i in start..<schemeEnd where !HTTPSyntax.isTokenCharacter(bytes[i]) {
            throw .malformedRequest("the Authorization scheme is not a valid token")
        }
        var rest = schemeEnd
        while rest < end, bytes[rest] == UInt8(ascii: " ") { rest += 1 }
        // Control characters (other than HTAB inside auth-params) have no place in the field.
        if HTTPSyntax.containsControlCharacter(UnsafeBufferPointer(rebasing: bytes[rest..<end])) {
            throw .malformedRequest("the Authorization header contains control characters")
        }
        return (start..<schemeEnd, rest..<end)
    }

    /// Runs `body` over the credentials of the `Authorization` field when its scheme is
    /// `scheme` (ASCII case-insensitive, RFC 9110 §11.1); `nil` without the field or for another
    /// scheme. The field is checked whole first, so a malformed one throws whatever its scheme.
    private func withCredentials<Result>(
        ofScheme scheme: String, _ body: (UnsafeBufferPointer<UInt8>) throws(AuthenticationError) -> Result
    ) throws(AuthenticationError) -> Result? {
        let result = try withAuthorizationField { bytes throws(AuthenticationError) -> Result? in
            let parts = try Self.splitAuthorization(bytes)
            guard Self.namesEqual(UnsafeBufferPointer(rebasing: bytes[parts.scheme]), scheme) else { return nil }
            return try body(UnsafeBufferPointer(rebasing: bytes[parts.credentials]))
        }
        return result ?? nil
    }

    /// The credentials of scheme `scheme` in the `Authorization` header, or `nil` when the header
    /// is absent or uses another scheme.
    ///
    /// - Parameter scheme: the scheme to look for, compared case-insensitively.
    /// - Returns: the raw credentials (may be empty: the caller decides whether that is valid).
    /// - Throws: ``AuthenticationError`` (`invalid_request`) as ``authorization()`` does.
    public func authorizationCredentials(scheme: String) throws(AuthenticationError) -> String? {
        try withCredentials(ofScheme: scheme) { String(decoding: $0, as: UTF8.self) }
    }

    /// The Bearer token in the `Authorization` header (RFC 6750 §2.1), or `nil` when the request
    /// carries no Bearer credential there.
    ///
    /// The credentials must be exactly one `b64token`:
    /// `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`. An empty token, a second
    /// token after a space, or any other character is a malformed request, never "no token".
    ///
    /// ```swift
    /// guard let token = try request.headers.bearerToken() else { return nil } // not ours
    /// ```
    /// - Returns: the token text, or `nil` without a Bearer `Authorization` header.
    /// - Throws: ``AuthenticationError`` (`invalid_request`) for a repeated header or a
    ///   malformed Bearer credential.
    public func bearerToken() throws(AuthenticationError) -> String? {
        // Straight from the field's bytes: only the token becomes a String, after its checks.
        try withCredentials(ofScheme: "Bearer") { credentials throws(AuthenticationError) in
            guard HTTPSyntax.isB64Token(credentials) else {
                throw .malformedRequest("the Bearer credential is not a single b64token (RFC 6750 §2.1)")
            }
            return String(decoding: credentials, as: UTF8.self)
        }
    }
}

extension HTTPRequest {
    /// The Bearer token in the `Authorization` header; see ``HTTPHeaders/bearerToken()``.
    public func bearerToken() throws(AuthenticationError) -> String? {
        try headers.bearerToken()
    }
}
