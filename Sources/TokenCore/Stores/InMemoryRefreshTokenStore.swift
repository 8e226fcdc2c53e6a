public import Foundation

/// A bounded, in-process ``RefreshTokenStore``.
///
/// State lives in an actor, which makes rotation atomic: the check of the presented token and
/// its replacement happen in one actor turn with no suspension between them. Families are
/// dropped once they expire (absolute lifetime or idle timeout). When full of live families,
/// ``insert(_:)`` throws rather than log someone out to make room. Lost on restart; see
/// ``JournalRefreshTokenStore`` for the durable variant.
public actor InMemoryRefreshTokenStore: RefreshTokenStore {
    /// The most families held at once.
    public let capacity: Int
    private var table = RefreshFamilyTable()

    /// Creates an empty store.
    /// - Parameter capacity: maximum number of families (default 100 000).
    public init(capacity: Int = 100_000) {
        self.capacity = max(1, capacity)
    }

    public func insert(_ family: RefreshTokenFamily) async throws {
        table.apply(try table.planInsert(family, capacity: capacity, at: family.createdAt))
    }

    public func rotate(
        presentedHash: String, to newHash: String, issuing accessToken: IssuedAccessToken, at now: Date
    ) async throws -> RefreshRotation {
        let (outcome, changes) = table.planRotate(
            presentedHash: presentedHash, newHash: newHash, accessToken: accessToken, at: now
        )
        table.apply(changes)
        return outcome
    }

    public func family(id: String) async throws -> RefreshTokenFamily? {
        table.family(id: id)
    }

    public func family(containing tokenHash: String) async throws -> RefreshTokenFamily? {
        table.family(containing: tokenHash)
    }

    public func revokeFamily(id: String, at now: Date) async throws -> RefreshTokenFamily? {
        let (family, changes) = table.planRevoke(id: id, at: now)
        table.apply(changes)
        return family
    }

    public func revokeFamilies(subject: String, at now: Date) async throws -> [RefreshTokenFamily] {
        let (families, changes) = table.planRevoke(subject: subject, at: now)
        table.apply(changes)
        return families
    }

    /// The number of families held, expired or not.
    public var count: Int { table.count }

    /// Drops every expired family.
    public func purgeExpired(at now: Date) {
        table.apply(table.expiredFamilies(at: now).map { .remove($0) })
    }
}
