public import Foundation
public import TokenCore
public import TokenMiddleware

/// Authenticates webhook deliveries signed in the style of Stripe's `Stripe-Signature` header:
///
/// ```
/// Webhook-Signature: t=1767225600,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd
/// ```
///
/// `v1` is the lowercase hex HMAC-SHA256 (RFC 2104) of `"<t>.<raw body>"` under a shared secret.
/// The sender may list several `v1` values (one per secret while it rotates); one match is
/// enough. `t` must lie within ``tolerance`` of the injected clock, which bounds how long a
/// captured delivery can be replayed.
///
/// It keeps the ``Authenticator`` contract:
/// - no signature header → `nil`, so another authenticator may try (or the request gets a 401
///   with every accepted challenge);
/// - a header that is malformed, stale or does not match → throws ``WebhookSignatureError``
///   (the request stops with a 401);
/// - a matching signature → a ``Principal`` naming the sender.
///
/// ```swift
/// let webhooks = try WebhookSignatureAuthenticator(sender: "billing", secrets: [secret])
/// let app = [ErrorMiddleware(), AuthenticationMiddleware([webhooks])].wrapping(handler)
/// ```
public struct WebhookSignatureAuthenticator: Authenticator {
    /// The header read by default.
    public static let defaultHeaderName = "Webhook-Signature"
    /// Headers longer than this are refused before parsing.
    public static let maximumHeaderLength = 1024
    /// At most this many `v1` entries are checked (two secrets during a rotation is typical).
    public static let maximumSignatures = 4

    public let name: String
    /// The sender this authenticator vouches for: the principal's subject.
    public let sender: String
    /// The header carrying the signature.
    public let headerName: String
    /// How far `t` may be from the clock, in either direction, in seconds.
    public let tolerance: TimeInterval
    /// The time source (inject a `ManualClock` in tests).
    public let clock: any WallClock
    private let keys: [HMAC<SHA256>]

    /// Creates the authenticator.
    /// - Parameters:
    ///   - sender: The principal's subject for accepted deliveries.
    ///   - secrets: The accepted secrets (more than one while rotating); each at least 32 bytes.
    ///   - tolerance: The accepted clock distance of `t`; 300 seconds by default, as Stripe does.
    ///   - headerName: The header to read.
    ///   - name: The authenticator's name in principals and logs.
    ///   - clock: The time source.
    /// - Throws: ``WebhookSignatureError`` (`malformed`) when no secret is given or one is
    ///   shorter than 32 bytes, or the tolerance is not positive.
    public init(
        sender: String, secrets: [[UInt8]], tolerance: TimeInterval = 300,
        headerName: String = defaultHeaderName, name: String = "webhook", clock: any WallClock = SystemClock()
    ) throws(WebhookSignatureError) {
        guard !secrets.isEmpty, secrets.allSatisfy({ $0.count >= 32 }) else {
            throw WebhookSignatureError(.malformed, "webhook secrets must be at least 32 bytes each")
        }
        guard tolerance.isFinite, tolerance > 0 else {
            throw WebhookSignatureError(.malformed, "the timestamp tolerance must be positive")
        }
        self.sender = sender
        self.keys = secrets.map { HMAC<SHA256>(key: $0) }
        self.tolerance = tolerance
        self.headerName = headerName
        self.name = name
        self.clock = clock
    }

    /// `Webhook-Signature` with the header name as its only parameter. There is no registered
    /// scheme for this; the challenge only tells a client which header the route accepts.
    public var challenge: AuthenticationChallenge {
        AuthenticationChallenge(scheme: "Signature", parameters: [.init("header", headerName)])
    }

    public func authenticate(_ request: HTTPRequest) async throws -> Principal? {
        let values = request.headers.values(for: headerName)
        guard let header = values.first else { return nil }
        guard values.count == 1 else {
            throw WebhookSignatureError(.malformed, "more than one \(headerName) header")
        }
        let parsed = try Self.parse(header)
        let now = clock.now().timeIntervalSince1970
        guard abs(now - Double(parsed.timestamp)) <= tolerance else {
            throw WebhookSignatureError(.timestampOutOfTolerance, "the signature timestamp is outside the accepted window")
        }
        // Absorb "<t>." and the body once, then finish a copy per secret.
        var matched = false
        for key in keys {
            var mac = key
            mac.update(Array("\(parsed.timestamp).".utf8))
            mac.update(request.body)
            for signature in parsed.signatures where mac.isValidAuthenticationCode(signature) {
                matched = true
            }
        }
        guard matched else {
            throw WebhookSignatureError(.signatureMismatch, "no v1 signature matches the body")
        }
        return Principal(
            subject: sender, authenticator: name, attributes: ["webhook.timestamp": String(parsed.timestamp)]
        )
    }

    /// Splits `t=…,v1=…[,v1=…]`; unknown keys (`v0`, future schemes) are ignored as Stripe does.
    static func parse(_ header: String) throws(WebhookSignatureError) -> (timestamp: Int64, signatures: [[UInt8]]) {
        guard header.utf8.count <= maximumHeaderLength else {
            throw WebhookSignatureError(.malformed, "the signature header is too long")
        }
        var timestamp: Int64?
        var signatures: [[UInt8]] = []
        for item in header.split(separator: ",", omittingEmptySubsequences: false) {
            let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else { throw WebhookSignatureError(.malformed, "expected key=value items") }
            let key = pair[0].trimmingCharacters(in: .whitespaces), value = pair[1].trimmingCharacters(in: .whitespaces)
            switch key {
            case "t":
                guard timestamp == nil, value.utf8.count <= 12, value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                      let seconds = Int64(value) else {
                    throw WebhookSignatureError(.malformed, "t must appear once, as unix seconds")
                }
                timestamp = seconds
            case "v1":
                guard value.utf8.count == 2 * SHA256.digestByteCount, let bytes = try? Hex.decode(value) else {
                    throw WebhookSignatureError(.malformed, "v1 must be 64 hex digits")
                }
                guard signatures.count < maximumSignatures else {
                    throw WebhookSignatureError(.malformed, "too many v1 signatures")
                }
                signatures.append(bytes)
            default:
                continue
            }
        }
        guard let timestamp, !signatures.isEmpty else {
            throw WebhookSignatureError(.malformed, "the header needs t and at least one v1")
        }
        return (timestamp, signatures)
    }
}

extension WebhookSignatureAuthenticator {
    /// The header value a sender computes for `body` at `timestamp`: what your tests, and any
    /// Swift service that sends webhooks, use.
    /// - Parameters:
    ///   - body: The exact bytes to send.
    ///   - secret: The shared secret.
    ///   - timestamp: Unix seconds.
    /// - Returns: `t=<timestamp>,v1=<hex HMAC-SHA256 of "<timestamp>.<body>">`.
    public static func signatureHeader(for body: [UInt8], secret: [UInt8], timestamp: Int64) -> String {
        let message = Array("\(timestamp).".utf8) + body
        return "t=\(timestamp),v1=" + Hex.encode(HMAC<SHA256>.authenticationCode(for: message, using: secret))
    }
}
