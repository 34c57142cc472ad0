import Foundation

extension AppConfiguration {
    /// Where the data is: the PostgreSQL database the settings name, else the SQLite file in the data directory.
    public var databaseLocation: DatabaseLocation {
        postgres.map(DatabaseLocation.postgres) ?? .sqlite(path: databasePath)
    }

    /// `database` and `databasePasswordFile`, read together: the file holds a PostgreSQL user's password, so it goes
    /// with a `postgres://` database; the URL itself was checked by its declaration.
    mutating func applyDatabase(_ settings: SettingsReader) throws {
        let url = try settings.value(Settings.database) ?? nil
        let passwordFile = try settings.value(Settings.databasePasswordFile) ?? nil
        guard let url else {
            if passwordFile != nil {
                throw settings.refusal(
                    Settings.databasePasswordFile.key,
                    "goes with a PostgreSQL database (--database or SIPAS_DATABASE, a postgres:// URL)")
            }
            return
        }
        do {
            postgres = try PostgresSettings(url: url, passwordFile: passwordFile)
        } catch {
            throw settings.refusal(Settings.database.key, error.description)
        }
    }

    /// Stops a command given a PostgreSQL database: this build reads and checks the settings, but holds no PostgreSQL
    /// storage yet (issue 16), and must not fall back on the SQLite file silently. Goes when that storage lands.
    public func requireAvailableDatabase() throws {
        guard let postgres else { return }
        throw OperatorError(
            """
            database \(postgres): PostgreSQL is not yet available in this build of sipas (only its settings are); \
            leave --database and SIPAS_DATABASE unset to use the SQLite file in the data directory
            """)
    }
}
