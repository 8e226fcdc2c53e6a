import Foundation
import Logging
import PostgresNIO
import TokenCore

/// The stores' shared access to one database: the pooled client, the deadline every operation
/// runs under, and the mapping of driver errors to ``PostgresStoreError``.
///
/// Every store operation goes through ``run(_:_:)``: it fails with
/// ``PostgresStoreError/Code/timeout`` when the operation (waiting for a pooled connection
/// included) outlives ``PostgresStoreConfiguration/operationTimeout``, and with
/// ``PostgresStoreError/Code/unavailable`` for any driver error, which it logs (the client
/// never sees the driver's message). Errors a store throws on purpose (a `CredentialError`, a
/// ``PostgresStoreError``) pass through unchanged.
struct PostgresDatabase: Sendable {
    let client: PostgresClient
    let timeout: Duration
    let logger: Logger

    /// Runs `operation` under the deadline.
    @discardableResult
    func run<T: Sendable>(
        _ name: String, _ operation: @escaping @Sendable (PostgresClient) async throws -> T
    ) async throws -> T {
        let client = self.client
        do {
            return try await Deadline.run(timeout: timeout, name: name) { try await operation(client) }
        } catch let error as PostgresStoreError {
            if error.code == .timeout { logger.warning("postgres store: \(name) timed out") }
            throw error
        } catch let error as any CredentialError {
            throw error
        } catch {
            logger.warning("postgres store: \(name) failed: \(String(reflecting: error))")
            throw PostgresStoreError(.unavailable, "the database could not be consulted (\(name))")
        }
    }

    /// Runs `operation` in a transaction (`BEGIN` … `COMMIT`, rolled back when it throws),
    /// under the deadline.
    @discardableResult
    func transaction<T: Sendable>(
        _ name: String, _ operation: @escaping @Sendable (PostgresConnection, Logger) async throws -> T
    ) async throws -> T {
        let logger = self.logger
        return try await run(name) { client in
            try await client.withConnection { connection in
                try await connection.query("BEGIN", logger: logger)
                do {
                    let result = try await operation(connection, logger)
                    try await connection.query("COMMIT", logger: logger)
                    return result
                } catch {
                    _ = try? await connection.query("ROLLBACK", logger: logger)
                    throw error
                }
            }
        }
    }

    /// Whether `error` is PostgreSQL's `unique_violation` (SQLSTATE 23505).
    static func isUniqueViolation(_ error: any Error) -> Bool {
        (error as? PSQLError)?.serverInfo?[.sqlState] == "23505"
    }
}

/// Races an operation against a timer without waiting for a stuck operation to notice
/// cancellation: on timeout the caller gets ``PostgresStoreError/Code/timeout`` at once and the
/// operation is cancelled in the background (a lease waiting for a connection leaves the queue;
/// a query already sent ends when its connection does, or when the server's
/// `statement_timeout` fires).
enum Deadline {
    static func run<T: Sendable>(
        timeout: Duration, name: String, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let race = Race<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                race.start(continuation)
                let work = Task {
                    do { race.finish(.success(try await operation())) } catch { race.finish(.failure(error)) }
                }
                let timer = Task {
                    try? await Task.sleep(for: timeout)
                    guard !Task.isCancelled else { return }
                    race.finish(.failure(PostgresStoreError(.timeout, "the database did not answer within \(timeout) (\(name))")))
                }
                race.attach(work: work, timer: timer)
            }
        } onCancel: {
            race.finish(.failure(CancellationError()))
        }
    }

    /// The continuation and the two tasks, resumed once. Lock-protected rather than an actor:
    /// `finish` is called from the tasks and from a cancellation handler, synchronously.
    private final class Race<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<T, any Error>?
        private var result: Result<T, any Error>?
        private var work: Task<Void, Never>?
        private var timer: Task<Void, Never>?

        func start(_ continuation: CheckedContinuation<T, any Error>) {
            let early: Result<T, any Error>? = lock.withLock {
                if let result { return result }
                self.continuation = continuation
                return nil
            }
            if let early { continuation.resume(with: early) }
        }

        func attach(work: Task<Void, Never>, timer: Task<Void, Never>) {
            let done = lock.withLock {
                self.work = work
                self.timer = timer
                return result != nil
            }
            if done {
                work.cancel()
                timer.cancel()
            }
        }

        /// The first call resumes the caller and cancels both tasks; later calls do nothing.
        func finish(_ outcome: Result<T, any Error>) {
            let (continuation, work, timer): (CheckedContinuation<T, any Error>?, Task<Void, Never>?, Task<Void, Never>?) = lock.withLock {
                guard result == nil else { return (nil, nil, nil) }
                result = outcome
                defer { self.continuation = nil }
                return (self.continuation, self.work, self.timer)
            }
            continuation?.resume(with: outcome)
            work?.cancel()
            timer?.cancel()
        }
    }
}
