import ArgumentParser
import SipasServer

/// `--database` and `--database-password-file`, beside `--data-dir` in every command that opens the database: a
/// PostgreSQL database instead of the data directory's SQLite file, and where its password is (never on the command
/// line itself).
struct DatabaseOptions: SettingOptions {
    @Option(name: Settings.database.name, help: Settings.database.help())
    var database: String?
    @Option(name: Settings.databasePasswordFile.name, help: Settings.databasePasswordFile.help())
    var databasePasswordFile: String?

    func give(to flags: inout SettingFlags) {
        flags.set(Settings.database, database)
        flags.set(Settings.databasePasswordFile, databasePasswordFile)
    }
}

extension DataDirOption {
    /// The settings read and the database checked as opening it would, for a command that works on the data
    /// directory's files itself (`sipas restore`): a PostgreSQL database stops it with the reason.
    func checkDatabase() throws {
        _ = try Assembly.options(self)
    }
}
