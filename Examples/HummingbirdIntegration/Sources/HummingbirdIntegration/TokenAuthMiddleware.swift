// The Hummingbird 2 adapter for swift-token-auth: copy this file into your app.
//
// It converts the Hummingbird request into TokenMiddleware's `HTTPRequest`, runs a token-auth
// chain (ErrorMiddleware outermost, then e.g. AuthenticationMiddleware and AuthorizationMiddleware)
// as a gate, and either calls the rest of the Hummingbird stack with the identities in the request
// context, or returns the chain's response converted back (401/403/400/503 with the same
// `WWW-Authenticate` challenges and problem+json bodies as the project's example server).
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TokenCore
import TokenMiddleware

/// A request context that carries the identities established by ``TokenAuthMiddleware``.
///
/// ```swift
/// struct AppContext: TokenAuthRequestContext {
///     var coreContext: CoreRequestContextStorage
///     var identities = Identities()
///     init(source: ApplicationRequestContextSource) { coreContext = .init(source: source) }
/// }
/// ```
public protocol TokenAuthRequestContext: RequestContext {
    /// Principals established for this request, in authenticator order; empty before the
    /// middleware ran or when authentication was optional and no credential was present.
    var identities: Identities { get set }
}

/// Runs a swift-token-auth middleware chain in front of Hummingbird routes.
///
/// ```swift
/// let router = Router(context: AppContext.self)
/// router.group("api")
///     .add(middleware: TokenAuthMiddleware(authenticators: [jwt], realm: "api"))
///     .get("me") { _, context in try context.identities.require().subject }
/// ```
///
/// The chain decides before the route runs: authentication and authorization are gates. Errors
/// a route handler throws that belong to token-auth (`identities.require()`, a
/// `CredentialError`, an `AuthorizationError`) are rendered by the same ``ErrorMiddleware``;
/// any other error goes to Hummingbird untouched.
public struct TokenAuthMiddleware<Context: TokenAuthRequestContext>: RouterMiddleware {
    /// The chain run for each request, ``ErrorMiddleware`` outermost.
    let gate: any TokenMiddleware.Responder
    let errors: ErrorMiddleware
    /// Request bodies up to this size are collected so body-binding credentials (signed dynamic
    /// tokens, webhook signatures) can be checked; larger ones are refused with 413.
    let maximumBodySize: Int

    /// Wraps `middleware` (outermost first) behind `errors`.
    /// - Parameters:
    ///   - middleware: For example `[AuthenticationMiddleware([jwt]), AuthorizationMiddleware(.scopes(allOf: ["read"]))]`.
    ///   - errors: Renders failures; its realm names the protection space in challenges.
    ///   - maximumBodySize: The largest request body collected, in bytes (1 MiB by default).
    public init(_ middleware: [any TokenMiddleware.Middleware], errors: ErrorMiddleware = ErrorMiddleware(), maximumBodySize: Int = 1 << 20) {
        self.errors = errors
        self.maximumBodySize = maximumBodySize
        gate = ([errors] + middleware).wrapping(TokenMiddleware.ClosureResponder { request in
            // Reaching the innermost responder means every gate passed: hand the identities out.
            request.storage[PassedGate.self]?.set(request.identities)
            return TokenMiddleware.HTTPResponse(status: .ok)
        })
    }

    /// Runs `authenticators` under `policy` (and an optional authorization policy).
    public init(
        authenticators: [any Authenticator], policy: AuthenticationMiddleware.Policy = .anyOf,
        requirement: AuthenticationMiddleware.Requirement = .required, authorization: AuthorizationPolicy? = nil,
        realm: String = "api", maximumBodySize: Int = 1 << 20
    ) {
        var chain: [any TokenMiddleware.Middleware] = [AuthenticationMiddleware(authenticators, policy: policy, requirement: requirement)]
        if let authorization { chain.append(AuthorizationMiddleware(authorization)) }
        self.init(chain, errors: ErrorMiddleware(realm: realm), maximumBodySize: maximumBodySize)
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        let body: ByteBuffer
        do {
            // A declared length over the bound is refused before reading; a streamed body stops at it.
            if let declared = request.headers[.contentLength].flatMap(Int.init), declared > maximumBodySize { throw NIOTooManyBytesError(maxBytes: maximumBodySize) }
            body = try await request.collectBody(upTo: maximumBodySize)
        } catch is NIOTooManyBytesError {
            let tooLarge = TokenMiddleware.HTTPError(.contentTooLarge, code: "body_too_large", reason: "the request body is too large")
            return Self.response(errors.response(for: tooLarge).response)
        }
        var headers = TokenMiddleware.HTTPHeaders()
        for field in request.headers { headers.add(name: field.name.rawName, value: field.value) }
        var converted = TokenMiddleware.HTTPRequest(
            method: TokenMiddleware.HTTPMethod(request.method.rawValue), target: request.uri.description,
            headers: headers, body: Array(buffer: body)
        )
        let passed = PassedGate()
        converted.storage[PassedGate.self] = passed
        let verdict = try await gate.respond(to: converted)
        guard let identities = passed.identities else { return Self.response(verdict) }
        var context = context
        context.identities = identities
        do {
            return try await next(request, context)
        } catch let error where error is AuthenticationError || error is AuthorizationError || error is any CredentialError {
            return Self.response(errors.response(for: error).response)
        }
    }

    /// Converts a TokenMiddleware response into a Hummingbird one, header for header.
    static func response(_ response: TokenMiddleware.HTTPResponse) -> Response {
        var fields = HTTPFields()
        for header in response.headers {
            if let name = HTTPField.Name(header.name) { fields.append(HTTPField(name: name, value: header.value)) }
        }
        let status = HTTPTypes.HTTPResponse.Status(code: response.status.code, reasonPhrase: response.status.reasonPhrase)
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: response.body)))
    }
}

/// Set by the innermost responder when the chain let the request through. A lock-protected class
/// because the chain receives the request by value: this reference is how the verdict comes back.
final class PassedGate: @unchecked Sendable, RequestStorageKey {
    typealias Value = PassedGate
    private let lock = NSLock()
    private var stored: Identities?

    var identities: Identities? { lock.withLock { stored } }
    func set(_ identities: Identities) { lock.withLock { stored = identities } }
}
