/// Limits, timeouts and concurrency settings of ``HTTPServer``.
///
/// Every limit answers with the status RFC 9110/9112 names for it and closes the connection;
/// none of them can crash or hang the server. Defaults follow the issue: 8 KiB request line,
/// 32 KiB / 100 header fields, 1 MiB body, 10 s to receive the header section, 60 s idle
/// keep-alive.
struct HTTPServerConfiguration: Sendable {
    /// Address to listen on (IPv4 or IPv6 literal, or `localhost`).
    var host: String = "127.0.0.1"
    /// TCP port; `0` asks the kernel for a free one (read it back from ``HTTPServer/port``).
    var port: Int = 8080
    /// Longest request line accepted, in bytes (longer → 414, RFC 9112 §3).
    var maxRequestLineBytes: Int = 8 * 1024
    /// Largest header section (after the request line), in bytes (larger → 431, RFC 6585 §5).
    var maxHeaderBytes: Int = 32 * 1024
    /// Most header fields in one request (more → 431).
    var maxHeaderCount: Int = 100
    /// Largest request body, after removing chunked framing (larger → 413, RFC 9110 §15.5.14).
    var maxBodyBytes: Int = 1024 * 1024
    /// Seconds from a request's first byte (or the connection's accept) to its complete header
    /// section (slower → 408 and close: slowloris).
    var headerTimeout: Double = 10
    /// Seconds from a complete header section to the complete body (slower → 408 and close).
    var bodyTimeout: Double = 30
    /// Seconds a keep-alive connection may sit idle between requests (then closed quietly), and
    /// the longest a blocked write may make no progress.
    var idleTimeout: Double = 60
    /// Most connections open at once; further ones get `503` and are closed.
    var maxConnections: Int = 10_000
    /// Number of event loops (threads); `0` means one per CPU core.
    var eventLoops: Int = 0
    /// Seconds graceful shutdown waits for in-flight requests before closing everything.
    var shutdownGracePeriod: Double = 10
    /// Run each request's task on the event loop that read it (the loop is the task's executor
    /// preference). `false` runs it on Swift's global concurrent pool and hops back: kept only to
    /// measure the difference (see Docs/ExampleServer.md).
    var runsHandlersOnEventLoop = true
    /// `listen(2)` backlog.
    var backlog: Int32 = 1024
}
