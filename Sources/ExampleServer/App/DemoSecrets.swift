import Foundation
import TokenCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The secrets the demo generates for itself when the configuration provides none: the JWT HMAC
/// key, the dynamic-token key and the demo user's password.
///
/// Without a data directory they are fresh on every start (so nothing a previous run printed
/// still works). With `--data-dir DIR` they are written once to `DIR/secrets.json` with file mode
/// 0600 (directory 0700), by temporary file + `fsync` + `rename`, and reused on the next start and
/// by the subcommands, so a token minted on the command line is accepted by the running server.
struct DemoSecrets: Codable, Equatable {
    /// HS256 key for access tokens, base64url (32 random bytes).
    var jwtKey: String
    /// Signed dynamic-token key, base64url (32 random bytes).
    var dynamicTokenKey: String
    /// The demo user's password (printed at start-up).
    var demoPassword: String

    static let fileName = "secrets.json"

    /// Fresh secrets from `random`.
    static func generate(random: some RandomSource) throws -> DemoSecrets {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
        // Rejection sampling keeps every password character uniform.
        var password = ""
        while password.count < 16 {
            for byte in try random.bytes(count: 32) where Int(byte) < 256 - 256 % alphabet.count && password.count < 16 {
                password.append(alphabet[Int(byte) % alphabet.count])
            }
        }
        return DemoSecrets(
            jwtKey: Base64URL.encode(try random.bytes(count: 32)),
            dynamicTokenKey: Base64URL.encode(try random.bytes(count: 32)),
            demoPassword: password
        )
    }

    /// Loads `directory/secrets.json`, creating it (and the directory) on first use; without a
    /// directory, returns fresh secrets.
    /// - Throws: ``CommandLineError`` when the file cannot be created or read, is malformed, or
    ///   is readable by other users.
    static func loadOrCreate(in directory: URL?, random: some RandomSource = SystemRandomSource()) throws(CommandLineError) -> DemoSecrets {
        do {
            guard let directory else { return try generate(random: random) }
            let url = directory.appendingPathComponent(fileName)
            if FileManager.default.fileExists(atPath: url.path) {
                let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
                if let mode = attributes[.posixPermissions] as? NSNumber, mode.intValue & 0o077 != 0 {
                    throw CommandLineError("\(url.path) is readable by other users (mode \(String(mode.intValue, radix: 8))); run chmod 600 on it")
                }
                let data = try Data(contentsOf: url)
                guard data.count < 64 * 1024 else { throw CommandLineError("\(url.path) is too large") }
                do { return try JSONDecoder().decode(DemoSecrets.self, from: data) } catch {
                    throw CommandLineError("\(url.path) is not a valid secrets file")
                }
            }
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let secrets = try generate(random: random)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try writePrivately(try encoder.encode(secrets), to: url)
            return secrets
        } catch let error as CommandLineError {
            throw error
        } catch {
            throw CommandLineError("cannot prepare secrets in \(directory?.path ?? "memory"): \(error.localizedDescription)")
        }
    }

    /// Writes `data` to `url` with mode 0600: a temporary file created 0600, `fsync`, `rename`.
    static func writePrivately(_ data: Data, to url: URL) throws(CommandLineError) {
        let temporary = url.path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CommandLineError("cannot create \(temporary): \(SocketSystem.errorText(errno))") }
        _ = fchmod(fd, 0o600)
        data.withUnsafeBytes { SocketSystem.writeAll(fd, $0) }
        let synced = fsync(fd) == 0
        SocketSystem.close(fd)
        guard synced, rename(temporary, url.path) == 0 else {
            unlink(temporary)
            throw CommandLineError("cannot write \(url.path): \(SocketSystem.errorText(errno))")
        }
    }
}
