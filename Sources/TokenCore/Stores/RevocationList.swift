public import Foundation

/// Revoked token ids (`jti`, RFC 7519 §4.1.7), consulted after a token's signature and claims
/// have been verified.
///
/// An asynchronous store protocol because real lists live in a database or cache. Contract:
/// - ``isRevoked(_:)`` returns whether `jti` was revoked; it throws when the store cannot be
///   consulted, and callers then refuse the token (fail closed, ``JWTError/Code/unavailable``);
/// - an entry need only be kept until `expiresAt` (the token's `exp`): after that the token is
///   refused as expired anyway.
public protocol RevocationList: Sendable {
    /// Whether the token id `jti` has been revoked.
    /// - Throws: When the list cannot be consulted.
    func isRevoked(_ jti: String) async throws -> Bool

    /// Revokes the token id `jti` until `expiresAt`, the token's expiry.
    /// - Throws: When the entry cannot be stored.
    func revoke(_ jti: String, until expiresAt: Date) async throws
}
