/// Where login finds users and their password hashes.
///
/// Contract: ``user(named:)`` returns `nil` for an unknown name (never throws for it) and
/// throws only when the store cannot be consulted. Usernames are compared exactly as given;
/// normalise them (case, Unicode) before storing and before calling if your users expect it.
public protocol UserStore: Sendable {
    /// The user with login name `username`, or `nil`.
    /// - Throws: when the store cannot be consulted; login then fails as unavailable.
    func user(named username: String) async throws -> UserRecord?
}

/// A user as login sees it.
public struct UserRecord: Sendable, Hashable, Codable {
    /// The stable id put in tokens as `sub` (not the login name, which may change).
    public var subject: String
    /// The login name.
    public var username: String
    /// The password hash in the PHC format of ``PasswordHasher`` (`$pbkdf2-sha256$i=…$…$…`).
    public var passwordHash: String
    /// The scopes granted to this user's tokens.
    public var scopes: [String]

    /// Creates a record.
    public init(subject: String, username: String, passwordHash: String, scopes: [String] = []) {
        self.subject = subject
        self.username = username
        self.passwordHash = passwordHash
        self.scopes = scopes
    }
}

/// An in-process ``UserStore`` for examples and tests.
///
/// ```swift
/// let users = InMemoryUserStore(hasher: PasswordHasher())
/// try await users.add(username: "alice", password: "correct horse", scopes: ["items:read"])
/// ```
public actor InMemoryUserStore: UserStore {
    private var users: [String: UserRecord] = [:]
    private let hasher: PasswordHasher

    /// Creates an empty store that hashes passwords given to ``add(username:password:subject:scopes:)``
    /// with `hasher`.
    public init(hasher: PasswordHasher = PasswordHasher()) {
        self.hasher = hasher
    }

    /// Adds or replaces a user, hashing `password`.
    /// - Parameters:
    ///   - username: the login name.
    ///   - password: the password; only its hash is kept.
    ///   - subject: the stable id for tokens; defaults to `username`.
    ///   - scopes: the scopes granted.
    /// - Throws: ``CryptoError`` when hashing fails (password too long, no randomness).
    public func add(username: String, password: String, subject: String? = nil, scopes: [String] = []) throws(CryptoError) {
        let hash = try hasher.hash(password)
        users[username] = UserRecord(subject: subject ?? username, username: username, passwordHash: hash, scopes: scopes)
    }

    /// Adds or replaces a user whose hash is already computed.
    public func add(_ record: UserRecord) {
        users[record.username] = record
    }

    public func user(named username: String) async throws -> UserRecord? {
        users[username]
    }
}
