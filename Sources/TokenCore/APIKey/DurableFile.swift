import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Identifies one version of a file cheaply: device, inode, size, modification and change
/// times. An atomic rename always installs a new inode, so a write by any process changes the
/// signature; the times and size guard against inode-number reuse.
struct FileSignature: Sendable, Hashable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modified: (seconds: Int64, nanoseconds: Int64)
    var changed: (seconds: Int64, nanoseconds: Int64)

    init(_ s: stat) {
        device = UInt64(truncatingIfNeeded: s.st_dev)
        inode = UInt64(truncatingIfNeeded: s.st_ino)
        size = Int64(s.st_size)
        #if canImport(Darwin)
        modified = (Int64(s.st_mtimespec.tv_sec), Int64(s.st_mtimespec.tv_nsec))
        changed = (Int64(s.st_ctimespec.tv_sec), Int64(s.st_ctimespec.tv_nsec))
        #else
        modified = (Int64(s.st_mtim.tv_sec), Int64(s.st_mtim.tv_nsec))
        changed = (Int64(s.st_ctim.tv_sec), Int64(s.st_ctim.tv_nsec))
        #endif
    }

    static func == (a: FileSignature, b: FileSignature) -> Bool {
        a.device == b.device && a.inode == b.inode && a.size == b.size
            && a.modified == b.modified && a.changed == b.changed
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(device)
        hasher.combine(inode)
        hasher.combine(size)
    }
}

/// Crash-safe replacement of a small file, POSIX style, plus the inter-process lock writers
/// take. Errors are reported as ``APIKeyError`` (`store_unavailable`), its only user's domain.
///
/// A replacement writes a temporary file in the same directory, `fsync`s it, renames it over
/// the target (atomic on POSIX file systems) and `fsync`s the directory so the rename itself
/// survives a power loss. At every instant the target is either the complete old or the
/// complete new content; a crash leaves at most a stray temporary file, which the next writer
/// removes while holding the lock.
enum DurableFile {
    /// A point at which tests make a write "crash" (leave its temporary file and stop).
    enum Fault: Sendable {
        /// Half the bytes written to the temporary file, then nothing more.
        case partialTemporaryFile
        /// The temporary file complete and synced, but never renamed.
        case beforeRename
    }

    static func temporaryPrefix(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return "." + url.lastPathComponent + ".tmp-"
    }

    /// The signature of `path`, or `nil` when it does not exist.
    /// - Throws: `store_unavailable` for any error other than "no such file".
    static func signature(of path: String) throws(APIKeyError) -> FileSignature? {
        var s = stat()
        guard stat(path, &s) == 0 else {
            if errno == ENOENT { return nil }
            throw failure("cannot stat the key file", errno)
        }
        return FileSignature(s)
    }

    /// Reads `path` whole, with the signature of exactly the version read (taken from the open
    /// descriptor, so a concurrent replacement cannot mismatch the two).
    /// - Returns: `nil` when the file does not exist.
    /// - Throws: `store_unavailable` on I/O errors, `store_corrupt` when larger than `maximumBytes`.
    static func read(_ path: String, maximumBytes: Int) throws(APIKeyError) -> (bytes: [UInt8], signature: FileSignature)? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw failure("cannot open the key file", errno)
        }
        defer { close(fd) }
        var s = stat()
        guard fstat(fd, &s) == 0 else { throw failure("cannot stat the key file", errno) }
        guard s.st_size <= maximumBytes else {
            throw APIKeyError(.storeCorrupt, "the key file is larger than \(maximumBytes) bytes")
        }
        var bytes = [UInt8](repeating: 0, count: Int(s.st_size))
        var filled = 0
        while true {
            if filled == bytes.count {
                // The file may have grown since fstat; read until end of file within the bound.
                guard bytes.count < maximumBytes else { break }
                bytes.append(contentsOf: repeatElement(0, count: min(4096, maximumBytes - bytes.count)))
            }
            let n = bytes.withUnsafeMutableBytes { raw in
                // safe: filled < raw.count here, so the base address exists
                posixRead(fd, raw.baseAddress! + filled, raw.count - filled)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("cannot read the key file", errno)
            }
            if n == 0 { break }
            filled += n
        }
        bytes.removeSubrange(filled...)
        return (bytes, FileSignature(s))
    }

    /// Replaces `path` with `bytes` durably (see the type's description) and returns the new
    /// file's signature. The caller holds the lock from ``withExclusiveLock(_:_:)``.
    static func replace(_ path: String, with bytes: [UInt8], mode: mode_t = 0o600, fault: Fault? = nil) throws(APIKeyError) -> FileSignature {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        try createDirectory(directory)
        let temporary = directory + "/" + temporaryPrefix(for: path) + "\(getpid())-\(UInt32.random(in: 0 ... .max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw failure("cannot create a temporary file beside the key file", errno) }
        var closed = false
        defer { if !closed { close(fd) } }
        let count = fault == .partialTemporaryFile ? bytes.count / 2 : bytes.count
        try writeAll(fd, bytes, count: count)
        if fault == .partialTemporaryFile {
            throw APIKeyError(.storeUnavailable, "simulated crash while writing the temporary file")
        }
        guard fsync(fd) == 0 else {
            let code = errno
            unlink(temporary)
            throw failure("cannot sync the temporary key file", code)
        }
        closed = true
        guard close(fd) == 0 else {
            let code = errno
            unlink(temporary)
            throw failure("cannot close the temporary key file", code)
        }
        if fault == .beforeRename {
            throw APIKeyError(.storeUnavailable, "simulated crash before renaming the temporary file")
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw failure("cannot rename the temporary file over the key file", code)
        }
        // Make the rename durable: without this a power loss can bring back the old file.
        let dirfd = open(directory, O_RDONLY | O_CLOEXEC)
        if dirfd >= 0 {
            _ = fsync(dirfd)
            close(dirfd)
        }
        guard let signature = try signature(of: path) else {
            throw APIKeyError(.storeUnavailable, "the key file vanished right after it was written")
        }
        return signature
    }

    /// Removes temporary files left by crashed writers. Only call while holding the lock: every
    /// writer takes it, so no temporary file can be in use.
    static func removeStaleTemporaries(of path: String) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        let prefix = temporaryPrefix(for: path)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return }
        for name in names where name.hasPrefix(prefix) {
            unlink(directory.appendingPathComponent(name).path)
        }
    }

    /// Runs `body` holding an exclusive `flock(2)` on `lockPath` (created if needed), which
    /// serialises writers across processes: the server and the `apikey` command line.
    static func withExclusiveLock<R>(_ lockPath: String, _ body: () throws(APIKeyError) -> R) throws(APIKeyError) -> R {
        try createDirectory(URL(fileURLWithPath: lockPath).deletingLastPathComponent().path)
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure("cannot open the key file's lock file", errno) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw failure("cannot lock the key file", errno) }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    private static func createDirectory(_ path: String) throws(APIKeyError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue { return }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw APIKeyError(.storeUnavailable, "cannot create the key file's directory")
        }
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], count: Int) throws(APIKeyError) {
        var written = 0
        while written < count {
            let n = bytes.withUnsafeBytes { raw in
                // safe: written < count <= raw.count, so the base address exists
                posixWrite(fd, raw.baseAddress! + written, count - written)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("cannot write the temporary key file", errno)
            }
            written += n
        }
    }

    private static func failure(_ what: String, _ code: Int32) -> APIKeyError {
        APIKeyError(.storeUnavailable, "\(what): \(String(cString: strerror(code)))")
    }
}

// `read` and `write` are shadowed by the methods above inside the enum; these name the C calls.
@inline(__always)
private func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}

@inline(__always)
private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
