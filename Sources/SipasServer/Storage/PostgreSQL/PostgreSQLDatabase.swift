import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL engine of the storage contract (``AppDatabase``), for a province that runs several sipas instances
/// on one database: postgres-nio's pool, the schema of ``PostgresMigrator``, and the same intention-named methods as
/// ``SQLiteDatabase``, each one transaction, in the files `PostgreSQLDatabase+….swift` beside this one.
///
/// Several instances write at once, so what SQLite gets from its one writer is asked for here in SQL: inserts into
/// the response chain take a transaction-scoped advisory lock, uniqueness is the constraint inside the INSERT, and a
/// revoked key is read from the table inside the storing transaction.
struct PostgreSQLDatabase: Sendable {
    /// The pool; it must be running (``PostgresConnector/withClient(logger:_:)``, or a service of the server).
    let client: PostgresClient
    /// Where postgres-nio's and this engine's messages go.
    let logger: Logger

    init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Connects with `settings`, brings the schema up to date, and runs `body` with the database; the pool is closed
    /// when `body` returns. Throws an ``OperatorError`` naming the database when it cannot be reached or migrated.
    static func withDatabase<Result: Sendable>(
        _ settings: PostgresSettings, logger: Logger, _ body: @Sendable (PostgreSQLDatabase) async throws -> Result
    ) async throws -> Result {
        try await PostgresConnector(settings).withClient(logger: logger) { client in
            try await PostgresMigrator.sipas.migrate(client, logger: logger)
            return try await body(PostgreSQLDatabase(client: client, logger: logger))
        }
    }

    // MARK: - Transactions

    /// Runs `body` in one read-only transaction that sees one snapshot (REPEATABLE READ), as SQLite's reads do.
    func read<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        try await client.withConnection { connection in
            try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
            do {
                let result = try await body(connection)
                try await connection.query("COMMIT", logger: logger)
                return result
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    /// Runs `body` in one read-write transaction (READ COMMITTED, PostgreSQL's default), committed when it returns
    /// and rolled back when it throws. Writes that must be serialised across instances take their lock inside it
    /// (``lockChain(_:)``).
    func write<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        try await client.withConnection { connection in
            try await connection.query("BEGIN", logger: logger)
            do {
                let result = try await body(connection)
                try await connection.query("COMMIT", logger: logger)
                return result
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    /// Runs one statement outside any explicit transaction (its own), returning nothing.
    func execute(_ query: PostgresQuery) async throws {
        try await client.query(query, logger: logger)
    }

    // MARK: - Locks

    /// The transaction-scoped advisory lock of the response chain ("sipas-ch" in ASCII): every transaction that
    /// appends responses takes it before reading the chain's head, so that of several instances one appends at a
    /// time, `response.seq` (an identity, handed out in the order transactions ask) follows commit order, and each
    /// hash names the one committed before it. Released by the commit or rollback.
    static let chainLockKey: Int64 = 0x7369_7061_732d_6368

    /// Takes ``chainLockKey`` in the current transaction, waiting for another instance's transaction to end.
    func lockChain(_ connection: PostgresConnection) async throws {
        try await connection.query("SELECT pg_advisory_xact_lock(\(Self.chainLockKey))", logger: logger)
    }
}
