import TokenMiddleware

/// A custom authenticator: reads `Authorization: Bearer <token>` and looks the token up in a
/// table. It keeps the `Authenticator` contract: no Bearer token → `nil` (let others try),
/// a known token → a principal, an unknown one → throw (the request stops with a 401).
public struct TableAuthenticator: Authenticator {
    public let name = "table"
    public let challenge = AuthenticationChallenge(scheme: "Bearer")
    let principals: [String: Principal]

    public init(_ principals: [String: Principal]) { self.principals = principals }

    public func authenticate(_ request: HTTPRequest) async throws -> Principal? {
        guard let token = try request.bearerToken() else { return nil }
        guard let principal = principals[token] else {
            throw AuthenticationError.invalidCredentials("unknown token")
        }
        return principal
    }
}

/// The app: errors become 401/403 responses, every request must authenticate, and the
/// handler only runs for principals with the `notes:read` scope.
public func makeApp(authenticator: TableAuthenticator) -> any Responder {
    let notes = ClosureResponder { request in
        let user = try request.identities.require()
        return .text("notes of \(user.subject)")
    }
    return [
        ErrorMiddleware(realm: "notes"),
        AuthenticationMiddleware([authenticator]),
        AuthorizationMiddleware(.scopes(allOf: ["notes:read"])),
    ].wrapping(notes)
}
