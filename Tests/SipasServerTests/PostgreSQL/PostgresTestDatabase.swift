import Foundation
import Logging
import PostgresNIO
import Testing

@testable import SipasServer

/// The PostgreSQL cluster of the tests: the one `script/test` started for the run (`SIPAS_TEST_DATABASE`, its password
/// in `SIPAS_TEST_DATABASE_PASSWORD_FILE`), else one this test process starts with `script/postgres`, which stops and
/// removes it when the process ends. A service the tests need is started for them, never assumed.
enum PostgresTestCluster {
    /// The cluster's own database, in which fresh ones are made.
    static func server() async throws -> PostgresSettings { try await started.value }

    /// Started once per test process, when a test first needs it.
    private static let started = Task<PostgresSettings, any Error> {
        let environment = ProcessInfo.processInfo.environment
        if let url = environment["SIPAS_TEST_DATABASE"], !url.isEmpty {
            return try PostgresSettings(url: url, passwordFile: environment["SIPAS_TEST_DATABASE_PASSWORD_FILE"])
        }
        return try startOwn()
    }

    /// A cluster of this process's own, in a new temporary directory.
    private static func startOwn() throws -> PostgresSettings {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("sipas-test-postgres-\(UUID().uuidString.prefix(8).lowercased())").path
        let script = TestEnvironment.repository.appendingPathComponent("script/postgres").path
        print(
            """
            PostgresTestCluster: SIPAS_TEST_DATABASE is not set, so this test run starts its own PostgreSQL cluster \
            (\(script) start \(directory)); it is stopped and removed when the tests end. script/test starts one \
            for the whole run instead.
            """)
        // The URL goes to a file beside the directory, which must be new or empty for the script.
        let urlFile = directory + ".url"
        defer { try? FileManager.default.removeItem(atPath: urlFile) }
        let started = try ChildProcess.run(
            script, ["start", directory, "--until-exit-of", String(getpid())], standardOutput: urlFile)
        let url = (try? String(contentsOfFile: urlFile, encoding: .utf8))?.split(separator: "\n").last.map(String.init)
        guard started.status == 0, let url, !url.isEmpty else {
            throw PostgresTestFailure(
                "script/postgres start \(directory) failed (exit \(started.status)): \(started.errors)")
        }
        return try PostgresSettings(url: url, passwordFile: (directory as NSString).appendingPathComponent("password"))
    }

    /// A logger for postgres-nio that speaks only of problems.
    static let logger: Logger = {
        var logger = Logger(label: "sipas-test-postgres")
        logger.logLevel = .warning
        return logger
    }()

    /// Runs `body` on one connection of its own to `settings`'s database.
    static func withConnection<Result: Sendable>(
        _ settings: PostgresSettings, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let connection = try await PostgresConnection.connect(
            configuration: try PostgresConnector(settings).connectionConfiguration(), id: 1, logger: logger)
        do {
            let result = try await body(connection)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

/// A fresh, empty database on the test cluster, for one test.
struct PostgresTestDatabase: Sendable {
    /// Its name, `sipas_test_…`.
    let name: String
    /// How to reach it, as sipas would.
    let settings: PostgresSettings

    /// Makes one.
    static func make() async throws -> PostgresTestDatabase {
        let server = try await PostgresTestCluster.server()
        let name = "sipas_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        try await PostgresTestCluster.withConnection(server) { connection in
            try await connection.query(
                PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: PostgresTestCluster.logger)
        }
        var settings = server
        settings.database = name
        return PostgresTestDatabase(name: name, settings: settings)
    }

    /// Drops it, closing any connection left to it.
    func drop() async throws {
        try await PostgresTestCluster.withConnection(try await PostgresTestCluster.server()) { connection in
            try await connection.query(
                PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"),
                logger: PostgresTestCluster.logger)
        }
    }

    /// Runs `body` with a running pool on it, as an instance of sipas would have.
    func withClient<Result: Sendable>(_ body: @Sendable (PostgresClient) async throws -> Result) async throws -> Result
    {
        try await PostgresConnector(settings).withClient(logger: PostgresTestCluster.logger, body)
    }
}

/// A test cluster that could not be had.
struct PostgresTestFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

extension PostgresTestDatabase {
    /// Runs `body` with the storage engine on it, migrated, as `sipas serve --database` would open it.
    func withDatabase<Result: Sendable>(_ body: @Sendable (PostgreSQLDatabase) async throws -> Result) async throws
        -> Result
    {
        try await PostgreSQLDatabase.withDatabase(settings, logger: PostgresTestCluster.logger, body)
    }
}
