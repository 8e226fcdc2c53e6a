/// Looks for one kind of credential in a request and verifies it.
///
/// The contract every authenticator keeps, and the composition in ``AuthenticationMiddleware``
/// relies on:
/// - return `nil` when the request carries **no credential of this kind** (another
///   authenticator may find one);
/// - return a ``Principal`` when it carries a **valid** one;
/// - throw an ``AuthenticationError`` when it carries one that is **invalid** (malformed,
///   expired, bad signature, revoked). A present-but-invalid credential stops the request; it
///   is never treated as absent.
///
/// An authenticator also names its HTTP challenge, so a 401 can advertise every accepted scheme
/// in `WWW-Authenticate`.
public protocol Authenticator: Sendable {
    /// A short stable name recorded in ``Principal/authenticator`` and in logs, such as `"jwt"`.
    var name: String { get }

    /// The challenge sent in `WWW-Authenticate` when this authenticator's credential is missing
    /// or rejected (RFC 9110 §11.6.1).
    var challenge: AuthenticationChallenge { get }

    /// Verifies this authenticator's credential in `request`, if any. See the protocol's contract.
    func authenticate(_ request: HTTPRequest) async throws -> Principal?
}
