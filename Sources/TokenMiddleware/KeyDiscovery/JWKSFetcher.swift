public import Foundation

/// Downloads a JWKS document: the network side of ``RemoteJWKSResolver``, replaceable for
/// transports other than `URLSession`.
///
/// Contract: honour `timeout` for the whole exchange, stop reading (and fail) as soon as the body
/// exceeds `maximumSize` bytes, do not follow redirects, and report the status code and the
/// `Cache-Control` header as received. Never retry: the resolver decides when to fetch again.
public protocol JWKSFetcher: Sendable {
    /// Fetches `url`.
    /// - Parameters:
    ///   - url: The JWKS URL.
    ///   - timeout: Seconds the whole request may take.
    ///   - maximumSize: The largest body accepted, in bytes.
    /// - Returns: The response.
    /// - Throws: ``JWKSFetchError`` (or any transport error) when no complete response arrived.
    func fetch(_ url: URL, timeout: TimeInterval, maximumSize: Int) async throws -> JWKSResponse
}

/// What a JWKS endpoint answered.
public struct JWKSResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// The `Cache-Control` header, if any.
    public var cacheControl: String?
    /// The body.
    public var body: [UInt8]

    public init(status: Int, cacheControl: String?, body: [UInt8]) {
        self.status = status
        self.cacheControl = cacheControl
        self.body = body
    }
}

/// Why a JWKS download failed. The reason never includes the response body.
public struct JWKSFetchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable error code. Extensible through static members.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The body exceeded the size cap.
        public static let tooLarge = Code(rawValue: "too_large")
        /// No response within the timeout.
        public static let timedOut = Code(rawValue: "timed_out")
        /// The connection failed or the response was not HTTP.
        public static let transport = Code(rawValue: "transport")
        /// The endpoint answered with something other than 200.
        public static let badStatus = Code(rawValue: "bad_status")
        /// The body is not a usable JWKS.
        public static let invalidDocument = Code(rawValue: "invalid_document")
        /// The URL is not acceptable (not HTTPS and not loopback).
        public static let insecureURL = Code(rawValue: "insecure_url")
    }

    public var code: Code
    /// What went wrong, safe to log.
    public var reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "JWKSFetchError(\(code)): \(reason)" }
}
