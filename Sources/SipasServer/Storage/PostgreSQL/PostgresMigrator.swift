import Logging
import PostgresNIO

/// Brings a PostgreSQL database to this release's schema: applies, in order, the migrations `sipas_migration` does
/// not record, each in its own transaction, under an advisory lock, so that of several instances starting at once one
/// migrates and the others wait, then find nothing left to do.
struct PostgresMigrator: Sendable {
    /// In order of application.
    let migrations: [PostgresMigration]

    /// The schema of this release.
    static let sipas = PostgresMigrator(migrations: [.v1])

    /// The session advisory lock held while migrating ("sipas-mg" in ASCII): PostgreSQL scopes advisory locks to
    /// one database, and releases a session's locks when its connection ends, so a migrator that dies frees it.
    static let lockKey: Int64 = 0x7369_7061_732d_6d67

    // MARK: - Migrating

    /// Migrates on one of `client`'s connections; returns the names of the migrations it applied (none when the
    /// database was up to date, or another instance migrated it meanwhile).
    @discardableResult
    func migrate(_ client: PostgresClient, logger: Logger) async throws -> [String] {
        try await client.withConnection { connection in try await migrate(connection, logger: logger) }
    }

    /// Migrates on `connection`, holding the lock for the whole run.
    @discardableResult
    func migrate(_ connection: PostgresConnection, logger: Logger) async throws -> [String] {
        do {
            try await connection.query("SELECT pg_advisory_lock(\(Self.lockKey))", logger: logger)
        } catch {
            throw OperatorError(
                "PostgreSQL migrations: the migration lock cannot be taken: \(PostgresErrorText(error))")
        }
        do {
            let applied = try await migrateHoldingLock(connection, logger: logger)
            try await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger)
            return applied
        } catch {
            // A broken connection released it already.
            _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger)
            if let error = error as? OperatorError { throw error }
            throw OperatorError("PostgreSQL migrations: \(PostgresErrorText(error))")
        }
    }

    /// The names `sipas_migration` records, in the order they were applied.
    func appliedMigrations(_ connection: PostgresConnection, logger: Logger) async throws -> [String] {
        let rows = try await connection.query(
            "SELECT name FROM sipas_migration ORDER BY appliedAt, name", logger: logger)
        var names: [String] = []
        for try await name in rows.decode(String.self) { names.append(name) }
        return names
    }

    private func migrateHoldingLock(_ connection: PostgresConnection, logger: Logger) async throws -> [String] {
        // Made here rather than by a migration, as it records them; under the lock, so two instances never race to make
        // it.
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS sipas_migration (
                name TEXT COLLATE "C" PRIMARY KEY,
                appliedAt TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """, logger: logger)
        let done = Set(try await appliedMigrations(connection, logger: logger))
        let unknown = done.subtracting(migrations.map(\.name))
        guard unknown.isEmpty else {
            throw OperatorError(
                """
                PostgreSQL migrations: the database has migrations this release of sipas does not know \
                (\(unknown.sorted().joined(separator: "; "))): it was migrated by a newer release; run that one
                """)
        }
        var applied: [String] = []
        for migration in migrations where !done.contains(migration.name) {
            do {
                try await connection.withTransaction(logger: logger) { connection in
                    for statement in migration.statements {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await connection.query(
                        "INSERT INTO sipas_migration (name) VALUES (\(migration.name))", logger: logger)
                }
            } catch {
                throw OperatorError("PostgreSQL migration \(migration.name) failed: \(PostgresErrorText(error))")
            }
            logger.notice("PostgreSQL migration applied", metadata: ["migration": "\(migration.name)"])
            applied.append(migration.name)
        }
        return applied
    }
}
