import TokenCore
import TokenMiddleware

/// A small authenticator for tests: reads its credential from header `header` and accepts the
/// tokens in `valid`. Keeps the Authenticator contract: absent → nil, known → principal,
/// anything else → invalid.
struct HeaderTokenAuthenticator: Authenticator {
    let name: String
    let header: String
    let scheme: String
    let valid: [String: Principal]

    init(name: String, header: String, scheme: String, valid: [String: Principal]) {
        self.name = name
        self.header = header
        self.scheme = scheme
        self.valid = valid
    }

    var challenge: AuthenticationChallenge { AuthenticationChallenge(scheme: scheme) }

    func authenticate(_ request: HTTPRequest) async throws -> Principal? {
        guard let token = request.headers[header] else { return nil }
        guard let principal = valid[token] else {
            throw TestCredentialError(machineCode: "\(name).unknown_token", reason: "unknown token", failureKind: .invalid)
        }
        return principal
    }
}

/// A Bearer authenticator over fixed tokens, using the RFC 6750 parser.
struct FixedBearerAuthenticator: Authenticator {
    var name = "bearer"
    var challenge: AuthenticationChallenge { AuthenticationChallenge(scheme: "Bearer") }
    let valid: [String: Principal]

    func authenticate(_ request: HTTPRequest) async throws -> Principal? {
        guard let token = try request.bearerToken() else { return nil }
        guard let principal = valid[token] else {
            throw AuthenticationError.invalidCredentials("the token is not known", code: "test.unknown")
        }
        return principal
    }
}

/// Always throws `error`.
struct ThrowingAuthenticator: Authenticator {
    var name = "throwing"
    var challenge: AuthenticationChallenge { AuthenticationChallenge(scheme: "Throwing") }
    let error: any Error
    func authenticate(_ request: HTTPRequest) async throws -> Principal? { throw error }
}

/// A domain error as TokenCore modules define them.
struct TestCredentialError: CredentialError {
    var machineCode: String
    var reason: String
    var failureKind: CredentialFailureKind
}

struct UnexpectedError: Error {}

/// Answers 200 with the subjects of the request's identities, comma-separated.
let echoIdentities = ClosureResponder { request in
    .text(request.identities.map(\.subject).joined(separator: ","))
}

extension HTTPRequest {
    static func get(_ target: String = "/", _ headers: (String, String)...) -> HTTPRequest {
        HTTPRequest(method: .get, target: target, headers: HTTPHeaders(headers))
    }
}
