import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An append-only file of records for a single process: the durability under the
/// journal-backed stores.
///
/// Format: one record per line, `<checksum> <json>\n`, where the checksum is the first 16 hex
/// digits of the SHA-256 of the JSON text. JSON never contains a raw newline, so a line is a
/// record.
///
/// - ``append(_:)`` writes the records and calls `fsync(2)` before returning: a store
///   acknowledges an operation only after this returns.
/// - ``open(at:maximumRecordBytes:)`` replays the file. A torn last record (a crash mid-write:
///   no final newline, a bad checksum or unreadable JSON on the last line) is ignored; a bad
///   record *followed by good ones* is corruption and refuses to start, since silently skipping
///   it could un-revoke a token.
/// - ``compact(to:)`` replaces the file with a snapshot (one record per live item): written to a
///   temporary file, `fsync`ed, renamed over the journal, and the directory `fsync`ed, so a crash
///   leaves either the old journal or the new one. Stores compact on start-up.
///
/// Not thread-safe: one actor owns each journal, and its writes block that actor briefly.
final class Journal<Record: Codable> {
    let url: URL
    let maximumRecordBytes: Int
    private var descriptor: Int32

    private init(url: URL, descriptor: Int32, maximumRecordBytes: Int) {
        self.url = url
        self.descriptor = descriptor
        self.maximumRecordBytes = maximumRecordBytes
    }

    deinit { close(descriptor) }

    /// Opens (creating if needed) the journal at `url` and replays it.
    /// - Returns: the journal, positioned to append, and the records in order.
    /// - Throws: ``SessionError/Code/unavailable`` when the file cannot be read or opened, or a
    ///   record before the last one is corrupt.
    static func open(at url: URL, maximumRecordBytes: Int = 1 << 20) throws(SessionError) -> (Journal, [Record]) {
        let records = try replay(url, maximumRecordBytes: maximumRecordBytes)
        let descriptor = try openForAppend(url)
        return (Journal(url: url, descriptor: descriptor, maximumRecordBytes: maximumRecordBytes), records)
    }

    /// Appends `records` and flushes them to stable storage.
    /// - Throws: ``SessionError/Code/unavailable`` when a record is too large, or the write or
    ///   `fsync` fails. The caller must then not apply the change.
    func append(_ records: [Record]) throws(SessionError) {
        guard !records.isEmpty else { return }
        var bytes: [UInt8] = []
        for record in records { bytes += try Self.line(for: record, maximumRecordBytes: maximumRecordBytes) }
        try Self.writeAll(bytes, to: descriptor)
        guard fsync(descriptor) == 0 else {
            throw SessionError(.unavailable, "the journal could not be flushed (errno \(errno))")
        }
    }

    /// Replaces the journal's contents with `records` atomically.
    /// - Throws: ``SessionError/Code/unavailable`` on any I/O failure (the old journal stays).
    func compact(to records: [Record]) throws(SessionError) {
        var bytes: [UInt8] = []
        for record in records { bytes += try Self.line(for: record, maximumRecordBytes: maximumRecordBytes) }
        let temporary = url.path + ".compacting"
        let fd = openFile(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SessionError(.unavailable, "cannot create \(temporary) (errno \(errno))") }
        do throws(SessionError) {
            try Self.writeAll(bytes, to: fd)
            guard fsync(fd) == 0 else { throw SessionError(.unavailable, "cannot flush the compacted journal (errno \(errno))") }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)
        guard rename(temporary, url.path) == 0 else {
            unlink(temporary)
            throw SessionError(.unavailable, "cannot replace the journal (errno \(errno))")
        }
        Self.syncDirectory(of: url)
        let reopened = try Self.openForAppend(url)
        close(descriptor)
        descriptor = reopened
    }

    // MARK: - Encoding

    static func line(for record: Record, maximumRecordBytes: Int) throws(SessionError) -> [UInt8] {
        let json: Data
        do {
            json = try JSONEncoder().encode(record)
        } catch {
            throw SessionError(.unavailable, "a journal record could not be encoded")
        }
        guard json.count <= maximumRecordBytes else {
            throw SessionError(.unavailable, "a journal record exceeds \(maximumRecordBytes) bytes")
        }
        return Array(checksum(json).utf8) + [UInt8(ascii: " ")] + Array(json) + [UInt8(ascii: "\n")]
    }

    static func checksum(_ json: some ContiguousBytes) -> String {
        String(Hex.encode(SHA256.hash(json)).prefix(16))
    }

    /// Decodes one line (without its newline), or `nil` when it is damaged.
    static func decode(_ line: ArraySlice<UInt8>) -> Record? {
        guard line.count > 17, line[line.startIndex + 16] == UInt8(ascii: " ") else { return nil }
        let sum = String(decoding: line.prefix(16), as: UTF8.self)
        let json = Array(line.dropFirst(17))
        guard ConstantTime.isEqual(Array(checksum(json).utf8), Array(sum.utf8)) else { return nil }
        return try? JSONDecoder().decode(Record.self, from: Data(json))
    }

    static func replay(_ url: URL, maximumRecordBytes: Int) throws(SessionError) -> [Record] {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            if !FileManager.default.fileExists(atPath: url.path) { return [] }
            throw SessionError(.unavailable, "the journal \(url.lastPathComponent) cannot be read")
        }
        let bytes = [UInt8](data)
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        // The text after the last newline is a record whose write did not finish: torn.
        lines.removeLast()
        var records: [Record] = []
        for (number, line) in lines.enumerated() {
            if let record = line.count <= maximumRecordBytes + 17 ? decode(line) : nil {
                records.append(record)
            } else if number == lines.count - 1 {
                break // a damaged last record: torn by a crash, ignored
            } else {
                throw SessionError(
                    .unavailable, "the journal \(url.lastPathComponent) is corrupt at record \(number + 1)"
                )
            }
        }
        return records
    }

    // MARK: - POSIX

    private static func openForAppend(_ url: URL) throws(SessionError) -> Int32 {
        let fd = openFile(url.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw SessionError(.unavailable, "cannot open the journal \(url.lastPathComponent) (errno \(errno))")
        }
        return fd
    }

    private static func writeAll(_ bytes: [UInt8], to fd: Int32) throws(SessionError) {
        let failure: SessionError? = bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return nil }
            var offset = 0
            while offset < raw.count {
                let written = write(fd, base + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return SessionError(.unavailable, "the journal write failed (errno \(errno))")
                }
                offset += written
            }
            return nil
        }
        if let failure { throw failure }
    }

    /// Makes a rename durable: `fsync` on the containing directory (best effort).
    private static func syncDirectory(of url: URL) {
        let fd = openFile(url.deletingLastPathComponent().path, O_RDONLY | O_CLOEXEC, 0)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }
}

/// `open(2)`, under a name that does not clash with ``Journal/open(at:maximumRecordBytes:)``.
private func openFile(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
    #if canImport(Darwin)
    Darwin.open(path, flags, mode)
    #elseif canImport(Musl)
    Musl.open(path, flags, mode)
    #else
    Glibc.open(path, flags, mode)
    #endif
}
