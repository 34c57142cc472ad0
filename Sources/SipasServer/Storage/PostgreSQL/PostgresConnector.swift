import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// Opens PostgreSQL connections from the settings: postgres-nio's pool (``PostgresClient``) for the work, after
/// one sign-in of its own, so that a wrong host, user, password or TLS setting stops the start at once with the
/// server's reason (the pool would retry for a minute before failing a request).
struct PostgresConnector: Sendable {
    /// Where the database is and how to sign in.
    let settings: PostgresSettings
    /// The pool's most connections: PostgreSQL's `max_connections` (100 by default) is shared by every instance.
    var maximumConnections = 20
    /// Where `PGPASSWORD` is read, when the settings take the password from the environment.
    var environment: [String: String] = ProcessInfo.processInfo.environment

    init(_ settings: PostgresSettings) {
        self.settings = settings
    }

    // MARK: - Connecting

    /// Runs `body` with a pool that runs until `body` returns; the pool's connections are closed then.
    func withClient<Result: Sendable>(
        logger: Logger, _ body: @Sendable (PostgresClient) async throws -> Result
    ) async throws -> Result {
        let client = PostgresClient(configuration: try clientConfiguration(), backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            // Meanwhile the pool's run starts (postgres-nio warns of a lease before it has).
            try await checkSignIn(logger: logger)
            return try await body(client)
        }
    }

    /// Signs in once, outside the pool, and signs out; throws an ``OperatorError`` that names the database and the
    /// reason (no such host, password refused, TLS required…).
    func checkSignIn(logger: Logger) async throws {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(
                configuration: try connectionConfiguration(), id: 0, logger: logger)
        } catch let error as OperatorError {
            throw error
        } catch {
            throw OperatorError("database \(settings): cannot connect: \(PostgresErrorText(error))")
        }
        try? await connection.close()
    }

    // MARK: - Configurations

    /// The pool's configuration.
    func clientConfiguration() throws -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS =
            switch try tlsConfiguration() {
            case nil: .disable
            case let (configuration, required)?: required ? .require(configuration) : .prefer(configuration)
            }
        var configuration = PostgresClient.Configuration(
            host: settings.host, port: settings.port, username: settings.user, password: try password(),
            database: settings.database, tls: tls)
        configuration.options.maximumConnections = maximumConnections
        configuration.options.additionalStartupParameters = [("application_name", "sipas")]
        return configuration
    }

    /// The single connection's configuration (its TLS as a context, as postgres-nio takes it there).
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        do {
            tls =
                switch try tlsConfiguration() {
                case nil: .disable
                case let (configuration, required)?:
                    required
                        ? .require(try NIOSSLContext(configuration: configuration))
                        : .prefer(try NIOSSLContext(configuration: configuration))
                }
        } catch let error as OperatorError {
            throw error
        } catch {
            throw OperatorError("database \(settings): TLS cannot be set up: \(error)")
        }
        var configuration = PostgresConnection.Configuration(
            host: settings.host, port: settings.port, username: settings.user, password: try password(),
            database: settings.database, tls: tls)
        configuration.options.additionalStartupParameters = [("application_name", "sipas")]
        return configuration
    }

    /// TLS as libpq's `sslmode` means it, and whether it is required; nil: no TLS. `prefer` and `require` encrypt
    /// without checking the certificate (libpq's meaning); `verify-full` checks it against the root certificates
    /// given (else the system's) and its name against the host.
    func tlsConfiguration() throws -> (TLSConfiguration, required: Bool)? {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch settings.tls {
        case .disable:
            return nil
        case .prefer, .require:
            configuration.certificateVerification = .none
            return (configuration, settings.tls == .require)
        case .verifyFull(let rootCertificate):
            configuration.certificateVerification = .fullVerification
            if let rootCertificate {
                guard FileManager.default.isReadableFile(atPath: rootCertificate) else {
                    throw OperatorError("database \(settings): sslrootcert \(rootCertificate) cannot be read")
                }
                configuration.trustRoots = .file(rootCertificate)
            }
            return (configuration, true)
        }
    }

    /// The password: the file's content without one line break at its end, or `PGPASSWORD` if set, else none.
    func password() throws -> String? {
        switch settings.password {
        case .environment:
            return environment["PGPASSWORD"]
        case .file(let path):
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path))
            } catch {
                throw OperatorError("database password file \(path): cannot be read (\(error.localizedDescription))")
            }
            guard var text = String(data: data, encoding: .utf8) else {
                throw OperatorError("database password file \(path): is not UTF-8 text")
            }
            // "\r\n" is one Character, as "\n" is.
            if text.hasSuffix("\n") || text.hasSuffix("\r\n") { text.removeLast() }
            guard !text.isEmpty else { throw OperatorError("database password file \(path): is empty") }
            return text
        }
    }
}
