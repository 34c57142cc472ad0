import ArgumentParser
import Foundation
import SipasServer

/// `--data-dir`, shared by every command that opens the database.
struct DataDirOption: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Data directory holding sipas.sqlite.")
    var path = "data"

    /// The database, or exit with the reason.
    func open() throws -> AppDatabase {
        try reportingOperatorErrors { try DataDirectory.openDatabase(path) }
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
