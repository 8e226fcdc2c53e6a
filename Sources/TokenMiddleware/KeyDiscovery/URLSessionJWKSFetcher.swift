public import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A ``JWKSFetcher`` on `URLSession` (FoundationNetworking on Linux).
///
/// Each fetch uses an ephemeral session (no cookies, no cache) whose delegate counts the body
/// as it arrives and cancels the transfer the moment it passes the size cap (a `Content-Length`
/// over the cap is refused before any body is read), refuses redirects, and times out after
/// `timeout` seconds for the whole request (rounded up to whole seconds, at least 1, because
/// FoundationNetworking truncates fractions).
public struct URLSessionJWKSFetcher: JWKSFetcher {
    public init() {}

    public func fetch(_ url: URL, timeout requested: TimeInterval, maximumSize: Int) async throws -> JWKSResponse {
        // FoundationNetworking truncates timeouts to whole seconds (and 0 fires at once).
        let timeout = max(1, requested.rounded(.up))
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        let download = Download(maximumSize: maximumSize)
        let session = URLSession(configuration: configuration, delegate: download, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<JWKSResponse, any Error>) in
                let task = session.dataTask(with: request)
                download.start(task, continuation)
            }
        } onCancel: {
            download.cancel()
        }
    }

    /// Collects one response. A class because `URLSession` delegates are objects; its mutable
    /// state is guarded by a lock because delegate callbacks arrive on the session's queue while
    /// cancellation may come from any thread.
    private final class Download: NSObject, URLSessionDataDelegate, @unchecked Sendable {
        private struct State {
            var body: [UInt8] = []
            var response: HTTPURLResponse?
            var failure: JWKSFetchError?
            var continuation: CheckedContinuation<JWKSResponse, any Error>?
            var task: URLSessionDataTask?
        }

        private let lock = NSLock()
        private var state = State()
        private let maximumSize: Int

        init(maximumSize: Int) { self.maximumSize = maximumSize }

        func start(_ task: URLSessionDataTask, _ continuation: CheckedContinuation<JWKSResponse, any Error>) {
            lock.withLock {
                state.continuation = continuation
                state.task = task
            }
            task.resume()
        }

        func cancel() {
            lock.withLock { state.task }?.cancel()
        }

        private func fail(_ error: JWKSFetchError, _ task: URLSessionTask) {
            lock.withLock { if state.failure == nil { state.failure = error } }
            task.cancel()
        }

        func urlSession(
            _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
            completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
        ) {
            guard let http = response as? HTTPURLResponse else {
                fail(JWKSFetchError(.transport, "the response is not HTTP"), dataTask)
                completionHandler(.cancel)
                return
            }
            if http.expectedContentLength > Int64(maximumSize) {
                fail(JWKSFetchError(.tooLarge, "the JWKS response declares more than \(maximumSize) bytes"), dataTask)
                completionHandler(.cancel)
                return
            }
            lock.withLock { state.response = http }
            completionHandler(.allow)
        }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
            let over = lock.withLock { () -> Bool in
                guard state.body.count + data.count <= maximumSize else { return true }
                state.body.append(contentsOf: data)
                return false
            }
            if over { fail(JWKSFetchError(.tooLarge, "the JWKS response exceeds \(maximumSize) bytes"), dataTask) }
        }

        func urlSession(
            _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
            newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
        ) {
            // A key set must come from the configured URL, not wherever it redirects to.
            completionHandler(nil)
        }

        func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
            let (continuation, result) = lock.withLock { () -> (CheckedContinuation<JWKSResponse, any Error>?, Result<JWKSResponse, any Error>) in
                let continuation = state.continuation
                state.continuation = nil
                if let failure = state.failure { return (continuation, .failure(failure)) }
                if let error {
                    let timedOut = (error as? URLError)?.code == .timedOut
                    return (continuation, .failure(timedOut
                        ? JWKSFetchError(.timedOut, "the JWKS endpoint did not answer in time")
                        : JWKSFetchError(.transport, "the JWKS request failed: \(error.localizedDescription)")))
                }
                guard let response = state.response else {
                    return (continuation, .failure(JWKSFetchError(.transport, "no HTTP response")))
                }
                let cacheControl = response.value(forHTTPHeaderField: "Cache-Control")
                return (continuation, .success(JWKSResponse(status: response.statusCode, cacheControl: cacheControl, body: state.body)))
            }
            continuation?.resume(with: result)
        }
    }
}
