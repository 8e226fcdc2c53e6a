import Foundation
import Testing
import TokenCore

/// Claims validation (RFC 7519 §4.1) with every option, at a fixed clock (``JWTTestKeys/now``).
@Suite struct JWTClaimsTests {
    typealias K = JWTTestKeys
    static let header = #"{"alg":"HS256","kid":"k1"}"#
    static let now = Int(K.now)

    func code(_ payload: String, _ configure: (inout JWTValidationOptions) -> Void = { _ in }, header: String = header) -> JWTError.Code? {
        var options = JWTValidationOptions()
        configure(&options)
        let token = K.token(header: header, payload: payload)
        return K.code { () throws(JWTError) in
            do { _ = try K.verifier(options: options).verify(token) } catch let e as JWTError { throw e } catch { Issue.record("\(error)") }
        }
    }

    // MARK: NumericDate types

    @Test(arguments: [#""1700000600""#, "true", "false", "null", "[1700000600]", #"{"t":1}"#, "1e400", "-1e400"])
    func expOfTheWrongTypeIsMalformedNotAbsent(_ value: String) {
        #expect(code(#"{"exp":\#(value)}"#) == .malformedClaim)
        #expect(code(#"{"exp":1700000600,"nbf":\#(value)}"#) == .malformedClaim)
        #expect(code(#"{"exp":1700000600,"iat":\#(value)}"#) == .malformedClaim)
    }

    @Test(arguments: ["99999999999999999999999", "1e300", "9223372036854775807", "9223372036854775808", "1.7976931348623157e308"])
    func hugeExpNeverTraps(_ value: String) {
        #expect(code(#"{"exp":\#(value)}"#) == nil)
        // With a maximum lifetime, a huge exp is refused, not overflowed.
        #expect(code(#"{"exp":\#(value)}"#, { $0.maximumLifetime = 3600 }) == .lifetimeTooLong)
        #expect(code(#"{"exp":\#(value)}"#, { $0.leeway = .greatestFiniteMagnitude }) == nil)
    }

    @Test func hugeNegativeValuesNeverTrap() {
        #expect(code(#"{"exp":-99999999999999999999999}"#) == .expired)
        #expect(code(#"{"exp":1700000600,"iat":-1e308}"#, { $0.maximumAge = 60 }) == .tooOld)
        #expect(code(#"{"exp":1700000600,"nbf":-1e308}"#) == nil)
        #expect(code(#"{"exp":1700000600,"nbf":1e308}"#) == .notYetValid)
    }

    @Test func fractionalDatesAreAccepted() {
        #expect(code(#"{"exp":1700000000.5}"#, { $0.leeway = 0 }) == nil)
        #expect(code(#"{"exp":1699999999.999}"#, { $0.leeway = 0 }) == .expired)
    }

    // MARK: exp, nbf, iat and leeway

    @Test func expIsRequiredByDefault() {
        #expect(code(#"{"sub":"a"}"#) == .missingClaim)
        #expect(code(#"{"sub":"a"}"#, { $0.requiredClaims = [] }) == nil)
    }

    @Test func expLeewayEdges() {
        // Valid while now - leeway < exp (RFC 7519 §4.1.4), leeway 60 s by default.
        #expect(code(#"{"exp":\#(Self.now - 59)}"#) == nil)
        #expect(code(#"{"exp":\#(Self.now - 60)}"#) == .expired)
        #expect(code(#"{"exp":\#(Self.now - 61)}"#) == .expired)
        #expect(code(#"{"exp":\#(Self.now + 1)}"#, { $0.leeway = 0 }) == nil)
        #expect(code(#"{"exp":\#(Self.now)}"#, { $0.leeway = 0 }) == .expired)
        #expect(code(#"{"exp":\#(Self.now - 100)}"#, { $0.leeway = 120 }) == nil)
    }

    @Test func invalidLeewayCountsAsZero() {
        #expect(code(#"{"exp":\#(Self.now - 1)}"#, { $0.leeway = .infinity }) == .expired)
        #expect(code(#"{"exp":\#(Self.now - 1)}"#, { $0.leeway = .nan }) == .expired)
        #expect(code(#"{"exp":\#(Self.now + 1)}"#, { $0.leeway = -100 }) == nil)
    }

    @Test func nbfInTheFutureIsRejected() {
        #expect(code(#"{"exp":\#(Self.now + 600),"nbf":\#(Self.now + 61)}"#) == .notYetValid)
        #expect(code(#"{"exp":\#(Self.now + 600),"nbf":\#(Self.now + 60)}"#) == nil)
        #expect(code(#"{"exp":\#(Self.now + 600),"nbf":\#(Self.now + 1)}"#, { $0.leeway = 0 }) == .notYetValid)
        #expect(code(#"{"exp":\#(Self.now + 600),"nbf":\#(Self.now)}"#, { $0.leeway = 0 }) == nil)
    }

    @Test func iatInTheFutureIsRejected() {
        #expect(code(#"{"exp":\#(Self.now + 600),"iat":\#(Self.now + 61)}"#) == .issuedInFuture)
        #expect(code(#"{"exp":\#(Self.now + 600),"iat":\#(Self.now + 60)}"#) == nil)
        #expect(code(#"{"exp":\#(Self.now + 600),"iat":\#(Self.now + 3600)}"#, { $0.rejectsIssuedInFuture = false }) == nil)
    }

    @Test func maximumAgeFromIat() {
        let configure: (inout JWTValidationOptions) -> Void = { $0.maximumAge = 300; $0.leeway = 0 }
        #expect(code(#"{"exp":\#(Self.now + 600),"iat":\#(Self.now - 300)}"#, configure) == nil)
        #expect(code(#"{"exp":\#(Self.now + 600),"iat":\#(Self.now - 301)}"#, configure) == .tooOld)
        #expect(code(#"{"exp":\#(Self.now + 600)}"#, configure) == .missingClaim)
    }

    @Test func maximumLifetime() {
        let configure: (inout JWTValidationOptions) -> Void = { $0.maximumLifetime = 3600 }
        #expect(code(#"{"exp":\#(Self.now + 3600)}"#, configure) == nil)
        #expect(code(#"{"exp":\#(Self.now + 3601)}"#, configure) == .lifetimeTooLong)
        #expect(code(#"{"sub":"a"}"#, { $0.maximumLifetime = 3600; $0.requiredClaims = [] }) == .missingClaim)
    }

    // MARK: iss

    @Test func issuerMustMatchExactly() {
        let configure: (inout JWTValidationOptions) -> Void = { $0.acceptedIssuers = ["https://a.example", "https://b.example"] }
        #expect(code(#"{"exp":1700000600,"iss":"https://b.example"}"#, configure) == nil)
        #expect(code(#"{"exp":1700000600,"iss":"https://c.example"}"#, configure) == .wrongIssuer)
        #expect(code(#"{"exp":1700000600,"iss":"https://a.example/"}"#, configure) == .wrongIssuer)
        #expect(code(#"{"exp":1700000600,"iss":"HTTPS://A.EXAMPLE"}"#, configure) == .wrongIssuer)
        #expect(code(#"{"exp":1700000600}"#, configure) == .missingClaim)
        #expect(code(#"{"exp":1700000600,"iss":["https://a.example"]}"#, configure) == .malformedClaim)
    }

    // MARK: aud

    @Test func audienceStringOrArray() {
        let configure: (inout JWTValidationOptions) -> Void = { $0.acceptedAudiences = ["api"] }
        #expect(code(#"{"exp":1700000600,"aud":"api"}"#, configure) == nil)
        #expect(code(#"{"exp":1700000600,"aud":["other","api"]}"#, configure) == nil)
        #expect(code(#"{"exp":1700000600,"aud":"other"}"#, configure) == .wrongAudience)
        #expect(code(#"{"exp":1700000600,"aud":["other","API"]}"#, configure) == .wrongAudience)
    }

    @Test func emptyAudienceArrayMatchesNothing() {
        #expect(code(#"{"exp":1700000600,"aud":[]}"#, { $0.acceptedAudiences = ["api"] }) == .wrongAudience)
    }

    @Test func audienceRequiredWhenConfigured() {
        #expect(code(#"{"exp":1700000600}"#, { $0.acceptedAudiences = ["api"] }) == .missingClaim)
        #expect(code(#"{"exp":1700000600}"#) == nil)
    }

    @Test(arguments: ["1", "null", "true", #"{"a":"api"}"#, #"["api",1]"#, #"[["api"]]"#])
    func malformedAudience(_ value: String) {
        #expect(code(#"{"exp":1700000600,"aud":\#(value)}"#, { $0.acceptedAudiences = ["api"] }) == .malformedClaim)
    }

    // MARK: sub, jti, required claims, typ

    @Test func subjectPredicate() {
        let configure: (inout JWTValidationOptions) -> Void = { $0.subjectPredicate = { $0.hasPrefix("user-") } }
        #expect(code(#"{"exp":1700000600,"sub":"user-7"}"#, configure) == nil)
        #expect(code(#"{"exp":1700000600,"sub":"admin"}"#, configure) == .wrongSubject)
        #expect(code(#"{"exp":1700000600}"#, configure) == .missingClaim)
        #expect(code(#"{"exp":1700000600,"sub":7}"#) == .malformedClaim)
    }

    @Test func requiredClaims() {
        let configure: (inout JWTValidationOptions) -> Void = { $0.requiredClaims = ["exp", "sub", "jti", "iat", "nbf", "iss", "aud"] }
        #expect(code(#"{"exp":1700000600,"sub":"a","jti":"j","iat":1700000000,"nbf":1700000000,"iss":"i","aud":"x"}"#, configure) == nil)
        #expect(code(#"{"exp":1700000600,"sub":"a","iat":1700000000,"nbf":1700000000,"iss":"i","aud":"x"}"#, configure) == .missingClaim)
        #expect(code(#"{"exp":1700000600,"sub":"a","jti":5}"#) == .malformedClaim)
    }

    @Test(arguments: [("at+jwt", true), ("application/at+jwt", true), ("AT+JWT", true), ("JWT", false), ("at+jwt2", false)])
    func typeHeader(_ typ: String, _ accepted: Bool) {
        let header = #"{"alg":"HS256","kid":"k1","typ":"\#(typ)"}"#
        #expect(code(#"{"exp":1700000600}"#, { $0.expectedType = "at+jwt" }, header: header) == (accepted ? nil : .wrongType))
    }

    @Test func typeRequiredWhenConfigured() {
        #expect(code(#"{"exp":1700000600}"#, { $0.expectedType = "at+jwt" }) == .wrongType)
        #expect(code(#"{"exp":1700000600}"#, header: #"{"alg":"HS256","kid":"k1","typ":7}"#) == .malformed)
    }

    // MARK: typed payloads

    struct Profile: Decodable, Sendable, Equatable {
        var sub: String
        var name: String
        var roles: [String]
        var exp: NumericDate
    }

    @Test func customClaimsDecodeIntoTheCallersType() throws {
        let token = K.token(header: Self.header, payload: #"{"sub":"u","name":"Jane","roles":["a","b"],"exp":1700000600,"extra":{"x":1}}"#)
        let jwt = try K.verifier().verify(token, as: Profile.self)
        #expect(jwt.payload == Profile(sub: "u", name: "Jane", roles: ["a", "b"], exp: NumericDate(secondsSince1970: 1_700_000_600) ?? NumericDate(Date())))
        #expect(jwt.claims.subject == "u")
        #expect(jwt.payloadJSON["extra"]?["x"] == .number(JSONNumber(1)))
    }

    @Test func payloadNotMatchingTheTypeIsMalformedClaim() throws {
        let token = K.token(header: Self.header, payload: #"{"sub":"u","roles":"a","exp":1700000600}"#)
        do {
            _ = try K.verifier().verify(token, as: Profile.self)
            Issue.record("expected failure")
        } catch {
            #expect(error.code == .malformedClaim)
            #expect(error.machineCode == "jwt.malformed_claim")
            #expect(error.reason.contains("name"))
        }
    }

    @Test func errorCodesAreDistinct() {
        let codes: [JWTError.Code] = [
            .malformed, .unsupportedAlgorithm, .unknownKey, .badSignature, .expired, .notYetValid, .issuedInFuture,
            .tooOld, .lifetimeTooLong, .wrongAudience, .wrongIssuer, .wrongSubject, .wrongType, .missingClaim,
            .malformedClaim, .revoked, .unavailable, .invalidKey, .signingFailed,
        ]
        #expect(Set(codes.map(\.rawValue)).count == codes.count)
        #expect(JWTError(.expired, "x").machineCode == "jwt.expired")
        #expect(JWTError(.unavailable, "x").failureKind == .unavailable)
        #expect(JWTError(.badSignature, "x").failureKind == .invalid)
    }

    @Test func reasonsNeverEchoTokenContent() throws {
        let secretish = "sk_live_SECRETVALUE"
        let cases = [
            K.token(header: #"{"alg":"HS256","kid":"\#(secretish)"}"#, payload: K.validPayload),
            K.token(header: #"{"alg":"\#(secretish)"}"#, payload: K.validPayload),
            K.token(header: Self.header, payload: #"{"exp":1,"sub":"\#(secretish)"}"#),
            K.token(header: Self.header, payload: #"{"exp":"\#(secretish)"}"#),
        ]
        var options = JWTValidationOptions()
        options.acceptedIssuers = ["x"]
        for token in cases {
            do {
                _ = try K.verifier(options: options).verify(token)
                Issue.record("expected failure")
            } catch {
                #expect(!error.reason.contains("SECRET"))
            }
        }
    }
}
