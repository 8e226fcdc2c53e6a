import Foundation

/// The state and rules shared by the in-memory and journal-backed refresh-token stores.
///
/// Pure value logic: every operation first *plans* a ``Change`` without mutating, so the
/// journal-backed store can persist the change before applying it, and both stores apply it
/// with ``apply(_:)``. The owning actor makes plan-persist-apply one atomic step.
struct RefreshFamilyTable: Sendable {
    /// A change to the table; also the journal record.
    enum Change: Sendable, Codable, Hashable {
        case upsert(RefreshTokenFamily)
        case remove(String)
    }

    private(set) var families: [String: RefreshTokenFamily] = [:]
    /// Token hash (current or used) → family id.
    private var index: [String: String] = [:]

    var count: Int { families.count }

    // MARK: - Planning

    func planInsert(_ family: RefreshTokenFamily, capacity: Int, at now: Date) throws(SessionError) -> [Change] {
        guard families[family.id] == nil, index[family.currentTokenHash] == nil else {
            throw SessionError(.invalidConfiguration, "a family with this id or token already exists")
        }
        var changes: [Change] = []
        if families.count >= capacity {
            changes = expiredFamilies(at: now).map { .remove($0) }
            guard families.count - changes.count < capacity else {
                throw SessionError(.unavailable, "the refresh-token store is full")
            }
        }
        changes.append(.upsert(family))
        return changes
    }

    func planRotate(
        presentedHash: String, newHash: String, accessToken: IssuedAccessToken, at now: Date
    ) -> (RefreshRotation, [Change]) {
        guard let id = index[presentedHash], var family = families[id] else { return (.unknown, []) }
        if family.isRevoked { return (.revoked(family), []) }
        if family.isExpired(at: now) { return (.expired(family), [.remove(family.id)]) }
        guard ConstantTime.isEqual(Array(family.currentTokenHash.utf8), Array(presentedHash.utf8)) else {
            // A used token: someone holds a copy (RFC 9700 §4.14.2). End the whole family.
            family.revokedAt = now
            return (.reused(family), [.upsert(family)])
        }
        guard index[newHash] == nil else { return (.unknown, []) } // 256-bit collision: never in practice
        family.usedTokenHashes.append(presentedHash)
        if family.usedTokenHashes.count > RefreshTokenFamily.maximumUsedTokenHashes {
            family.usedTokenHashes.removeFirst(family.usedTokenHashes.count - RefreshTokenFamily.maximumUsedTokenHashes)
        }
        family.currentTokenHash = newHash
        family.lastUsedAt = now
        family.generation += 1
        family.accessTokens.removeAll { $0.expiresAt <= now }
        family.accessTokens.append(accessToken)
        if family.accessTokens.count > RefreshTokenFamily.maximumAccessTokens {
            family.accessTokens.removeFirst(family.accessTokens.count - RefreshTokenFamily.maximumAccessTokens)
        }
        return (.rotated(family), [.upsert(family)])
    }

    func planRevoke(id: String, at now: Date) -> (RefreshTokenFamily?, [Change]) {
        guard var family = families[id], !family.isExpired(at: now) else { return (nil, []) }
        if family.isRevoked { return (family, []) }
        family.revokedAt = now
        return (family, [.upsert(family)])
    }

    func planRevoke(subject: String, at now: Date) -> ([RefreshTokenFamily], [Change]) {
        let revoked = families.values
            .filter { $0.subject == subject && !$0.isRevoked && !$0.isExpired(at: now) }
            .sorted { $0.createdAt < $1.createdAt }
            .map { family -> RefreshTokenFamily in
                var family = family
                family.revokedAt = now
                return family
            }
        return (revoked, revoked.map { .upsert($0) })
    }

    func family(id: String) -> RefreshTokenFamily? {
        families[id]
    }

    func family(containing tokenHash: String) -> RefreshTokenFamily? {
        index[tokenHash].flatMap { families[$0] }
    }

    func expiredFamilies(at now: Date) -> [String] {
        families.values.filter { $0.isExpired(at: now) }.map(\.id)
    }

    // MARK: - Applying

    mutating func apply(_ changes: [Change]) {
        for change in changes { apply(change) }
    }

    mutating func apply(_ change: Change) {
        switch change {
        case .upsert(let family):
            if let old = families[family.id] {
                for hash in old.allTokenHashes { index[hash] = nil }
            }
            families[family.id] = family
            for hash in family.allTokenHashes { index[hash] = family.id }
        case .remove(let id):
            guard let old = families.removeValue(forKey: id) else { return }
            for hash in old.allTokenHashes { index[hash] = nil }
        }
    }

    /// One upsert per family: the compacted journal.
    var snapshot: [Change] {
        families.values.sorted { $0.createdAt < $1.createdAt }.map { .upsert($0) }
    }
}
