public import Foundation

/// What a verifier requires of a token beyond its signature: structural limits, the header's
/// `typ` and `crit`, and the claims of RFC 7519 §4.1.
///
/// The defaults are strict where it is cheap: `exp` required, 60 s leeway, `iat` may not be in
/// the future, 8 KiB tokens, JSON nested at most 16 deep. Configuring ``acceptedIssuers`` or
/// ``acceptedAudiences`` makes `iss` or `aud` required.
///
/// ```swift
/// var options = JWTValidationOptions()
/// options.acceptedIssuers = ["https://auth.example.com"]
/// options.acceptedAudiences = ["api"]
/// options.expectedType = "at+jwt"
/// ```
public struct JWTValidationOptions: Sendable {
    /// Clock skew tolerated in each time comparison, in seconds (default 60). Negative or
    /// non-finite values count as 0.
    public var leeway: TimeInterval = 60
    /// Claims that must be present (default `["exp"]`).
    public var requiredClaims: Set<String> = ["exp"]
    /// Whether a token whose `iat` is later than now plus leeway is refused (default `true`).
    public var rejectsIssuedInFuture = true
    /// When set, `iat` is required and may be at most this many seconds (plus leeway) old.
    public var maximumAge: TimeInterval?
    /// When set, `exp` is required and may be at most this many seconds after now.
    public var maximumLifetime: TimeInterval?
    /// When set, `iss` is required and must equal one of these exactly (RFC 7519 §4.1.1).
    public var acceptedIssuers: Set<String>?
    /// When set, `aud` is required and at least one of its values must be one of these
    /// (RFC 7519 §4.1.3); an empty `aud` array matches nothing.
    public var acceptedAudiences: Set<String>?
    /// When set, `sub` is required and must satisfy this predicate.
    public var subjectPredicate: (@Sendable (String) -> Bool)?
    /// When set, the `typ` header must name this media type (case-insensitive, `application/`
    /// optional, RFC 7515 §4.1.9), for example `"at+jwt"` (RFC 9068 §2.1).
    public var expectedType: String?
    /// Tokens longer than this many bytes are refused before parsing (default 8 KiB).
    public var maximumTokenSize = 8 * 1024
    /// Header and payload JSON may nest at most this deep (default 16).
    public var maximumJSONDepth = 16
    /// Extension header names this verifier understands when a token lists them in `crit`
    /// (RFC 7515 §4.1.11). Empty by default: any `crit` is refused.
    public var understoodCriticalHeaders: Set<String> = []

    /// Creates the default options.
    public init() {}

    /// The leeway as used: finite and non-negative.
    var effectiveLeeway: Double {
        leeway.isFinite && leeway > 0 ? leeway : 0
    }

    /// Checks `claims` and `header` at `now` (seconds since 1970). Every comparison is in
    /// doubles over finite values, so no input can overflow or trap.
    /// - Throws: the first failing check's ``JWTError``.
    func validate(_ claims: JWTClaims, header: JWTHeader, now: Double) throws(JWTError) {
        if !requiredClaims.isEmpty, !requiredClaims.allSatisfy(claims.has) {
            // Report the alphabetically first missing claim, so the message is deterministic.
            let missing = requiredClaims.filter { !claims.has($0) }.min() ?? ""
            throw JWTError(.missingClaim, "the required \(missing) claim is missing")
        }
        let leeway = effectiveLeeway
        if let exp = claims.expiration?.secondsSince1970, now - leeway >= exp {
            throw JWTError(.expired, "the token has expired")
        }
        if let nbf = claims.notBefore?.secondsSince1970, now + leeway < nbf {
            throw JWTError(.notYetValid, "the token is not valid yet")
        }
        if rejectsIssuedInFuture, let iat = claims.issuedAt?.secondsSince1970, iat > now + leeway {
            throw JWTError(.issuedInFuture, "the token was issued in the future")
        }
        if let maximumAge {
            guard let iat = claims.issuedAt?.secondsSince1970 else {
                throw JWTError(.missingClaim, "the iat claim is required to check the token's age")
            }
            if now - iat > maximumAge + leeway { throw JWTError(.tooOld, "the token is too old") }
        }
        if let maximumLifetime {
            guard let exp = claims.expiration?.secondsSince1970 else {
                throw JWTError(.missingClaim, "the exp claim is required to check the token's lifetime")
            }
            if exp - now > maximumLifetime { throw JWTError(.lifetimeTooLong, "the token's remaining lifetime is too long") }
        }
        if let acceptedIssuers {
            guard let iss = claims.issuer else { throw JWTError(.missingClaim, "the iss claim is missing") }
            guard Self.set(acceptedIssuers, contains: iss) else { throw JWTError(.wrongIssuer, "the token is from an issuer that is not accepted") }
        }
        if let acceptedAudiences {
            guard let aud = claims.audience else { throw JWTError(.missingClaim, "the aud claim is missing") }
            guard aud.contains(where: { Self.set(acceptedAudiences, contains: $0) }) else {
                throw JWTError(.wrongAudience, "the token is not intended for this audience")
            }
        }
        if let subjectPredicate {
            guard let sub = claims.subject else { throw JWTError(.missingClaim, "the sub claim is missing") }
            guard subjectPredicate(sub) else { throw JWTError(.wrongSubject, "the token's subject is not accepted") }
        }
        if let expectedType, !header.typeMatches(expectedType) {
            throw JWTError(.wrongType, "the token's typ header is not the expected type")
        }
    }

    /// Whether `set` holds `value`. The usual one or two accepted issuers or audiences are
    /// scanned: comparing a few strings costs less than hashing `value` once.
    static func set(_ set: Set<String>, contains value: String) -> Bool {
        if set.count <= 4 { return set.contains { JSONObject.sameName($0, value) } }
        return set.contains(value)
    }
}
