import ArgumentParser
import Foundation
import SipasServer

/// `sipas backup FILE`: a consistent copy of the database, taken while the server keeps writing.
struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the database into FILE while the server keeps running (SQLite online backup).")

    @Argument(help: "The file to write; it must not exist yet.") var file: String
    @OptionGroup var dataDir: DataDirOption

    func run() throws {
        let database = try dataDir.openExisting()
        let summary = try reportingOperatorErrors { try database.backup(to: file, actor: "cli") }
        print("\(file): \(summary.chain.count) responses, head \(summary.chain.head)")
    }
}

/// `sipas restore FILE`: the data directory's database replaced by a checked backup.
struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replace the database with a backup, after checking it. Stop the server first.",
        discussion: """
            FILE must be an intact SQLite file, a sipas database whose migrations this release knows, with a \
            response chain that verifies; otherwise nothing is changed. The server must be stopped: the \
            restore refuses while the database is open. The replaced database is kept beside it as \
            sipas.sqlite.before-restore-<time>.
            """)

    @Argument(help: "The backup file (from sipas backup or the daily backup).") var file: String
    @OptionGroup var dataDir: DataDirOption

    func run() throws {
        try dataDir.checkDatabase()
        let summary = try reportingOperatorErrors {
            try SQLiteDatabase.restore(from: file, dataDirectory: dataDir.path)
        }
        print("restored \(file): \(summary.chain.count) responses, head \(summary.chain.head)")
        if let previous = summary.previous { print("the previous database is kept as \(dataDir.path)/\(previous)") }
    }
}
