/// A usage or configuration error from the command line; printed with the usage hint.
struct CommandLineError: Error, Equatable, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
