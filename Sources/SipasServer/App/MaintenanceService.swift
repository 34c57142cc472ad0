import Foundation
import Logging
import ServiceLifecycle
import SipasDomain

/// The scheduled work of a running server (`sipas serve`): each day at `backupHour`, Vietnam time, a backup
/// `sipas-YYYY-MM-DD.sqlite` into the backup directory, keeping the newest `backupKeep`, then comment
/// retention. Retention also runs once at start, so a server restarted daily still erases on time, and so does a
/// backup missed while the server was down (its scheduled time passed with no backup of that day or later).
///
/// A failure is logged and retried the next day; it never stops the server.
struct MaintenanceService: Service {
    let database: AppDatabase
    let configuration: AppConfiguration
    let logger: Logger

    func run() async throws {
        await catchUpMissedBackup(now: configuration.now())
        await eraseOldComments(now: configuration.now())
        while !Task.isShuttingDownGracefully {
            let now = configuration.now()
            let next = Self.nextRun(after: now, hour: configuration.backupHour)
            do {
                try await cancelWhenGracefulShutdown {
                    try await Task.sleep(for: .seconds(next.timeIntervalSince(now)))
                }
            } catch {
                return  // shutting down
            }
            await runDaily(now: configuration.now())
        }
    }

    /// The day's work: the backup, then retention.
    func runDaily(now: Date) async {
        if configuration.backupKeep > 0 { await dailyBackup(now: now) }
        await eraseOldComments(now: now)
    }

    /// At start: the daily backup, when the last scheduled one was missed (the server was down at `backupHour`, or
    /// has never run one). A server stopped over a weekend would otherwise leave the days before unsaved until the
    /// next night. Returns whether it took one.
    @discardableResult
    func catchUpMissedBackup(now: Date) async -> Bool {
        guard configuration.backupKeep > 0 else { return false }
        let scheduled = Self.lastRun(atOrBefore: now, hour: configuration.backupHour)
        let newest = Self.newestDailyBackup(in: configuration.resolvedBackupDirectory)
        if let newest, newest >= LocalDate(scheduled) { return false }
        if let newest {
            logger.notice(
                "the daily backup was missed while the server was down; taking it now",
                metadata: ["due": "\(Timestamp.formatLocal(scheduled))", "newest": "sipas-\(newest).sqlite"])
        } else {
            logger.notice(
                "no daily backup yet; taking the first now",
                metadata: ["directory": "\(configuration.resolvedBackupDirectory)"])
        }
        await dailyBackup(now: now)
        return true
    }

    /// Writes the day's backup, logging the outcome; a failure is retried at the next scheduled run.
    private func dailyBackup(now: Date) async {
        do {
            let summary = try await backUp(now: now)
            logger.notice(
                "daily backup written",
                metadata: [
                    "file": "\(summary.path)", "responses": "\(summary.chain.count)", "head": "\(summary.chain.head)",
                ])
        } catch {
            logger.error(
                "daily backup failed",
                metadata: ["directory": "\(configuration.resolvedBackupDirectory)", "error": "\(error)"])
        }
    }

    /// Writes today's backup (Vietnam date) and removes all but the newest `backupKeep`.
    func backUp(now: Date) async throws -> BackupSummary {
        let directory = configuration.resolvedBackupDirectory
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let path = (directory as NSString).appendingPathComponent("sipas-\(LocalDate(now)).sqlite")
        let summary = try await database.backup(to: path, actor: AuditActor.server, replacing: true, now: now)
        // Only files of this very pattern are ever removed, never an operator's other files.
        let backups = try FileManager.default.contentsOfDirectory(atPath: directory).filter(Self.isDailyBackup).sorted(
            by: >)
        for old in backups.dropFirst(configuration.backupKeep) {
            try FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(old))
            logger.info("old daily backup removed", metadata: ["file": "\(old)"])
        }
        return summary
    }

    /// Comment retention; each erasure is logged (never the text) and audited with it.
    func eraseOldComments(now: Date) async {
        guard configuration.commentRetentionDays > 0 else { return }
        do {
            let erased = try await database.eraseComments(
                olderThanDays: configuration.commentRetentionDays, now: now, actor: AuditActor.server)
            if erased.count > 0 {
                logger.notice(
                    "comments erased by retention",
                    metadata: ["count": "\(erased.count)", "receivedBefore": "\(Timestamp.format(erased.cutoff))"])
            }
        } catch {
            logger.error("comment retention failed", metadata: ["error": "\(error)"])
        }
    }

    /// The next time the day's work runs: `hour` o'clock, Vietnam time, strictly after `now`.
    static func nextRun(after now: Date, hour: Int) -> Date {
        let today = LocalDate(now).startOfDay.addingTimeInterval(Double(min(max(hour, 0), 23)) * 3600)
        return today > now ? today : today.addingTimeInterval(24 * 3600)  // Vietnam keeps no daylight saving
    }

    /// The last time the day's work was due: `hour` o'clock today if it has passed (or is now), else yesterday's.
    static func lastRun(atOrBefore now: Date, hour: Int) -> Date {
        nextRun(after: now, hour: hour).addingTimeInterval(-24 * 3600)
    }

    /// The date in the name of the newest daily backup in `directory`; nil when there is none. The name, not the
    /// file's time, since a copy brought back from elsewhere keeps its name but not always its time.
    static func newestDailyBackup(in directory: String) -> LocalDate? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter(isDailyBackup).compactMap { LocalDate(String($0.dropFirst(6).prefix(10))) }.max()
    }

    /// `sipas-2024-11-29.sqlite`.
    static func isDailyBackup(_ name: String) -> Bool {
        name.count == "sipas-2024-11-29.sqlite".count && name.hasPrefix("sipas-") && name.hasSuffix(".sqlite")
            && LocalDate(String(name.dropFirst(6).prefix(10))) != nil
    }
}

/// The maintenance service of `buildApplication`, on the same database as the routes.
func makeMaintenanceService(database: AppDatabase, configuration: AppConfiguration, logger: Logger)
    -> MaintenanceService
{
    MaintenanceService(database: database, configuration: configuration, logger: logger)
}
