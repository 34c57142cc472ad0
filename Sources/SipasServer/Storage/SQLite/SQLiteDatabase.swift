import Foundation
import GRDB

/// The one owner of the SQLite database: opens it, migrates it, and exposes intention-named methods,
/// each exactly one transaction (GRDB's SQLiteDatabase pattern).
public struct SQLiteDatabase: Sendable {
    /// The pool: one writer connection, concurrent readers, WAL mode.
    ///
    /// Internal, not private, because the `SQLiteDatabase+….swift` files of Storage/ use it (and the tests look
    /// through it); `script/check-storage` fails if anything else in Sources/ reaches it.
    let writer: DatabasePool
    /// The tally keys by id, as this process has read and added them.
    let tallyKeys = TallyKeys()

    /// Opens (creating if needed) the database file and brings its schema up to date.
    ///
    /// The server and the command line open the same file at the same time, so a writer waits for the
    /// other's transaction (busy timeout) instead of failing.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.label = "sipas"
        configuration.prepareDatabase { db in
            db.add(function: TallyVector.addFunction)
            // 8 MB of pages per connection instead of SQLite's 2 MB: an index query's tally rows stay in memory
            // between queries instead of being copied again from the file.
            try db.execute(sql: "PRAGMA cache_size = -8192")
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        // An acknowledged response must survive a power cut: every commit of the writer is synced.
        // GRDB sets synchronous=NORMAL when it enables WAL, after any prepareDatabase hook, so it is
        // set here, after opening, on the writer connection itself.
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // The writer touches the tallies and indexes of every response it stores: with 32 MB of pages they stay
            // in memory from one group to the next instead of being read back from the file for each commit (a
            // profile of a million-response seed with 2 MB spent 12 % of its time in pread).
            try db.execute(sql: "PRAGMA cache_size = -32768")
        }
        try Self.migrator.migrate(pool)
        self.writer = pool
    }

    /// The writer connection's `synchronous` setting (2 = FULL), for tests and `sipas verify`.
    public func synchronousSetting() throws -> Int {
        try writer.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    /// The journal mode (`wal`).
    public func journalMode() throws -> String {
        try writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }
}
