// Runs the three outcomes of the custom authenticator (absent, valid, invalid) and the any-of /
// all-of compositions in process, printing each request and response.
import Foundation
import CustomValidator
import TokenCore
import TokenMiddleware

let secret = Array("whsec_demo_0123456789abcdef0123456789abcdef".utf8)
let clock = ManualClock(unixSeconds: 1_767_225_600)
let webhooks = try WebhookSignatureAuthenticator(sender: "billing", secrets: [secret], clock: clock)
let jwtKey = try HMACJWTKey(.hs256, secret: Array("demo-jwt-key-demo-jwt-key-0123456789".utf8))
let jwt = JWTAuthenticator(keys: try JWTKeySet([jwtKey]), realm: "webhooks", clock: clock)
let token = try JWTIssuer(signer: jwtKey, timeToLive: 600, clock: clock).issue(["sub": "ops", "scope": "events:replay"])
let app = WebhookApp(webhooks: webhooks, bearer: jwt)

let body = Array(#"{"type":"invoice.paid","id":"evt_1"}"#.utf8)
let now = Int64(clock.now().timeIntervalSince1970)
let valid = WebhookSignatureAuthenticator.signatureHeader(for: body, secret: secret, timestamp: now)
let stale = WebhookSignatureAuthenticator.signatureHeader(for: body, secret: secret, timestamp: now - 3600)
let forged = WebhookSignatureAuthenticator.signatureHeader(for: body, secret: Array(repeating: 7, count: 32), timestamp: now)

let cases: [(String, String, HTTPHeaders)] = [
    ("absent: no signature header", "/webhooks/billing", [:]),
    ("valid signature", "/webhooks/billing", ["Webhook-Signature": valid]),
    ("invalid: signed with another secret", "/webhooks/billing", ["Webhook-Signature": forged]),
    ("invalid: timestamp an hour old", "/webhooks/billing", ["Webhook-Signature": stale]),
    ("any-of: a JWT instead of a signature", "/events", ["Authorization": "Bearer \(token)"]),
    ("all-of: signature only", "/admin/replay", ["Webhook-Signature": valid]),
    ("all-of: signature and JWT", "/admin/replay", ["Webhook-Signature": valid, "Authorization": "Bearer \(token)"]),
]
for (title, path, headers) in cases {
    let response = try await app.respond(to: HTTPRequest(method: .post, target: path, headers: headers, body: body))
    print("== \(title)\n   POST \(path) -> \(response.status)")
    for challenge in response.headers.values(for: "WWW-Authenticate") { print("   WWW-Authenticate: \(challenge)") }
    print("   \(response.bodyText ?? "")")
}
