// The Vapor 4 adapter for swift-token-auth: copy this file into your app.
//
// It converts the Vapor request into TokenMiddleware's `HTTPRequest`, runs a token-auth chain
// (ErrorMiddleware outermost, then e.g. AuthenticationMiddleware and AuthorizationMiddleware) as a
// gate, and either calls the rest of the Vapor responder chain with the identities on the request
// (`req.identities`, and the first principal in `req.auth`), or returns the chain's response
// converted back (401/403/400/503 with the same `WWW-Authenticate` challenges and problem+json
// bodies as the project's example server).
import Foundation
import TokenCore
import TokenMiddleware
import Vapor

/// Runs a swift-token-auth middleware chain in front of Vapor routes.
///
/// ```swift
/// let api = app.grouped(TokenAuthMiddleware(authenticators: [jwt], realm: "api"))
/// api.get("me") { req in try req.identities.require().subject }
/// ```
///
/// The chain decides before the route runs: authentication and authorization are gates. Errors
/// a route handler throws that belong to token-auth (`identities.require()`, a
/// `CredentialError`, an `AuthorizationError`) are rendered by the same ``ErrorMiddleware``;
/// any other error goes to Vapor's own error middleware untouched.
public struct TokenAuthMiddleware: AsyncMiddleware {
    let gate: any TokenMiddleware.Responder
    let errors: TokenMiddleware.ErrorMiddleware
    /// Request bodies up to this size are collected so body-binding credentials (signed dynamic
    /// tokens, webhook signatures) can be checked; larger ones are refused with 413.
    let maximumBodySize: Int

    /// Wraps `middleware` (outermost first) behind `errors`.
    /// - Parameters:
    ///   - middleware: For example `[AuthenticationMiddleware([jwt]), AuthorizationMiddleware(.scopes(allOf: ["read"]))]`.
    ///   - errors: Renders failures; its realm names the protection space in challenges.
    ///   - maximumBodySize: The largest request body collected, in bytes (1 MiB by default).
    public init(_ middleware: [any TokenMiddleware.Middleware], errors: TokenMiddleware.ErrorMiddleware = TokenMiddleware.ErrorMiddleware(), maximumBodySize: Int = 1 << 20) {
        self.errors = errors
        self.maximumBodySize = min(max(0, maximumBodySize), Int.max - 1)
        gate = ([errors] + middleware).wrapping(TokenMiddleware.ClosureResponder { request in
            // Reaching the innermost responder means every gate passed: hand the identities out.
            request.storage[PassedGate.self]?.set(request.identities)
            return TokenMiddleware.HTTPResponse(status: .ok)
        })
    }

    /// Runs `authenticators` under `policy` (and an optional authorization policy).
    public init(
        authenticators: [any TokenMiddleware.Authenticator], policy: AuthenticationMiddleware.Policy = .anyOf,
        requirement: AuthenticationMiddleware.Requirement = .required, authorization: AuthorizationPolicy? = nil,
        realm: String = "api", maximumBodySize: Int = 1 << 20
    ) {
        var chain: [any TokenMiddleware.Middleware] = [AuthenticationMiddleware(authenticators, policy: policy, requirement: requirement)]
        if let authorization { chain.append(AuthorizationMiddleware(authorization)) }
        self.init(chain, errors: TokenMiddleware.ErrorMiddleware(realm: realm), maximumBodySize: maximumBodySize)
    }

    public func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let body = try await collectBody(of: request) else {
            let tooLarge = TokenMiddleware.HTTPError(.contentTooLarge, code: "body_too_large", reason: "the request body is too large")
            return Self.response(errors.response(for: tooLarge).response)
        }
        var converted = TokenMiddleware.HTTPRequest(
            method: TokenMiddleware.HTTPMethod(request.method.rawValue), target: request.url.string,
            headers: TokenMiddleware.HTTPHeaders(request.headers.map { ($0.name, $0.value) }),
            body: body, remoteAddress: request.remoteAddress?.ipAddress
        )
        let passed = PassedGate()
        converted.storage[PassedGate.self] = passed
        let verdict = try await gate.respond(to: converted)
        guard let identities = passed.identities else { return Self.response(verdict) }
        request.identities = identities
        if let first = identities.first { request.auth.login(first) }
        do {
            return try await next.respond(to: request)
        } catch let error where error is AuthenticationError || error is AuthorizationError || error is any CredentialError {
            return Self.response(errors.response(for: error).response)
        }
    }

    /// The request body, or `nil` when it is larger than `maximumBodySize` (then nothing more is
    /// kept). The size is checked three ways because Vapor hands the body over in two forms: a
    /// declared `Content-Length`; a stream, which `collect(max:)` fails with 413 (it refuses a
    /// body *reaching* `max`, hence the `+ 1`); and a body already collected — sent in one read,
    /// or by the in-memory tester — which `collect(max:)` returns whatever its size.
    func collectBody(of request: Request) async throws -> [UInt8]? {
        if let declared = request.headers.first(name: .contentLength).flatMap(Int.init), declared > maximumBodySize { return nil }
        let buffer: ByteBuffer?
        do { buffer = try await request.body.collect(max: maximumBodySize + 1).get() } catch let error as Abort where error.status == .payloadTooLarge {
            return nil
        }
        guard let buffer else { return [] }
        return buffer.readableBytes > maximumBodySize ? nil : Array(buffer: buffer)
    }

    /// Converts a TokenMiddleware response into a Vapor one, header for header.
    static func response(_ response: TokenMiddleware.HTTPResponse) -> Response {
        let headers = NIOHTTP1.HTTPHeaders(response.headers.map { ($0.name, $0.value) })
        let status = HTTPResponseStatus(statusCode: response.status.code, reasonPhrase: response.status.reasonPhrase)
        return Response(status: status, headers: headers, body: .init(buffer: ByteBuffer(bytes: response.body)))
    }
}

extension Request {
    private struct IdentitiesKey: StorageKey { typealias Value = Identities }

    /// Principals established by ``TokenAuthMiddleware`` for this request, in authenticator order.
    public var identities: Identities {
        get { storage[IdentitiesKey.self] ?? Identities() }
        set { storage[IdentitiesKey.self] = newValue }
    }
}

/// Lets `req.auth.require(Principal.self)` find the first identity.
extension Principal: @retroactive Authenticatable {}

/// Set by the innermost responder when the chain let the request through. A lock-protected class
/// because the chain receives the request by value: this reference is how the verdict comes back.
final class PassedGate: @unchecked Sendable, RequestStorageKey {
    typealias Value = PassedGate
    private let lock = NSLock()
    private var stored: Identities?

    var identities: Identities? { lock.withLock { stored } }
    func set(_ identities: Identities) { lock.withLock { stored = identities } }
}
