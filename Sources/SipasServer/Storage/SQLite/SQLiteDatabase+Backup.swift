import Foundation
import GRDB
import SipasDomain

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a backup file holds.
public struct BackupSummary: Sendable, Hashable {
    public let path: String
    /// The responses in the copy and the chain's head there.
    public let chain: ChainHead
}

/// What a restore put in place.
public struct RestoreSummary: Sendable, Hashable {
    public let chain: ChainHead
    /// Where the database it replaced was kept (nil: there was none).
    public let previous: String?
}

// MARK: - Backup

extension SQLiteDatabase {
    /// Copies the database into `path` with SQLite's online backup API while the server keeps writing: the
    /// copy is one read snapshot, so it holds every response committed before it started, with their
    /// aggregates. It is written beside `path` and renamed into place, so `path` is never a half copy.
    /// - Parameters:
    ///   - actor: recorded in the audit log (`cli`, `server`).
    ///   - replacing: overwrite an existing file (the daily backup of a day run twice); the command refuses.
    public func backup(to path: String, actor: String, replacing: Bool = false, now: Date = Date()) throws
        -> BackupSummary
    {
        if !replacing && FileManager.default.fileExists(atPath: path) {
            throw OperatorError("\(path): exists already; choose another name or remove it first")
        }
        try Self.createDirectory(of: path)
        let partial = path + ".partial-\(getpid())"
        Self.removeDatabaseFiles(partial)
        // The copy holds comments: it never exists readable by others, whatever the umask.
        let descriptor = open(partial, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw OperatorError("\(path): cannot be written (\(String(cString: strerror(errno))))")
        }
        close(descriptor)
        do {
            let copy = try DatabaseQueue(path: partial)
            try writer.backup(to: copy)
            let chain = try copy.writeWithoutTransaction { db in
                // One self-contained file, not a WAL database expecting a -wal beside it.
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
                return try Self.chainHead(db)
            }
            try copy.close()
            guard rename(partial, path) == 0 else {
                throw OperatorError("\(path): cannot be written (\(String(cString: strerror(errno))))")
            }
            Self.syncDirectory(of: path)
            try audit(
                action: "backup", actor: actor, detail: "to \(path): \(chain.count) responses, head \(chain.head)",
                now: now)
            return BackupSummary(path: path, chain: chain)
        } catch {
            Self.removeDatabaseFiles(partial)
            if error is OperatorError { throw error }
            throw OperatorError("\(path): backup failed (\(error))")
        }
    }
}

// MARK: - Restore

extension SQLiteDatabase {
    /// Puts a backup in place of the data directory's database, once it is checked: it must be an intact
    /// SQLite file, a sipas database whose migrations this release knows, and its chain must verify.
    /// The database it replaces is kept as `sipas.sqlite.before-restore-<time>`.
    ///
    /// The server must be stopped: the database is refused while any connection has it open.
    public static func restore(from file: String, dataDirectory: String, now: Date = Date()) throws -> RestoreSummary {
        guard FileManager.default.isReadableFile(atPath: file) else { throw OperatorError("\(file): cannot be read") }
        if let size = (try? FileManager.default.attributesOfItem(atPath: file + "-wal"))?[.size] as? Int, size > 0 {
            throw OperatorError(
                "\(file): a write-ahead log (\(file)-wal) lies beside it, so it may be a live database; copy it with sipas backup"
            )
        }
        try DataDirectory.prepare(dataDirectory)
        let target = (dataDirectory as NSString).appendingPathComponent("sipas.sqlite")
        let staging = target + ".restoring"
        removeDatabaseFiles(staging)
        try copyPrivately(file, to: staging)
        do {
            try checkRestorable(staging, named: file)
        } catch {
            removeDatabaseFiles(staging)
            throw error
        }

        let previous = try setAside(target, now: now)
        guard rename(staging, target) == 0 else {
            throw OperatorError(
                "\(target): cannot be replaced (\(String(cString: strerror(errno)))); the checked copy is \(staging)")
        }
        syncDirectory(of: target)
        // Opening migrates a backup of an older release; the entry lands in the restored database.
        let restored = try SQLiteDatabase(path: target)
        let chain = try restored.writer.read { db in try chainHead(db) }
        try restored.audit(
            action: "restore", actor: "cli",
            detail: "from \(file): \(chain.count) responses, head \(chain.head)"
                + (previous.map { "; previous database kept as \($0)" } ?? ""),
            now: now)
        return RestoreSummary(chain: chain, previous: previous)
    }

    /// Opens a candidate copy and checks it; throws an ``OperatorError`` listing every fault.
    static func checkRestorable(_ path: String, named name: String) throws {
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path)
        } catch {
            throw OperatorError("\(name): not a SQLite database (\(error))")
        }
        defer { try? queue.close() }
        let report: VerificationReport
        do {
            // Outside a transaction: a damaged file can fail even a read transaction's COMMIT.
            report = try queue.inDatabase { db in try runChecks(db) }
        } catch {
            throw OperatorError("\(name): refused, nothing was changed: it cannot be read as a database (\(error))")
        }
        guard report.isOK else {
            let faults = report.checks.filter { !$0.isOK }.flatMap { check in
                check.faults.prefix(10).map { "  \(check.name): \($0)" }
            }
            throw OperatorError("\(name): refused, nothing was changed:\n" + faults.joined(separator: "\n"))
        }

        /// The checks, each only once the ones before it passed.
        func runChecks(_ db: Database) throws -> VerificationReport {
            var report = VerificationReport(checks: [integrityCheck(db)])
            guard report.isOK else { return report }
            report.checks.append(migrationCheck(db))
            guard report.isOK else { return report }
            report.checks.append(foreignKeyCheck(db))
            let chained = try db.columns(in: "response").contains { $0.name == "chainHash" }
            if chained {
                let verification = check("response chain", db) { db in
                    let chain = try verifyChain(db)
                    report.chain = chain
                    return chainCheck(chain, expectedHead: nil)
                }
                report.checks.append(verification)
            }
            // A backup from before the chain has none to check: it is built when the restored database is opened.
            return report
        }
    }

    /// A sipas database, made by this release or an earlier one.
    static func migrationCheck(_ db: Database) -> IntegrityCheck {
        check("sipas schema", db) { db in
            guard try db.tableExists("grdb_migrations"), try db.tableExists("response") else {
                return IntegrityCheck(
                    name: "sipas schema", summary: "", faults: ["not a sipas database (no migrations or responses)"])
            }
            let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
            let unknown = applied.filter { !migrator.migrations.contains($0) }
            var faults = unknown.map {
                "migration '\($0)' is unknown to this release: the file comes from a newer sipas"
            }
            if let first = migrator.migrations.first, !applied.contains(first) {
                faults.append("not a sipas database (no '\(first)')")
            }
            return IntegrityCheck(name: "sipas schema", summary: "\(applied.count) migrations", faults: faults)
        }
    }

    /// Checks nobody has the database open, folds its write-ahead log into it, and renames it aside.
    /// Returns the name it was kept under, or nil when there was none.
    private static func setAside(_ target: String, now: Date) throws -> String? {
        guard FileManager.default.fileExists(atPath: target) else {
            // A stray log without its database must never be applied to the restored one.
            for suffix in ["-wal", "-shm", "-journal"] { unlink(target + suffix) }
            return nil
        }
        do {
            var configuration = Configuration()
            configuration.busyMode = .immediateError
            let current = try DatabaseQueue(path: target, configuration: configuration)
            try current.writeWithoutTransaction { db in
                // In WAL mode every open connection keeps a shared lock on the file; the exclusive lock
                // taken here fails at once if the server (or another command) has it open.
                try db.execute(sql: "PRAGMA locking_mode = EXCLUSIVE")
                try db.execute(sql: "BEGIN EXCLUSIVE")
                try db.execute(sql: "COMMIT")
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
            }
            try current.close()
        } catch let error as DatabaseError where [.SQLITE_BUSY, .SQLITE_LOCKED].contains(error.resultCode) {
            throw OperatorError(
                "\(target) is in use: stop the server (and any other sipas command) first, then restore again")
        } catch {
            // A damaged database is set aside as it is, with its log, which is what a restore is for.
        }
        let stamp = String(Timestamp.formatLocal(now).prefix(19)).filter { $0 != "-" && $0 != ":" }
        var kept = target + ".before-restore-" + stamp
        var attempt = 1
        while FileManager.default.fileExists(atPath: kept) {
            attempt += 1
            kept = target + ".before-restore-\(stamp)-\(attempt)"
        }
        guard rename(target, kept) == 0 else {
            throw OperatorError("\(target): cannot be set aside (\(String(cString: strerror(errno))))")
        }
        for suffix in ["-wal", "-shm", "-journal"] where FileManager.default.fileExists(atPath: target + suffix) {
            _ = rename(target + suffix, kept + suffix)
        }
        return (kept as NSString).lastPathComponent
    }

    // MARK: - Files

    /// Copies a file into a new file readable by its owner only.
    private static func copyPrivately(_ source: String, to destination: String) throws {
        guard let input = FileHandle(forReadingAtPath: source) else { throw OperatorError("\(source): cannot be read") }
        defer { try? input.close() }
        let descriptor = open(destination, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw OperatorError("\(destination): cannot be written (\(String(cString: strerror(errno))))")
        }
        let output = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty { try output.write(contentsOf: chunk) }
            try output.synchronize()
            try output.close()
        } catch {
            unlink(destination)
            throw OperatorError("\(source): cannot be copied (\(error))")
        }
    }

    /// Creates the directory a backup goes into when it does not exist yet (a new folder on a USB disk), with its
    /// parents; readable by the service account only, since backups hold comments.
    static func createDirectory(of path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        guard !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) else { return }
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw OperatorError("\(directory): cannot be created (\(error.localizedDescription))")
        }
    }

    /// Removes a database file and its companions.
    static func removeDatabaseFiles(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
    }

    /// Makes a rename durable: the directory entry is synced too.
    static func syncDirectory(of path: String) {
        let descriptor = open(
            (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent,
            O_RDONLY)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}
