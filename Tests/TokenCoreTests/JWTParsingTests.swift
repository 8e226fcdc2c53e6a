import Foundation
import Testing
import TokenCore

/// Every structural rejection of RFC 7515 §5.2 / §7.1 and the header rules, each its own case,
/// all decided before any signature is computed.
@Suite struct JWTParsingTests {
    typealias K = JWTTestKeys
    let header = #"{"alg":"HS256","typ":"JWT","kid":"k1"}"#

    func code(_ token: String, options: JWTValidationOptions = JWTValidationOptions(), keyID: String? = "k1") -> JWTError.Code? {
        K.code { () throws(JWTError) in
            do {
                _ = try K.verifier(options: options, keyID: keyID).verify(token)
            } catch let error as JWTError {
                throw error
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }

    @Test func validTokenVerifies() {
        #expect(code(K.token(header: header, payload: K.validPayload)) == nil)
    }

    // MARK: alg

    @Test(arguments: ["none", "None", "NONE", "nOnE", "nonE"])
    func algNoneIsRejectedInEverySpelling(_ alg: String) {
        let unsigned = K.b64(#"{"alg":"\#(alg)"}"#) + "." + K.b64(K.validPayload) + "."
        #expect(code(unsigned) == .unsupportedAlgorithm)
        let signed = K.token(header: #"{"alg":"\#(alg)"}"#, payload: K.validPayload)
        #expect(code(signed) == .unsupportedAlgorithm)
    }

    @Test(arguments: ["hs256", "Hs256", "HS-256", "HS256 ", ""])
    func algIsCaseSensitive(_ alg: String) {
        let token = K.token(header: #"{"alg":"\#(alg)"}"#, payload: K.validPayload)
        #expect(code(token, keyID: nil) == .unsupportedAlgorithm)
    }

    @Test func algMissingOrNotAStringIsMalformed() {
        #expect(code(K.token(header: #"{"typ":"JWT"}"#, payload: K.validPayload)) == .malformed)
        #expect(code(K.token(header: #"{"alg":256}"#, payload: K.validPayload)) == .malformed)
        #expect(code(K.token(header: #"{"alg":["HS256"]}"#, payload: K.validPayload)) == .malformed)
    }

    @Test func algKeyMismatchIsRejected() {
        // Correctly signed with the configured secret, but under HS384: the key is bound to HS256.
        let token = K.token(header: #"{"alg":"HS384","kid":"k1"}"#, payload: K.validPayload, hash: .hs384)
        #expect(code(token) == .unsupportedAlgorithm)
        let noKid = K.token(header: #"{"alg":"HS512"}"#, payload: K.validPayload, hash: .hs512)
        #expect(code(noKid) == .unsupportedAlgorithm)
    }

    /// Algorithm confusion: an attacker signs HS256 with the RS256 public key's PEM as the HMAC
    /// secret. The key set holds that public key bound to RS256, so no HMAC is ever computed.
    @Test func publicKeyAsHMACSecretIsImpossible() throws {
        let pem = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo\n-----END PUBLIC KEY-----\n"
        let rsaKey = RecordingKey(algorithm: .rs256)
        var keys = JWTKeySet()
        try keys.add(rsaKey, keyID: "rsa-1")
        let verifier = JWTVerifier(keys: keys, clock: ManualClock(unixSeconds: K.now))
        for header in [#"{"alg":"HS256","kid":"rsa-1"}"#, #"{"alg":"HS256"}"#] {
            let forged = K.token(header: header, payload: K.validPayload, secret: Array(pem.utf8))
            #expect(K.code { () throws(JWTError) in _ = try verifier.verify(forged) } == .unsupportedAlgorithm)
        }
        #expect(rsaKey.calls.withLock { $0 } == 0)
    }

    // MARK: kid

    @Test func unknownKidIsRejectedWithoutFallback() throws {
        // The secret is right, and a key without kid would verify it: still refused.
        let keys = try JWTKeySet([HMACJWTKey(.hs256, secret: K.secret32)])
        let verifier = JWTVerifier(keys: keys, clock: ManualClock(unixSeconds: K.now))
        let token = K.token(header: #"{"alg":"HS256","kid":"k2"}"#, payload: K.validPayload)
        #expect(K.code { () throws(JWTError) in _ = try verifier.verify(token) } == .unknownKey)
    }

    @Test(arguments: [
        "../../../../dev/null", "k1' OR '1'='1", "k1\\u0000", " k1", "k1 ", "K1", "k1\\n", "/etc/passwd",
        "http://attacker.example/key", "${jndi:ldap://x}", "k1\\\"}", "",
    ])
    func kidInjectionStringsAreOpaqueAndUnknown(_ kid: String) {
        let token = K.token(header: #"{"alg":"HS256","kid":"\#(kid)"}"#, payload: K.validPayload)
        #expect(code(token) == .unknownKey)
    }

    @Test func kidMustBeAString() {
        #expect(code(K.token(header: #"{"alg":"HS256","kid":1}"#, payload: K.validPayload)) == .malformed)
        #expect(code(K.token(header: #"{"alg":"HS256","kid":null}"#, payload: K.validPayload)) == .malformed)
    }

    // MARK: crit, b64, key-carrying headers

    @Test(arguments: [
        #"{"alg":"HS256","kid":"k1","crit":["exp"],"exp":1}"#,      // not understood
        #"{"alg":"HS256","kid":"k1","crit":["foo"]}"#,              // not understood, absent
        #"{"alg":"HS256","kid":"k1","crit":[]}"#,                   // empty
        #"{"alg":"HS256","kid":"k1","crit":"foo","foo":1}"#,        // not an array
        #"{"alg":"HS256","kid":"k1","crit":["alg"]}"#,              // registered name
        #"{"alg":"HS256","kid":"k1","crit":["b64"],"b64":true}"#,   // RFC 7797 not understood
        #"{"alg":"HS256","kid":"k1","crit":[1]}"#,                  // non-string
    ])
    func critWithUnderstoodNamesOnly(_ header: String) {
        #expect(code(K.token(header: header, payload: K.validPayload)) == .malformed)
    }

    @Test func critAcceptsUnderstoodPresentExtensions() {
        var options = JWTValidationOptions()
        options.understoodCriticalHeaders = ["example"]
        let present = K.token(header: #"{"alg":"HS256","kid":"k1","crit":["example"],"example":true}"#, payload: K.validPayload)
        #expect(code(present, options: options) == nil)
        let absent = K.token(header: #"{"alg":"HS256","kid":"k1","crit":["example"]}"#, payload: K.validPayload)
        #expect(code(absent, options: options) == .malformed)
        let repeated = K.token(header: #"{"alg":"HS256","kid":"k1","crit":["example","example"],"example":1}"#, payload: K.validPayload)
        #expect(code(repeated, options: options) == .malformed)
    }

    @Test(arguments: [#""b64":false"#, #""b64":"false""#, #""b64":0"#, #""b64":null"#])
    func unencodedPayloadIsRejected(_ member: String) {
        let token = K.token(header: #"{"alg":"HS256","kid":"k1",\#(member)}"#, payload: K.validPayload)
        #expect(code(token) == .malformed)
    }

    @Test func keyCarryingHeadersAreIgnored() {
        // An attacker embeds their own key and URLs, and signs with that key: refused.
        let attackerJWK = #"{"kty":"oct","k":"\#(Base64URL.encode(K.otherSecret))"}"#
        let extras = #""jwk":\#(attackerJWK),"jku":"https://attacker.example/jwks","x5u":"https://attacker.example/c","x5c":["MIIB"]"#
        let forged = K.token(header: #"{"alg":"HS256",\#(extras)}"#, payload: K.validPayload, secret: K.otherSecret)
        #expect(code(forged, keyID: nil) == .badSignature)
        // The same headers on a token signed by the configured key change nothing.
        let genuine = K.token(header: #"{"alg":"HS256",\#(extras)}"#, payload: K.validPayload)
        #expect(code(genuine, keyID: nil) == nil)
    }

    // MARK: segments and base64url

    @Test func extraOrMissingSegments() {
        let valid = K.token(header: header, payload: K.validPayload)
        let parts = valid.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        #expect(code(parts[0] + "." + parts[1]) == .malformed)
        #expect(code(parts[0]) == .malformed)
        #expect(code(valid + "." + parts[2]) == .malformed)
        #expect(code(valid + ".") == .malformed)
        #expect(code("a.b.c.d.e") == .malformed) // JWE shape
        #expect(code(parts[0] + "." + parts[1] + ".") == .malformed) // empty signature
        #expect(code("." + parts[1] + "." + parts[2]) == .malformed)
        #expect(code(parts[0] + ".." + parts[2]) == .malformed)
        #expect(code("") == .malformed)
        #expect(code("..") == .malformed)
    }

    @Test(arguments: ["header", "payload", "signature"])
    func paddingIsRejected(_ segment: String) {
        let parts = paddedParts(segment)
        #expect(code(parts.joined(separator: ".")) == .malformed)
    }

    func paddedParts(_ segment: String) -> [String] {
        // A payload whose base64url length is not a multiple of 4, so padding is meaningful.
        var parts = K.token(header: header, payload: K.validPayload + " ").split(separator: ".").map(String.init)
        let index = ["header": 0, "payload": 1, "signature": 2][segment] ?? 0
        parts[index] += "="
        return parts
    }

    @Test(arguments: ["+", "/", " ", "\n", "\t", "%2B", "*", "é"])
    func charactersOutsideTheAlphabetAreRejected(_ bad: String) {
        let valid = K.token(header: header, payload: K.validPayload)
        var parts = valid.split(separator: ".").map(String.init)
        let p = parts[1]
        parts[1] = String(p.prefix(4)) + bad + String(p.dropFirst(5))
        #expect(code(parts.joined(separator: ".")) == .malformed)
    }

    @Test func standardBase64AlphabetIsRejected() {
        // A payload whose base64url contains '-' or '_', sent with '+' and '/' instead.
        let payload = #"{"sub":"~~~???","exp":1700000600}"#
        let token = K.token(header: header, payload: payload)
        #expect(token.contains("-") || token.contains("_"))
        let standard = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        #expect(code(standard) == .malformed)
    }

    @Test func surroundingWhitespaceIsRejected() {
        let valid = K.token(header: header, payload: K.validPayload)
        #expect(code(" " + valid) == .malformed)
        #expect(code(valid + "\n") == .malformed)
        #expect(code(valid.replacingOccurrences(of: ".", with: " .")) == .malformed)
    }

    @Test func nonCanonicalBase64IsRejected() {
        // "e30" is "{}"; "e31" decodes to the same bytes with non-zero trailing bits.
        let header = K.b64(#"{"alg":"HS256","kid":"k1"}"#)
        let payload = K.b64(#"{"exp":1700000600,"ab":1}"#)
        #expect(payload.count % 4 != 0)
        let last = payload.last ?? "A"
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let index = alphabet.firstIndex(of: last) ?? 0
        let sibling = String(alphabet[index + 1]) // same leading bits, a trailing bit set
        let mutated = String(payload.dropLast()) + sibling
        let input = header + "." + mutated
        let sig = Base64URL.encode(K.mac(input, secret: K.secret32, hash: .hs256))
        #expect(code(input + "." + sig) == .malformed)
    }

    // MARK: JSON

    @Test func nonUTF8IsRejected() {
        let payloadBytes: [UInt8] = Array(#"{"sub":""#.utf8) + [0xC3, 0x28] + Array(#"","exp":1700000600}"#.utf8)
        let input = K.b64(header) + "." + Base64URL.encode(payloadBytes)
        let token = input + "." + Base64URL.encode(K.mac(input, secret: K.secret32, hash: .hs256))
        #expect(code(token) == .malformed)
    }

    @Test(arguments: [
        (#"{"alg":"HS256","kid":"k1","kid":"k2"}"#, K.validPayload),
        (#"{"alg":"HS256","alg":"none"}"#, K.validPayload),
        (#"{"alg":"HS256","kid":"k1"}"#, #"{"sub":"a","sub":"admin","exp":1700000600}"#),
        (#"{"alg":"HS256","kid":"k1"}"#, #"{"exp":1700000600,"exp":1}"#),
    ])
    func duplicateMembersAreRejected(_ header: String, _ payload: String) {
        #expect(code(K.token(header: header, payload: payload)) == .malformed)
    }

    @Test(arguments: ["[]", #""text""#, "123", "null", "true", "[{}]"])
    func nonObjectJSONIsRejected(_ json: String) {
        #expect(code(K.token(header: json, payload: K.validPayload)) == .malformed)
        #expect(code(K.token(header: header, payload: json)) == .malformed)
    }

    @Test func trailingDataIsRejected() {
        #expect(code(K.token(header: header + "{}", payload: K.validPayload)) == .malformed)
        #expect(code(K.token(header: header, payload: K.validPayload + "x")) == .malformed)
    }

    @Test func invalidJSONIsRejected() {
        #expect(code(K.token(header: #"{"alg":"HS256",}"#, payload: K.validPayload)) == .malformed)
        #expect(code(K.token(header: header, payload: #"{"exp":1700000600"#)) == .malformed)
    }

    @Test func deepNestingIsRejected() {
        let deep = #"{"exp":1700000600,"x":"# + String(repeating: "[", count: 20) + String(repeating: "]", count: 20) + "}"
        #expect(code(K.token(header: header, payload: deep)) == .malformed)
        let fine = #"{"exp":1700000600,"x":"# + String(repeating: "[", count: 10) + String(repeating: "]", count: 10) + "}"
        #expect(code(K.token(header: header, payload: fine)) == nil)
    }

    @Test func oversizedTokenIsRejected() {
        let big = #"{"exp":1700000600,"pad":""# + String(repeating: "a", count: 8 * 1024) + #""}"#
        let token = K.token(header: header, payload: big)
        #expect(code(token) == .malformed)
        var options = JWTValidationOptions()
        options.maximumTokenSize = 16 * 1024
        #expect(code(token, options: options) == nil)
        options.maximumTokenSize = 100
        #expect(code(K.token(header: header, payload: K.validPayload), options: options) == .malformed)
    }

    // MARK: signature

    @Test func truncatedOrExtendedSignatureIsRejected() {
        let valid = K.token(header: header, payload: K.validPayload)
        let parts = valid.split(separator: ".").map(String.init)
        let sig = (try? Base64URL.decode(parts[2])) ?? []
        let head = parts[0] + "." + parts[1] + "."
        #expect(code(head + Base64URL.encode(sig.dropLast())) == .badSignature)
        #expect(code(head + Base64URL.encode(sig.prefix(16))) == .badSignature)
        #expect(code(head + Base64URL.encode(sig + [0])) == .badSignature)
        #expect(code(head + Base64URL.encode(sig + sig)) == .badSignature)
        var flipped = sig
        flipped[31] ^= 1
        #expect(code(head + Base64URL.encode(flipped)) == .badSignature)
        #expect(code(head + "AA") == .badSignature)
    }

    @Test func payloadTamperingBreaksTheSignature() {
        let valid = K.token(header: header, payload: K.validPayload)
        let parts = valid.split(separator: ".").map(String.init)
        let tampered = parts[0] + "." + K.b64(K.validPayload.replacingOccurrences(of: "user-1", with: "admin")) + "." + parts[2]
        #expect(code(tampered) == .badSignature)
    }

    @Test func wrongSecretIsRejected() {
        #expect(code(K.token(header: header, payload: K.validPayload, secret: K.otherSecret)) == .badSignature)
    }

    @Test func signatureErrorWinsOverClaimErrors() {
        let expired = #"{"sub":"user-1","exp":1000,"aud":"other","iss":"nobody"}"#
        var options = JWTValidationOptions()
        options.acceptedAudiences = ["api"]
        #expect(code(K.token(header: header, payload: expired, secret: K.otherSecret), options: options) == .badSignature)
        #expect(code(K.token(header: header, payload: expired), options: options) == .expired)
        let malformedExp = #"{"exp":"soon"}"#
        #expect(code(K.token(header: header, payload: malformedExp, secret: K.otherSecret)) == .badSignature)
    }
}

extension JWTParsingTests {
    /// Thousands of deterministic single-byte mutations, truncations and splices of a valid token:
    /// each either verifies (only the untouched token can) or throws a JWTError; none traps.
    @Test func mutatedTokensNeverTrap() throws {
        let valid = Array(K.token(header: header, payload: #"{"sub":"u","exp":1700000600,"a":[1,{"b":"\u00e9"}],"n":-1.5e3}"#).utf8)
        let verifier = try K.verifier()
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        let interesting: [UInt8] = Array(".-_=+/ \"{}[]:,0aA".utf8) + [0, 0x7F, 0x80, 0xC3, 0xFF]
        var accepted = 0
        for round in 0..<3000 {
            var bytes = valid
            switch round % 3 {
            case 0: bytes[Int(next() % UInt64(bytes.count))] = interesting[Int(next() % UInt64(interesting.count))]
            case 1: bytes = Array(bytes.prefix(Int(next() % UInt64(bytes.count))))
            default:
                let at = Int(next() % UInt64(bytes.count))
                bytes.insert(interesting[Int(next() % UInt64(interesting.count))], at: at)
            }
            let token = String(decoding: bytes, as: UTF8.self)
            if K.code({ () throws(JWTError) in _ = try verifier.verify(token) }) == nil {
                accepted += 1
                #expect(bytes == valid)
            }
        }
        #expect(accepted <= 1000)
    }
}

/// A verification key that records whether it was ever asked to verify.
final class RecordingKey: JWTVerificationKey, @unchecked Sendable {
    let algorithm: JWTAlgorithm
    let calls = LockedCounter()
    init(algorithm: JWTAlgorithm) { self.algorithm = algorithm }
    func isValidSignature(_ signature: UnsafeRawBufferPointer, for signingInput: UnsafeRawBufferPointer) -> Bool {
        calls.withLock { $0 += 1 }
        return false
    }
}

final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func withLock<R>(_ body: (inout Int) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
