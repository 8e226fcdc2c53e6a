/// Why the HTTP server could not start or keep running.
public struct HTTPServerError: Error, Sendable, CustomStringConvertible {
    /// A stable, extensible failure code.
    public struct Code: RawRepresentable, Hashable, Sendable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The host or port cannot be used.
        public static let invalidAddress = Code(rawValue: "invalid_address")
        /// A socket call failed (bind, listen, address in use).
        public static let socket = Code(rawValue: "socket")
        /// The event-notification facility (epoll, poll) could not be set up.
        public static let poller = Code(rawValue: "poller")
        /// The configuration is inconsistent.
        public static let configuration = Code(rawValue: "configuration")
    }

    public var code: Code
    /// A human-readable reason.
    public var reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "HTTPServerError(\(code.rawValue)): \(reason)" }
}
