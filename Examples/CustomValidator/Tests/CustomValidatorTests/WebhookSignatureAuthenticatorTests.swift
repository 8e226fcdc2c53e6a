import CustomValidator
import Foundation
import TokenCore
import TokenMiddleware
import Testing

@Suite struct WebhookSignatureAuthenticatorTests {
    let secret = Array("whsec_test_0123456789abcdef0123456789abcdef".utf8)
    let body = Array(#"{"type":"invoice.paid","id":"evt_1"}"#.utf8)
    let clock = ManualClock(unixSeconds: 1_767_225_600)
    var now: Int64 { Int64(clock.now().timeIntervalSince1970) }

    func authenticator(secrets: [[UInt8]]? = nil) throws -> WebhookSignatureAuthenticator {
        try WebhookSignatureAuthenticator(sender: "billing", secrets: secrets ?? [secret], clock: clock)
    }

    func request(_ signature: String?, body: [UInt8]? = nil) -> HTTPRequest {
        var headers = HTTPHeaders()
        if let signature { headers.add(name: "Webhook-Signature", value: signature) }
        return HTTPRequest(method: .post, target: "/webhooks/billing", headers: headers, body: body ?? self.body)
    }

    func failure(_ signature: String, body: [UInt8]? = nil) async throws -> WebhookSignatureError.Code? {
        do {
            _ = try await authenticator().authenticate(request(signature, body: body))
            return nil
        } catch let error as WebhookSignatureError {
            return error.code
        }
    }

    @Test func absentHeaderLetsOthersTry() async throws {
        #expect(try await authenticator().authenticate(request(nil)) == nil)
    }

    @Test func validSignatureYieldsPrincipal() async throws {
        let header = WebhookSignatureAuthenticator.signatureHeader(for: body, secret: secret, timestamp: now)
        let principal = try #require(try await authenticator().authenticate(request(header)))
        #expect(principal.subject == "billing")
        #expect(principal.attributes["webhook.timestamp"] == String(now))
    }

    /// Pins the MAC to an independent computation: HMAC-SHA256("1767225600." + body) from
    /// Python's hmac module (`hmac.new(secret, b"1767225600." + body, "sha256").hexdigest()`).
    @Test func headerMatchesIndependentHMAC() {
        let header = WebhookSignatureAuthenticator.signatureHeader(for: body, secret: secret, timestamp: 1_767_225_600)
        #expect(header == "t=1767225600,v1=\(Self.pythonHMAC)")
    }
    static let pythonHMAC = "a20a6158e21271398fa8704367222c7637a7bb47af09539b3172b64829dedc67"

    @Test func anyMatchingSignatureOfSeveralIsAccepted() async throws {
        let old = Array(repeating: UInt8(9), count: 32)
        let stale = WebhookSignatureAuthenticator.signatureHeader(for: body, secret: old, timestamp: now)
        let current = WebhookSignatureAuthenticator.signatureHeader(for: body, secret: secret, timestamp: now)
        let currentMAC = try #require(current.split(separator: "=").last)
        let combined = stale + ",v1=" + currentMAC
        #expect(try await authenticator().authenticate(request(combined)) != nil)
        // Rotation on the receiving side: either secret verifies.
        #expect(try await authenticator(secrets: [old, secret]).authenticate(request(current)) != nil)
    }

    @Test func toleranceIsInclusiveBothWays() async throws {
        for offset in [-300, 300] as [Int64] {
            let header = WebhookSignatureAuthenticator.signatureHeader(for: body, secret: secret, timestamp: now + offset)
            #expect(try await authenticator().authenticate(request(header)) != nil)
        }
        for offset in [-301, 301] as [Int64] {
            let header = WebhookSignatureAuthenticator.signatureHeader(for: body, secret: secret, timestamp: now + offset)
            #expect(try await failure(header) == .timestampOutOfTolerance)
        }
    }

    @Test func clockMovingPastToleranceExpiresADelivery() async throws {
        let header = WebhookSignatureAuthenticator.signatureHeader(for: body, secret: secret, timestamp: now)
        clock.advance(by: 301)
        #expect(try await failure(header) == .timestampOutOfTolerance)
    }

    @Test func wrongSecretTamperedBodyOrTimestampIsMismatch() async throws {
        let forged = WebhookSignatureAuthenticator.signatureHeader(for: body, secret: Array(repeating: 1, count: 32), timestamp: now)
        #expect(try await failure(forged) == .signatureMismatch)
        let genuine = WebhookSignatureAuthenticator.signatureHeader(for: body, secret: secret, timestamp: now)
        #expect(try await failure(genuine, body: body + [0x20]) == .signatureMismatch)
        let shifted = genuine.replacingOccurrences(of: "t=\(now)", with: "t=\(now - 1)")
        #expect(try await failure(shifted) == .signatureMismatch)
    }

    @Test(arguments: [
        "", "t=1767225600", "v1=" + String(repeating: "a", count: 64), "t=abc,v1=" + String(repeating: "a", count: 64),
        "t=1767225600,v1=zz", "t=1767225600,v1=" + String(repeating: "g", count: 64),
        "t=1,t=2,v1=" + String(repeating: "a", count: 64), "t=-5,v1=" + String(repeating: "a", count: 64),
        "t=1767225600,v1=" + String(repeating: "a", count: 63), "garbage",
        "t=1767225600" + String(repeating: ",v1=" + String(repeating: "a", count: 64), count: 5),
        "t=1767225600,v1=" + String(repeating: "a", count: 2000),
    ])
    func malformedHeadersAreRejected(header: String) async throws {
        #expect(try await failure(header) == .malformed)
    }

    @Test func duplicateHeaderIsRejected() async throws {
        let header = WebhookSignatureAuthenticator.signatureHeader(for: body, secret: secret, timestamp: now)
        var request = request(header)
        request.headers.add(name: "webhook-signature", value: header)
        await #expect(throws: WebhookSignatureError.self) { try await authenticator().authenticate(request) }
    }

    @Test func shortSecretsAndBadToleranceAreRefused() {
        #expect(throws: WebhookSignatureError.self) {
            try WebhookSignatureAuthenticator(sender: "x", secrets: [Array(repeating: 1, count: 31)])
        }
        #expect(throws: WebhookSignatureError.self) { try WebhookSignatureAuthenticator(sender: "x", secrets: []) }
        #expect(throws: WebhookSignatureError.self) {
            try WebhookSignatureAuthenticator(sender: "x", secrets: [secret], tolerance: 0)
        }
    }
}
