import Foundation
import TokenCore

/// `ExampleServer hash-password`: reads a password from standard input (one line; never from the
/// command line, where other users could see it in the process list) and prints its PBKDF2 hash
/// in PHC format for the config file's `users[].passwordHash`.
enum HashPasswordCommand {
    static func run(input: () -> String?, hasher: PasswordHasher = PasswordHasher(), output: ExampleServerCommand.Output) -> Int32 {
        guard let line = input(), !line.isEmpty else {
            output.err("error: type the password on standard input, e.g. printf '%s\\n' 'secret' | ExampleServer hash-password")
            return 2
        }
        do {
            output.out(try hasher.hash(line))
            return 0
        } catch {
            output.err("error: \(error.reason)")
            return 1
        }
    }
}
