import Foundation
import Testing
@testable import TokenCore

/// The verifier's cache of parsed headers: transparent (same verdicts with and without it),
/// bounded, keyed by the exact segment, and tied to the options it was filled under.
@Suite("JWT header cache")
struct JWTHeaderCacheTests {
    typealias K = JWTTestKeys

    @Test("a repeated header is parsed once and gives the same header value")
    func repeatedHeader() throws {
        let cache = JWTHeaderCache()
        let token = K.token(header: #"{"alg":"HS256","kid":"k1","typ":"JWT"}"#, payload: K.validPayload)
        let first = try UnverifiedJWT(parsing: token, maximumSize: 8192, maximumDepth: 16, understoodCritical: [], headerCache: cache)
        #expect(cache.count == 1)
        let second = try UnverifiedJWT(parsing: token, maximumSize: 8192, maximumDepth: 16, understoodCritical: [], headerCache: cache)
        #expect(cache.count == 1)
        #expect(first.header == second.header)
        #expect(second.header == (try UnverifiedJWT(parsing: token).header))
    }

    @Test("refused headers are never remembered and are refused every time")
    func refusedHeadersAreNotCached() {
        let cache = JWTHeaderCache()
        let token = K.token(header: #"{"alg":"none","kid":"k1"}"#, payload: K.validPayload)
        for _ in 0..<3 {
            #expect(K.code { () throws(JWTError) in _ = try UnverifiedJWT(parsing: token, maximumSize: 8192, maximumDepth: 16, understoodCritical: [], headerCache: cache) } == .unsupportedAlgorithm)
        }
        #expect(cache.count == 0)
    }

    @Test("bounded: distinct headers beyond the capacity replace the oldest; long segments are skipped")
    func bounded() throws {
        let cache = JWTHeaderCache()
        for i in 0..<(JWTHeaderCache.capacity * 3) {
            let token = K.token(header: #"{"alg":"HS256","kid":"k\#(i)"}"#, payload: K.validPayload)
            let parsed = try UnverifiedJWT(parsing: token, maximumSize: 8192, maximumDepth: 16, understoodCritical: [], headerCache: cache)
            #expect(parsed.header.keyID == "k\(i)")
            #expect(cache.count == min(i + 1, JWTHeaderCache.capacity))
        }
        let long = K.token(header: #"{"alg":"HS256","kid":"\#(String(repeating: "x", count: 600))"}"#, payload: K.validPayload)
        let fresh = JWTHeaderCache()
        _ = try UnverifiedJWT(parsing: long, maximumSize: 8192, maximumDepth: 16, understoodCritical: [], headerCache: fresh)
        #expect(fresh.count == 0)
    }

    @Test("the same JSON in other bytes is another entry; each resolves to its own kid")
    func keyedByExactBytes() throws {
        let cache = JWTHeaderCache()
        let a = K.token(header: #"{"alg":"HS256","kid":"k1"}"#, payload: K.validPayload)
        let b = K.token(header: #"{"kid":"k1","alg":"HS256"}"#, payload: K.validPayload)
        let c = K.token(header: #"{"alg":"HS256","kid":"k2"}"#, payload: K.validPayload)
        for token in [a, b, c, a, b, c] {
            _ = try UnverifiedJWT(parsing: token, maximumSize: 8192, maximumDepth: 16, understoodCritical: [], headerCache: cache)
        }
        #expect(cache.count == 3)
        #expect(try UnverifiedJWT(parsing: c, maximumSize: 8192, maximumDepth: 16, understoodCritical: [], headerCache: cache).header.keyID == "k2")
    }

    @Test("a verifier whose options change does not reuse headers accepted under the old options")
    func optionsChangeStartsAFreshCache() throws {
        let header = #"{"alg":"HS256","kid":"k1","crit":["exp"],"exp":1}"#
        let token = K.token(header: header, payload: K.validPayload)
        var options = JWTValidationOptions()
        options.understoodCriticalHeaders = ["exp"]
        var verifier = try K.verifier(options: options)
        for _ in 0..<2 { _ = try verifier.verify(token) }
        verifier.options.understoodCriticalHeaders = []
        for _ in 0..<2 {
            #expect(K.code { () throws(JWTError) in _ = try verifier.verify(token) } == .malformed)
        }
    }

    @Test("verdicts with the cache equal verdicts without it, token after token")
    func transparent() throws {
        let verifier = try K.verifier()
        let good = K.token(header: #"{"alg":"HS256","kid":"k1"}"#, payload: K.validPayload)
        let forged = K.token(header: #"{"alg":"HS256","kid":"k1"}"#, payload: K.validPayload, secret: K.otherSecret)
        let unknown = K.token(header: #"{"alg":"HS256","kid":"k9"}"#, payload: K.validPayload)
        for _ in 0..<3 {
            #expect(K.code { () throws(JWTError) in _ = try verifier.verify(good) } == nil)
            #expect(K.code { () throws(JWTError) in _ = try verifier.verify(forged) } == .badSignature)
            #expect(K.code { () throws(JWTError) in _ = try verifier.verify(unknown) } == .unknownKey)
        }
    }
}
