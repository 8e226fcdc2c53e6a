public import Foundation

/// An ``APIKeyStore`` kept in a JSON file: durable, shared safely between processes, and
/// reloaded when another process changes it.
///
/// - **Durable.** Every change rewrites the file through a temporary file, `fsync`, an atomic
///   `rename(2)` and an `fsync` of the directory. A crash at any point leaves either the old or
///   the new file complete, never a mix; the in-memory state changes only after the new file is
///   durable, so a failed write changes nothing.
/// - **Serialised writers.** Inside a process the actor serialises changes; across processes
///   (a running server and the `apikey` command line) each change holds an exclusive `flock(2)`
///   on `<file>.lock` and first re-reads the file if another process changed it, so no update
///   is lost.
/// - **Fresh.** Lookups check the file's signature (device, inode, size, times: one `stat(2)`)
///   at most once per `freshnessInterval` (default 1 s) of the injected clock and reload when it
///   changed, so a key created or revoked elsewhere is seen within about a second.
///   ``reload()`` and ``reloadIfChanged()`` do it on request.
/// - **Readable.** The file is pretty-printed JSON with sorted keys, mode 0600. It holds hashes
///   only; listing it shows no key.
///
/// A file that fails to parse on reload (a bad hand edit) is not used: the store keeps serving
/// the last good state, reports it in ``lastReloadError``, and refuses to write over it.
///
/// ```swift
/// let store = try JSONFileAPIKeyStore(fileURL: dataDir.appendingPathComponent("api-keys.json"))
/// let verifier = APIKeyVerifier(store: store)
/// ```
public actor JSONFileAPIKeyStore: APIKeyStore {
    /// The key file.
    public nonisolated let fileURL: URL
    private let path: String
    private let lockPath: String
    private let clock: any WallClock
    private let freshnessInterval: TimeInterval
    private let usagePersistInterval: TimeInterval?

    private var index: APIKeyIndex
    /// The signature of the file version `index` reflects; `nil` when the file did not exist.
    private var signature: FileSignature?
    private var lastFreshnessCheck: Date
    /// Last-used times noted since the last write, persisted with the next write.
    private var pendingUse: [String: Date] = [:]
    private var lastUsagePersist: Date

    /// The error of the most recent failed reload, cleared by a successful one.
    public private(set) var lastReloadError: APIKeyError?

    /// A simulated crash for the durability tests.
    var fault: DurableFile.Fault?

    /// The largest key file read (about 30,000 keys).
    public static let maximumFileBytes = 16 << 20
    /// The file format's version.
    static let formatVersion = 1
    static let formatName = "swift-token-auth.api-keys"

    /// Opens (or prepares to create) the key file at `fileURL`.
    ///
    /// A missing file is an empty store; the file and its directory (mode 0700) are created by
    /// the first change.
    ///
    /// - Parameters:
    ///   - fileURL: The JSON key file.
    ///   - clock: Times the freshness checks and last-used persistence.
    ///   - freshnessInterval: How often, at most, a lookup checks whether the file changed.
    ///     `0` checks on every lookup (one `stat`, about a microsecond).
    ///   - usagePersistInterval: How often, at most, last-used times are written to the file
    ///     on their own; `nil` writes them only with other changes or ``persistUsage()``.
    /// - Throws: ``APIKeyError/Code/storeCorrupt`` when the file exists and is not a valid key
    ///   file; ``APIKeyError/Code/storeUnavailable`` when it cannot be read.
    public init(
        fileURL: URL,
        clock: any WallClock = SystemClock(),
        freshnessInterval: TimeInterval = 1,
        usagePersistInterval: TimeInterval? = 300
    ) throws(APIKeyError) {
        self.fileURL = fileURL
        self.path = fileURL.path
        self.lockPath = fileURL.path + ".lock"
        self.clock = clock
        self.freshnessInterval = max(0, freshnessInterval)
        self.usagePersistInterval = usagePersistInterval
        let (index, signature) = try Self.load(fileURL.path)
        self.index = index
        self.signature = signature
        self.lastFreshnessCheck = clock.now()
        self.lastUsagePersist = clock.now()
    }

    // MARK: - APIKeyStore

    public func insert(_ record: APIKeyRecord) throws(APIKeyError) {
        try mutate { index throws(APIKeyError) in try index.insert(record) }
    }

    public func record(matching digest: APIKeyDigest) -> APIKeyRecord? {
        refreshIfDue()
        return index.record(matching: digest)
    }

    public func record(id: String) -> APIKeyRecord? {
        refreshIfDue()
        return index.record(id: id)
    }

    public func allRecords() -> [APIKeyRecord] {
        refreshIfDue()
        return index.sortedRecords
    }

    public func update(id: String, _ change: @Sendable (inout APIKeyRecord) -> Void) throws(APIKeyError) -> APIKeyRecord {
        try mutate { index throws(APIKeyError) in
            let (updated, record) = try index.updating(id: id, change)
            index = updated
            return record
        }
    }

    public func recordUse(id: String, at date: Date) {
        guard index.noteUse(id: id, at: date) else { return }
        if let previous = pendingUse[id], previous >= date { return }
        pendingUse[id] = date
        if let interval = usagePersistInterval, clock.now().timeIntervalSince(lastUsagePersist) >= interval {
            // Best effort: a failure keeps the times pending for the next write.
            try? persistUsage()
        }
    }

    // MARK: - Reloading and persistence

    /// Re-reads the file now, whether or not it changed.
    /// - Throws: ``APIKeyError/Code/storeCorrupt`` or ``APIKeyError/Code/storeUnavailable``;
    ///   the previous state is kept.
    public func reload() throws(APIKeyError) {
        do {
            let (fresh, freshSignature) = try Self.load(path)
            adopt(fresh, signature: freshSignature)
            lastReloadError = nil
        } catch {
            lastReloadError = error
            throw error
        }
    }

    /// Re-reads the file if its signature changed since it was last read or written.
    /// - Returns: Whether it reloaded.
    /// - Throws: As ``reload()``.
    @discardableResult
    public func reloadIfChanged() throws(APIKeyError) -> Bool {
        lastFreshnessCheck = clock.now()
        let current: FileSignature?
        do { current = try DurableFile.signature(of: path) } catch {
            lastReloadError = error
            throw error
        }
        guard current != signature else { return false }
        try reload()
        return true
    }

    /// Writes pending last-used times to the file now (a server may call this at shutdown).
    public func persistUsage() throws(APIKeyError) {
        guard !pendingUse.isEmpty else { return }
        try mutate { _ throws(APIKeyError) in }
    }

    /// Checks the file's signature if the freshness interval has passed (or the clock moved
    /// back); keeps the last good state on failure.
    private func refreshIfDue() {
        let now = clock.now()
        let elapsed = now.timeIntervalSince(lastFreshnessCheck)
        guard elapsed >= freshnessInterval || elapsed < 0 else { return }
        _ = try? reloadIfChanged()
    }

    /// Installs a freshly read state, keeping last-used times noted here and not yet written.
    private func adopt(_ fresh: APIKeyIndex, signature freshSignature: FileSignature?) {
        var fresh = fresh
        for (id, date) in pendingUse where fresh.record(id: id) != nil {
            _ = fresh.noteUse(id: id, at: date)
        }
        pendingUse = pendingUse.filter { fresh.record(id: $0.key) != nil }
        index = fresh
        signature = freshSignature
    }

    /// Applies `change` to the current file content under the inter-process lock, writes the
    /// result durably, and only then adopts it in memory.
    private func mutate<R>(_ change: (inout APIKeyIndex) throws(APIKeyError) -> R) throws(APIKeyError) -> R {
        try DurableFile.withExclusiveLock(lockPath) { () throws(APIKeyError) -> R in
            // Another process may have written since we last looked: start from its version.
            if try DurableFile.signature(of: path) != signature {
                let (fresh, freshSignature) = try Self.load(path)
                adopt(fresh, signature: freshSignature)
            }
            DurableFile.removeStaleTemporaries(of: path)
            var next = index
            let result = try change(&next)
            for (id, date) in pendingUse { _ = next.noteUse(id: id, at: date) }
            let bytes = try Self.encode(next)
            let written = try DurableFile.replace(path, with: bytes, fault: fault)
            index = next
            signature = written
            pendingUse = [:]
            lastUsagePersist = clock.now()
            lastFreshnessCheck = clock.now()
            return result
        }
    }

    // MARK: - File format

    struct FileContent: Codable {
        var format: String
        var version: Int
        var keys: [APIKeyRecord]
    }

    static func load(_ path: String) throws(APIKeyError) -> (APIKeyIndex, FileSignature?) {
        guard let (bytes, signature) = try DurableFile.read(path, maximumBytes: maximumFileBytes) else {
            return (APIKeyIndex(), nil)
        }
        let content: FileContent
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            content = try decoder.decode(FileContent.self, from: Data(bytes))
        } catch let error as APIKeyError {
            throw error
        } catch {
            throw APIKeyError(.storeCorrupt, "the key file is not valid key-file JSON")
        }
        guard content.format == formatName, content.version == formatVersion else {
            throw APIKeyError(.storeCorrupt, "the key file has format \(content.format) version \(content.version); expected \(formatName) version \(formatVersion)")
        }
        for record in content.keys { try record.validate(as: .storeCorrupt) }
        return (try APIKeyIndex(records: content.keys, duplicateCode: .storeCorrupt), signature)
    }

    static func encode(_ index: APIKeyIndex) throws(APIKeyError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            var data = try encoder.encode(FileContent(format: formatName, version: formatVersion, keys: index.sortedRecords))
            data.append(UInt8(ascii: "\n"))
            return [UInt8](data)
        } catch {
            throw APIKeyError(.storeUnavailable, "cannot encode the key file")
        }
    }
}
