import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Logging
import SipasDomain
import Testing

@testable import SipasServer

@Suite("Backup, restore, daily maintenance and retention")
struct BackupTests {
    /// Ids acknowledged (201) so far.
    actor Acknowledged {
        private(set) var ids: [String] = []
        func add(_ id: String) { ids.append(id) }
        var count: Int { ids.count }
    }

    /// Stores `count` responses through the app.
    static func store(_ count: Int, in env: TestEnvironment, configuration: AppConfiguration? = nil) async throws {
        let key = try env.deviceKey()
        try await env.withApp(configuration) { (client: any TestClientProtocol) async throws in
            for _ in 0..<count {
                #expect(
                    try await client.post(
                        "/v1/responses", key: key, json: sipasResponse(extra: #","comment":"Nhanh gọn""#)
                    ).status == .created)
            }
        }
    }

    static func file(_ env: TestEnvironment, _ name: String) -> String {
        (env.directory as NSString).appendingPathComponent(name)
    }

    /// A fresh data directory (removed by the caller), holding a database that is closed again.
    static func closedDataDirectory() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sipas-restore-\(UUID().uuidString)"
        ).path
        _ = try DataDirectory.openDatabase(directory)
        return directory
    }

    // MARK: - Backup

    @Test("a backup taken while responses keep arriving holds every one acknowledged before it started, and is intact")
    func backupWhileWriting() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey()
        var configuration = env.configuration
        configuration.deviceRate = 0
        configuration.addressRate = 0
        let copy = Self.file(env, "copy.sqlite")
        let acknowledged = Acknowledged()
        try await env.withApp(configuration) { (client: any TestClientProtocol) async throws in
            let writing = Task {
                for _ in 0..<3_000 where !Task.isCancelled {
                    let id = UUID().uuidString.lowercased()
                    if try await client.post("/v1/responses", key: key, json: sipasResponse(id: id)).status == .created
                    {
                        await acknowledged.add(id)
                    }
                }
            }
            try await waitUntil("50 acknowledged responses") { await acknowledged.count >= 50 }
            let before = await acknowledged.ids
            // The backup blocks its thread, so it runs off the test's; the app keeps taking responses.
            let summary = try await Task.detached { try env.database.backup(to: copy, actor: "cli") }.value
            writing.cancel()
            _ = try? await writing.value
            let all = await acknowledged.ids

            let queue = try DatabaseQueue(path: copy)
            let stored = try await queue.read { db in Set(try String.fetchAll(db, sql: "SELECT id FROM response")) }
            #expect(Set(before).isSubset(of: stored))
            #expect(stored.isSubset(of: Set(all)))
            #expect(summary.chain.count == stored.count)
            try await queue.read { (db: Database) throws in
                #expect(try String.fetchAll(db, sql: "PRAGMA integrity_check") == ["ok"])
                let report = SQLiteDatabase.verify(db)
                #expect(report.isOK, "\(report.checks.flatMap(\.faults))")
                #expect(try String.fetchOne(db, sql: "PRAGMA journal_mode") == "delete")
            }
        }
        let permissions = try FileManager.default.attributesOfItem(atPath: copy)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        #expect(try await env.database.auditEntries().first { $0.action == "backup" }?.detail.contains(copy) == true)
        #expect(throws: OperatorError.self) { try env.database.backup(to: copy, actor: "cli") }
    }

    @Test("a backup into a directory that does not exist yet creates it, readable by the service account only")
    func backupCreatesDirectory() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        try await Self.store(1, in: env)
        let directory = Self.file(env, "usb/sipas-backups")
        let summary = try env.database.backup(
            to: (directory as NSString).appendingPathComponent("before-upgrade.sqlite"), actor: "cli")
        #expect(summary.chain.count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["before-upgrade.sqlite"])
        #expect(try FileManager.default.attributesOfItem(atPath: directory)[.posixPermissions] as? Int == 0o700)
    }

    // MARK: - Restore

    @Test("restore puts a backup in place, keeps the previous database aside and records it")
    func restoreRoundTrip() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        try await Self.store(3, in: env)
        let backup = Self.file(env, "backup.sqlite")
        let original = try env.database.backup(to: backup, actor: "cli").chain
        let target = try Self.closedDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: target) }

        let summary = try SQLiteDatabase.restore(from: backup, dataDirectory: target, now: TestEnvironment.now)
        #expect(summary.chain == original)
        #expect(summary.previous == "sipas.sqlite.before-restore-20241129T100000")
        #expect(
            FileManager.default.fileExists(atPath: (target as NSString).appendingPathComponent(summary.previous ?? "?"))
        )
        // Opened as the next start opens it: the restore runs with the server stopped.
        let restored = try DataDirectory.openDatabase(target)
        #expect(try await restored.chainHead() == original)
        #expect(try restored.verify().isOK)
        let entry = try #require(try await restored.auditEntries().first)
        #expect(entry.action == "restore" && entry.actor == "cli" && entry.detail.contains(original.head))
    }

    @Test("restore refuses a file that is not SQLite, not sipas, damaged or with a broken chain, and changes nothing")
    func restoreRefuses() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        try await Self.store(3, in: env)
        let backup = Self.file(env, "backup.sqlite")
        _ = try env.database.backup(to: backup, actor: "cli")

        let text = Self.file(env, "notes.sqlite")
        try "Báo cáo tháng 11".write(toFile: text, atomically: true, encoding: .utf8)
        let foreign = Self.file(env, "foreign.sqlite")
        try await DatabaseQueue(path: foreign).write { db in
            try db.execute(sql: "CREATE TABLE hoso (id INTEGER PRIMARY KEY)")
        }
        let damaged = Self.file(env, "damaged.sqlite")
        try Self.damage(copyOf: backup, into: damaged)
        let edited = Self.file(env, "edited.sqlite")
        try FileManager.default.copyItem(atPath: backup, toPath: edited)
        try await DatabaseQueue(path: edited).write { db in
            try db.execute(sql: "UPDATE response_answer SET value = 1 WHERE item = 'a1'")
        }

        let target = try Self.closedDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: target) }
        for (file, reason) in [
            (text, "not a SQLite database"), (foreign, "not a sipas database"), (damaged, "integrity_check"),
            (edited, "response chain"),
        ] {
            do {
                _ = try SQLiteDatabase.restore(from: file, dataDirectory: target)
                Issue.record("\(file) was restored")
            } catch let error as OperatorError {
                #expect(error.description.contains(reason), "\(error)")
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: target).sorted() == ["sipas.sqlite"])
        // Opened as the next start opens it: the refused restores ran with the server stopped.
        #expect(try await DataDirectory.openDatabase(target).responseCount() == 0)
    }

    @Test("restore refuses while the database is open (the server must be stopped)")
    func restoreRefusesWhileOpen() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let backup = Self.file(env, "backup.sqlite")
        _ = try env.database.backup(to: backup, actor: "cli")
        let target = try Self.closedDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: target) }
        let running = try DataDirectory.openDatabase(target)
        try withExtendedLifetime(running) {
            #expect(try running.responseCount() == 0)
            do {
                _ = try SQLiteDatabase.restore(from: backup, dataDirectory: target)
                Issue.record("restored under a running server")
            } catch let error as OperatorError {
                #expect(error.description.contains("stop the server"))
            }
        }
        #expect(
            !(try FileManager.default.contentsOfDirectory(atPath: target).contains { $0.contains("before-restore") }))
    }

    /// Overwrites the page holding the responses' table with garbage.
    static func damage(copyOf source: String, into path: String) throws {
        try FileManager.default.copyItem(atPath: source, toPath: path)
        let (pageSize, root) = try DatabaseQueue(path: path).read { db in
            (
                try Int.fetchOne(db, sql: "PRAGMA page_size")!,
                try Int.fetchOne(db, sql: "SELECT rootpage FROM sqlite_master WHERE name = 'response'")!
            )
        }
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.seek(toOffset: UInt64((root - 1) * pageSize))
        try handle.write(contentsOf: Data(repeating: 0x5A, count: pageSize))
        try handle.close()
    }

    // MARK: - Daily maintenance and retention

    @Test(
        "comments older than the retention period are erased, the rest stays, the chain verifies, the erasure is audited"
    )
    func retention() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey()
        // The app's own maintenance would erase at start: here the erasure is called by hand.
        var keepComments = env.configuration
        keepComments.commentRetentionDays = 0
        var lastYear = keepComments
        lastYear.now = { Timestamp.parse("2023-06-01T10:00:00+07:00")! }
        try await env.withApp(lastYear) { (client: any TestClientProtocol) async throws in
            for comment in ["Phòng chờ nóng", nil, "Cán bộ nhiệt tình"] {
                let body =
                    #"{"id":"\#(UUID().uuidString)","survey":"sipas","surveyVersion":1,"unit":"30172","channel":"desk","#
                    + #""answers":{"a1":4},"submittedAt":"2023-06-01T09:00:00+07:00""#
                    + (comment.map { #","comment":"\#($0)"}"# } ?? "}")
                #expect(try await client.post("/v1/responses", key: key, json: body).status == .created)
            }
        }
        try await Self.store(1, in: env, configuration: keepComments)

        let erased = try env.database.eraseComments(olderThanDays: 365, now: TestEnvironment.now)
        #expect(erased.count == 2)
        let rows = try env.database.writer.read { (db: Database) throws in
            try Row.fetchAll(db, sql: "SELECT comment, commentSalt, commentDigest FROM response ORDER BY seq")
        }
        #expect(rows.map { $0["comment"] as String? } == [nil, nil, nil, "Nhanh gọn"])
        #expect(rows.map { $0["commentDigest"] as String? != nil } == [true, false, true, true])
        #expect(rows.prefix(3).allSatisfy { ($0["commentSalt"] as String?) == nil })
        #expect(try env.database.verify().isOK)
        #expect(try await env.database.responseCount() == 4)

        let erasures = { try env.database.auditEntries().filter { $0.action == "comments.erase" } }
        let entry = try #require(try erasures().first)
        #expect(entry.actor == "server")
        #expect(entry.detail.contains("count 2,") && entry.detail.contains("2023-11-30"))
        #expect(!entry.detail.contains("Phòng chờ"))
        // Nothing left to erase: no second entry.
        #expect(try env.database.eraseComments(olderThanDays: 365, now: TestEnvironment.now).count == 0)
        #expect(try erasures().count == 1)
        #expect(
            try env.database.eraseComments(olderThanDays: 0, now: TestEnvironment.now.addingTimeInterval(1e9)).count
                == 0)
    }

    @Test("the daily run writes sipas-YYYY-MM-DD.sqlite and keeps only the newest backupKeep of them")
    func dailyBackup() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        try await Self.store(2, in: env)
        var configuration = env.configuration
        configuration.backupKeep = 2
        let directory = configuration.resolvedBackupDirectory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for name in ["sipas-2024-11-01.sqlite", "sipas-2024-11-27.sqlite", "sipas-latest.sqlite", "notes.txt"] {
            _ = FileManager.default.createFile(
                atPath: (directory as NSString).appendingPathComponent(name), contents: Data())
        }
        let service = makeMaintenanceService(
            database: env.database, configuration: configuration, logger: Logger(label: "test"))
        await service.runDaily(now: TestEnvironment.now)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == [
                "notes.txt", "sipas-2024-11-27.sqlite", "sipas-2024-11-29.sqlite", "sipas-latest.sqlite",
            ])
        let copy = try DatabaseQueue(path: (directory as NSString).appendingPathComponent("sipas-2024-11-29.sqlite"))
        let (verified, count) = try await copy.read { (db: Database) throws in
            (SQLiteDatabase.verify(db).isOK, try Int.fetchOne(db, sql: "SELECT count(*) FROM response"))
        }
        #expect(verified && count == 2)
        let entry = try #require(try await env.database.auditEntries().first { $0.action == "backup" })
        #expect(entry.actor == "server" && entry.detail.contains("sipas-2024-11-29.sqlite: 2 responses"))
        // The same day again replaces that day's file.
        await service.runDaily(now: TestEnvironment.now.addingTimeInterval(60))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory).filter(MaintenanceService.isDailyBackup)
                .count == 2)
    }

    @Test(
        "the day's work runs at backupHour, Vietnam time",
        arguments: [
            Named("after the hour: tomorrow", ("2024-11-29T10:00:00+07:00", "2024-11-30T02:00:00+07:00")),
            Named("a minute before: today", ("2024-11-29T01:59:00+07:00", "2024-11-29T02:00:00+07:00")),
            Named("on the hour: tomorrow", ("2024-11-29T02:00:00+07:00", "2024-11-30T02:00:00+07:00")),
            Named(
                "03:00 on 1/1 in Vietnam, written in UTC: 2/1", ("2024-12-31T20:00:00Z", "2025-01-02T02:00:00+07:00")),
        ] as [Named<(String, String)>])
    func schedule(_ example: Named<(String, String)>) {
        let (now, next) = example.value
        #expect(MaintenanceService.nextRun(after: Timestamp.parse(now)!, hour: 2) == Timestamp.parse(next)!)
    }

    @Test(
        "the last scheduled run: today's backupHour once passed, else yesterday's",
        arguments: [
            Named("after the hour: today's", ("2024-11-29T10:00:00+07:00", "2024-11-29T02:00:00+07:00")),
            Named("a minute before: yesterday's", ("2024-11-29T01:59:00+07:00", "2024-11-28T02:00:00+07:00")),
            Named("on the hour: today's", ("2024-11-29T02:00:00+07:00", "2024-11-29T02:00:00+07:00")),
        ] as [Named<(String, String)>])
    func lastRun(_ example: Named<(String, String)>) {
        let (now, last) = example.value
        #expect(MaintenanceService.lastRun(atOrBefore: Timestamp.parse(now)!, hour: 2) == Timestamp.parse(last)!)
    }

    @Test(
        "a daily backup missed while the server was down is taken at start; a backup of the day or later means none",
        arguments: [
            Named(
                "back at 10:00 on 29/11 after two days down: 02:00 on 29/11 was missed",
                ("2024-11-29T10:00:00+07:00", ["sipas-2024-11-27.sqlite"], true)),
            Named(
                "back at 01:00: the last run due, 02:00 on 28/11, left its backup",
                ("2024-11-29T01:00:00+07:00", ["sipas-2024-11-28.sqlite"], false)),
            Named("the day's backup is there", ("2024-11-29T10:00:00+07:00", ["sipas-2024-11-29.sqlite"], false)),
            Named(
                "a first start takes one; an operator's own file is no daily backup",
                ("2024-11-29T10:00:00+07:00", ["before-upgrade.sqlite"], true)),
        ] as [Named<(String, [String], Bool)>])
    func missedBackupAtStart(_ example: Named<(String, [String], Bool)>) async throws {
        let (now, files, taken) = example.value
        let env = try TestEnvironment()
        defer { env.remove() }
        var configuration = env.configuration
        configuration.backupKeep = 14
        let moved = Timestamp.parse(now)!
        configuration.now = { moved }
        let directory = configuration.resolvedBackupDirectory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for name in files {
            _ = FileManager.default.createFile(
                atPath: (directory as NSString).appendingPathComponent(name), contents: Data())
        }
        let service = makeMaintenanceService(
            database: env.database, configuration: configuration, logger: Logger(label: "test"))
        #expect(await service.catchUpMissedBackup(now: moved) == taken)
        let expected = taken ? Set(files + ["sipas-\(LocalDate(moved)).sqlite"]) : Set(files)
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: directory)) == expected)
        var off = configuration
        off.backupKeep = 0
        #expect(
            await makeMaintenanceService(database: env.database, configuration: off, logger: Logger(label: "test"))
                .catchUpMissedBackup(now: moved) == false)
    }

    @Test("the running service takes the missed backup at start")
    func missedBackupThroughRun() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        var configuration = env.configuration
        configuration.backupKeep = 14
        configuration.now = { TestEnvironment.now.addingTimeInterval(3 * 86_400) }
        let service = makeMaintenanceService(
            database: env.database, configuration: configuration, logger: Logger(label: "test"))
        let running = Task { try await service.run() }
        let file = (configuration.resolvedBackupDirectory as NSString).appendingPathComponent("sipas-2024-12-02.sqlite")
        try await waitUntil("the backup taken at start") { FileManager.default.fileExists(atPath: file) }
        running.cancel()
        try await running.value
        #expect(FileManager.default.fileExists(atPath: file))
        #expect(try await env.database.auditEntries().contains { $0.action == "backup" && $0.actor == "server" })
    }

    @Test("retention runs once at start; the service ends when cancelled")
    func retentionAtStart() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        var configuration = env.configuration
        configuration.commentRetentionDays = 1
        try await Self.store(1, in: env)
        configuration.now = { TestEnvironment.now.addingTimeInterval(3 * 86_400) }
        let service = makeMaintenanceService(
            database: env.database, configuration: configuration, logger: Logger(label: "test"))
        let running = Task { try await service.run() }
        let erasures = { try env.database.auditEntries().filter { $0.action == "comments.erase" } }
        try await waitUntil("a comment erasure") { try !erasures().isEmpty }
        running.cancel()
        try await running.value
        #expect(try erasures().first?.detail.hasPrefix("count 1,") == true)
    }
}
