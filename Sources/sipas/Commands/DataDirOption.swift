import ArgumentParser
import Foundation
import SipasDomain
import SipasServer

/// `--data-dir` (and `--database`), shared by every command that opens the database.
struct DataDirOption: SettingOptions {
    @Option(name: Settings.dataDir.name, help: Settings.dataDir.help())
    var path = Settings.dataDir.defaultValue
    @OptionGroup var database: DatabaseOptions

    func give(to flags: inout SettingFlags) {
        flags.set(Settings.dataDir, path)
        database.give(to: &flags)
    }

    /// The database, created when there is none yet (the commands that set an office up), or exit with the reason.
    func open() throws -> SQLiteDatabase {
        try reportingOperatorErrors { try Assembly.options(self).openDatabase() }
    }

    /// The database that must already exist (the commands that read, check or change what is stored): a wrong
    /// `--data-dir` is an error naming the path, not a new empty database that checks out as "ok".
    func openExisting() throws -> SQLiteDatabase {
        try reportingOperatorErrors {
            let assembly = try Assembly.options(self)
            let path = assembly.configuration.databasePath
            guard FileManager.default.fileExists(atPath: path) else {
                throw OperatorError(
                    "no database at \(path): is --data-dir right? (sipas serve, units import or demo seed create it)")
            }
            return try assembly.openDatabase()
        }
    }
}

/// Runs an action; an error the operator must fix is printed on standard error and exits with code 1.
func reportingOperatorErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as OperatorError {
        printError(error.description)
        throw ExitCode.failure
    }
}

/// Prints `sipas: message` on standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data(("sipas: " + message + "\n").utf8))
}

/// Runs a file import and prints its summary, or every refused line and exit code 1 (nothing was stored).
func reportImport(_ file: String, _ body: () throws -> ImportSummary) throws {
    do {
        let summary = try reportingOperatorErrors(body)
        print("\(file): \(summary)")
    } catch let refused as ImportRefused {
        printError(refusal(file, refused))
        throw ExitCode.failure
    }
}

/// The message of a refused import: the first 50 problems, each with its line.
func refusal(_ file: String, _ refused: ImportRefused) -> String {
    let shown = refused.problems.prefix(50).map { "  \(file): \($0)" }.joined(separator: "\n")
    let more = refused.problems.count > 50 ? "\n  … and \(refused.problems.count - 50) more" : ""
    return "\(file): nothing imported:\n" + shown + more
}
