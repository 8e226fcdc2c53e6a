import CustomValidator
import Foundation
import TokenCore
import TokenMiddleware
import Testing

/// The custom authenticator behind the real middleware stack: the three outcomes as HTTP
/// responses, and its composition with the built-in JWT authenticator.
@Suite struct WebhookAppTests {
    let secret = Array("whsec_test_0123456789abcdef0123456789abcdef".utf8)
    let body = Array(#"{"type":"invoice.paid"}"#.utf8)
    let clock = ManualClock(unixSeconds: 1_767_225_600)
    let jwtKey: HMACJWTKey
    let app: WebhookApp

    init() throws {
        jwtKey = try HMACJWTKey(.hs256, secret: Array(repeating: UInt8(42), count: 32))
        let webhooks = try WebhookSignatureAuthenticator(sender: "billing", secrets: [secret], clock: clock)
        let jwt = JWTAuthenticator(keys: try JWTKeySet([jwtKey]), realm: "webhooks", clock: clock)
        app = WebhookApp(webhooks: webhooks, bearer: jwt)
    }

    var signature: String {
        WebhookSignatureAuthenticator.signatureHeader(for: body, secret: secret, timestamp: Int64(clock.now().timeIntervalSince1970))
    }

    func token(scope: String) throws -> String {
        try JWTIssuer(signer: jwtKey, timeToLive: 600, clock: clock).issue(["sub": "ops", "scope": scope])
    }

    func post(_ path: String, _ headers: HTTPHeaders) async throws -> HTTPResponse {
        try await app.respond(to: HTTPRequest(method: .post, target: path, headers: headers, body: body))
    }

    @Test func absentIs401WithChallenge() async throws {
        let response = try await post("/webhooks/billing", [:])
        #expect(response.status == .unauthorized)
        #expect(response.headers.values(for: "WWW-Authenticate") == [#"Signature realm="webhooks", header="Webhook-Signature""#])
    }

    @Test func validIs200() async throws {
        let response = try await post("/webhooks/billing", ["Webhook-Signature": signature])
        #expect(response.status == .ok)
        #expect(response.bodyText == "accepted webhook:billing")
    }

    @Test func invalidIs401InvalidTokenWithoutEchoingTheSignature() async throws {
        let forged = WebhookSignatureAuthenticator.signatureHeader(for: body, secret: Array(repeating: 3, count: 32), timestamp: 1_767_225_600)
        let response = try await post("/webhooks/billing", ["Webhook-Signature": forged])
        #expect(response.status == .unauthorized)
        let challenge = try #require(response.headers["WWW-Authenticate"])
        #expect(challenge.contains(#"error="invalid_token""#))
        #expect(response.bodyText?.contains("webhook.signature_mismatch") == true)
        let mac = try #require(forged.split(separator: "=").last)
        #expect(response.bodyText?.contains(mac) == false)
        #expect(!challenge.contains(mac))
    }

    @Test func anyOfAcceptsEitherAndChallengesBoth() async throws {
        #expect(try await post("/events", ["Webhook-Signature": signature]).status == .ok)
        let viaJWT = try await post("/events", ["Authorization": "Bearer \(try token(scope: "none"))"])
        #expect(viaJWT.status == .ok)
        #expect(viaJWT.bodyText == "accepted jwt:ops")
        let none = try await post("/events", [:])
        #expect(none.status == .unauthorized)
        #expect(none.headers.values(for: "WWW-Authenticate").count == 2)
        // A present-but-invalid signature fails the request even when a JWT would do.
        let both = try await post("/events", ["Webhook-Signature": signature + "0", "Authorization": "Bearer \(try token(scope: "x"))"])
        #expect(both.status == .unauthorized)
    }

    @Test func allOfNeedsBothThenTheScope() async throws {
        #expect(try await post("/admin/replay", ["Webhook-Signature": signature]).status == .unauthorized)
        #expect(try await post("/admin/replay", ["Authorization": "Bearer \(try token(scope: "events:replay"))"]).status == .unauthorized)
        let weak = try await post("/admin/replay", ["Webhook-Signature": signature, "Authorization": "Bearer \(try token(scope: "events:read"))"])
        #expect(weak.status == .forbidden)
        let ok = try await post("/admin/replay", ["Webhook-Signature": signature, "Authorization": "Bearer \(try token(scope: "events:replay"))"])
        #expect(ok.status == .ok)
        #expect(ok.bodyText == "accepted webhook:billing jwt:ops")
    }
}
