import Foundation
import GRDB
import PostgresNIO
import Testing

@testable import SipasServer

@Suite("PostgreSQL migrations, on a real cluster")
struct PostgresMigratorTests {
    static let logger = PostgresTestCluster.logger

    /// The names `sipas_migration` records.
    static func recorded(_ client: PostgresClient) async throws -> [String] {
        try await client.withConnection { try await PostgresMigrator.sipas.appliedMigrations($0, logger: logger) }
    }

    // MARK: - Once, and once only

    @Test("a fresh database is migrated; migrating it again applies nothing")
    func twice() async throws {
        let database = try await PostgresTestDatabase.make()
        try await database.withClient { (client: PostgresClient) async throws in
            let names = PostgresMigrator.sipas.migrations.map(\.name)
            #expect(try await PostgresMigrator.sipas.migrate(client, logger: Self.logger) == names)
            #expect(try await PostgresMigrator.sipas.migrate(client, logger: Self.logger) == [])
            #expect(try await Self.recorded(client) == names)
        }
        try await database.drop()
    }

    @Test("two instances migrating at once: one applies, the other waits for the lock and finds nothing to do")
    func concurrent() async throws {
        let database = try await PostgresTestDatabase.make()
        // The test holds the migration lock first, so that both migrators are surely waiting for it together.
        try await PostgresTestCluster.withConnection(database.settings) { holder in
            try await holder.query("SELECT pg_advisory_lock(\(PostgresMigrator.lockKey))", logger: Self.logger)
            async let first = database.withClient { try await PostgresMigrator.sipas.migrate($0, logger: Self.logger) }
            async let second = database.withClient { try await PostgresMigrator.sipas.migrate($0, logger: Self.logger) }
            try await Self.waitForLockWaiters(2, on: holder)
            try await holder.query("SELECT pg_advisory_unlock(\(PostgresMigrator.lockKey))", logger: Self.logger)
            let applied = try await [first, second]
            #expect(applied.map(\.count).sorted() == [0, PostgresMigrator.sipas.migrations.count], "\(applied)")
        }
        try await database.withClient { (client: PostgresClient) async throws in
            #expect(try await Self.recorded(client) == PostgresMigrator.sipas.migrations.map(\.name))
        }
        try await database.drop()
    }

    /// Waits until `count` sessions wait for an advisory lock in `connection`'s database (10 s at most).
    static func waitForLockWaiters(_ count: Int, on connection: PostgresConnection) async throws {
        for _ in 0..<200 {
            let rows = try await connection.query(
                """
                SELECT count(*)::bigint FROM pg_locks
                WHERE locktype = 'advisory' AND NOT granted
                    AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                """, logger: logger)
            for try await waiting in rows.decode(Int.self) where waiting >= count { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("fewer than \(count) sessions waited for the migration lock")
    }

    @Test("a migration that fails leaves nothing of itself, and the ones before it stay applied")
    func failureRollsBack() async throws {
        let database = try await PostgresTestDatabase.make()
        let broken = PostgresMigration(
            name: "v2: broken", statements: ["CREATE TABLE half_made (x integer)", "CREATE TABLE nonsense ("])
        let migrator = PostgresMigrator(migrations: PostgresMigrator.sipas.migrations + [broken])
        try await database.withClient { (client: PostgresClient) async throws in
            let error = await #expect(throws: OperatorError.self) {
                try await migrator.migrate(client, logger: Self.logger)
            }
            #expect(error?.description.contains("PostgreSQL migration v2: broken failed: syntax error") == true)
            #expect(try await Self.recorded(client) == PostgresMigrator.sipas.migrations.map(\.name))
            let tables = try await PostgresSchema.read(client).columns.keys
            #expect(!tables.contains("half_made") && tables.contains("response"))
            // The lock went with the failed run: a good migrator still gets it.
            #expect(try await PostgresMigrator.sipas.migrate(client, logger: Self.logger) == [])
        }
        try await database.drop()
    }

    @Test("a database migrated by a newer release is refused, naming what this release does not know")
    func newerDatabase() async throws {
        let database = try await PostgresTestDatabase.make()
        try await database.withClient { (client: PostgresClient) async throws in
            try await PostgresMigrator.sipas.migrate(client, logger: Self.logger)
            try await client.query("INSERT INTO sipas_migration (name) VALUES ('v99: from the future')")
            let error = await #expect(throws: OperatorError.self) {
                try await PostgresMigrator.sipas.migrate(client, logger: Self.logger)
            }
            #expect(error?.description.contains("(v99: from the future): it was migrated by a newer release") == true)
        }
        try await database.drop()
    }

    // MARK: - The same schema as SQLite's

    @Test("every table of the SQLite schema is in PostgreSQL with its columns, keys, foreign keys and named indexes")
    func sameSchemaAsSQLite() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sipas-schema-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let sqlite = try await SQLiteSchema.read(try DataDirectory.openDatabase(directory))
        let database = try await PostgresTestDatabase.make()
        let postgres = try await database.withClient { (client: PostgresClient) async throws -> DatabaseSchema in
            try await PostgresMigrator.sipas.migrate(client, logger: Self.logger)
            return try await PostgresSchema.read(client)
        }
        try await database.drop()

        #expect(sqlite.columns.count >= 20, "the SQLite schema was not read: \(sqlite.columns.keys.sorted())")
        // PostgreSQL's own: the migrations' record.
        #expect(Set(postgres.columns.keys) == Set(sqlite.columns.keys).union(["sipas_migration"]))
        for (table, columns) in sqlite.columns.sorted(by: { $0.key < $1.key }) {
            let theirs = postgres.columns[table] ?? []
            #expect(theirs.map(\.name) == columns.map(\.name), "\(table): the columns, in order")
            for (column, their) in zip(columns, theirs) where column.name == their.name {
                #expect(
                    column.fits(their.type), "\(table).\(column.name): \(column.type) in SQLite, \(their.type)")
                #expect(column.notNull == their.notNull, "\(table).\(column.name): NOT NULL")
            }
            #expect(postgres.primaryKeys[table] == sqlite.primaryKeys[table], "\(table): the primary key")
        }
        #expect(postgres.foreignKeys == sqlite.foreignKeys)
        for (index, partial) in sqlite.indexes.sorted(by: { $0.key < $1.key }) {
            #expect(postgres.indexes[index] == partial, "index \(index): present, partial \(partial)")
        }
        #expect(postgres.uniques == sqlite.uniques)
    }

    // MARK: - The triggers

    @Test("the triggers do what SQLite's do: unit changes counted, cells marked stale, the append-only tables kept")
    func triggers() async throws {
        let database = try await PostgresTestDatabase.make()
        try await database.withClient { (client: PostgresClient) async throws in
            try await PostgresMigrator.sipas.migrate(client, logger: Self.logger)
            func revision() async throws -> Int {
                var value = -1
                for try await revision in try await client.query(
                    "SELECT revision FROM catalog_revision WHERE name = 'unit'"
                ).decode(Int.self) { value = revision }
                return value
            }
            #expect(try await revision() == 0)
            try await client.query(
                """
                INSERT INTO unit (code, name, level, parent, validFrom)
                VALUES ('87', 'Tỉnh Đồng Tháp', 'province', NULL, '2004-01-01'),
                    ('875', 'Huyện Lấp Vò', 'district', '87', '2004-01-01')
                """)
            try await client.query("UPDATE unit SET name = 'Huyện Lấp Vò ' WHERE code = '875'")
            #expect(try await revision() == 3)

            try await client.query(
                """
                INSERT INTO survey_version (survey, version, definition, digest, publishedAt)
                VALUES ('sipas', 1, '{"items": []}', repeat('0', 64), '2024-01-01T00:00:00Z')
                """)
            try await client.query(
                """
                INSERT INTO device (keyHash, unit, desk, createdAt) VALUES (repeat('a', 64), '875', NULL, '2024-01-01')
                """)
            try await client.query(
                """
                INSERT INTO response (id, survey, surveyVersion, unitId, unit, deviceId, channel, submittedAt,
                    submittedDate, receivedAt, contentHash)
                SELECT '00000000-0000-4000-8000-00000000000' || n, 'sipas', 1, (SELECT id FROM unit WHERE code = '875'),
                    '875', (SELECT id FROM device), 'desk', '2024-11-29T10:00:00+07:00', '2024-11-29',
                    '2024-11-29T03:00:01Z', repeat('c', 64)
                FROM generate_series(1, 3) AS n
                """)
            var stale: [String] = []
            for try await (desk, day) in try await client.query("SELECT desk, day FROM flag_stale").decode(
                (String, String).self)
            {
                stale.append("\(desk)|\(day)")
            }
            #expect(stale == ["|2024-11-29"])

            try await client.query(
                "INSERT INTO audit_log (at, action, actor, detail) VALUES ('2024-11-29T10:00:00Z', 'test', 'cli:test', '')"
            )
            for statement in ["UPDATE audit_log SET detail = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log"] {
                let error = await #expect(throws: (any Error).self) {
                    try await client.query(PostgresQuery(unsafeSQL: statement))
                }
                #expect(
                    error.map { "\(PostgresErrorText($0))" }?.contains("the audit log is append-only") == true,
                    "\(statement)")
            }
        }
        try await database.drop()
    }

    @Test(
        "the checks SQLite makes with its own functions refuse the same values",
        arguments: [
            Named("a day that does not exist", "UPDATE unit SET validFrom = '2023-02-29'"),
            Named("a date in another form", "UPDATE unit SET validFrom = '01/01/2004'"),
            Named("an end before the start", "UPDATE unit SET validTo = '2003-12-31'"),
            Named("a code that is not a number", "UPDATE unit SET code = 'x7'"),
            Named("a definition that is not JSON", "UPDATE survey_version SET definition = '{items'"),
        ])
    func checks(_ example: Named<String>) async throws {
        let database = try await PostgresTestDatabase.make()
        try await database.withClient { (client: PostgresClient) async throws in
            try await PostgresMigrator.sipas.migrate(client, logger: Self.logger)
            try await client.query(
                "INSERT INTO unit (code, name, level, parent, validFrom) VALUES ('87', 'Tỉnh', 'province', NULL, '2004-01-01')"
            )
            try await client.query(
                """
                INSERT INTO survey_version (survey, version, definition, digest, publishedAt)
                VALUES ('sipas', 1, '{"items": []}', repeat('0', 64), '2024-01-01T00:00:00Z')
                """)
            let error = await #expect(throws: (any Error).self) {
                try await client.query(PostgresQuery(unsafeSQL: example.value))
            }
            #expect(error.map { "\(PostgresErrorText($0))" }?.contains("SQLSTATE 23514") == true)
        }
        try await database.drop()
    }
}
