/// A JWT whose signature and claims have been verified, with its payload decoded into the
/// caller's type.
public struct VerifiedJWT<Payload: Sendable>: Sendable {
    /// The protected header.
    public let header: JWTHeader
    /// The registered claims, validated.
    public let claims: JWTClaims
    /// The payload in the caller's type.
    public let payload: Payload
    /// Every payload member as parsed (for claims the payload type does not model, such as
    /// `scope` or `scp`).
    public let payloadJSON: JSONObject

    public init(header: JWTHeader, claims: JWTClaims, payload: Payload, payloadJSON: JSONObject) {
        self.header = header
        self.claims = claims
        self.payload = payload
        self.payloadJSON = payloadJSON
    }
}
