import Foundation

/// Writes to the process's standard error, for the default error logger.
enum StandardError {
    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
