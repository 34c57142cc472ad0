import Foundation
import SipasDomain

// MARK: - The newest daily backup

extension DeploymentDoctor {
    /// A newest daily backup older than this many days means the daily backup has stopped: a day or two is a
    /// server stopped over a weekend (the start catches the missed one up), more is a backup failing.
    static let backupActionDays = 2

    /// The newest `sipas-YYYY-MM-DD.sqlite` in the backup directory, by the date in its name.
    func backupCheck(now: Date) -> DeploymentCheck {
        let directory = configuration.resolvedBackupDirectory
        guard configuration.backupKeep > 0 else {
            return DeploymentCheck(
                "backups", .warning, "daily backups are off (backup.keep 0)",
                fix: "set backup.keep (14 by default), or make and copy backups another way (sipas backup FILE)")
        }
        let hour = String(format: "%02d:00", configuration.backupHour)
        guard let newest = MaintenanceService.newestDailyBackup(in: directory) else {
            return DeploymentCheck(
                "backups", .action, "no daily backup in \(directory)",
                fix:
                    "sipas serve writes one at start and every day at \(hour); is it running? (systemctl status sipas; journalctl -u sipas -p err)"
            )
        }
        let age = Int((LocalDate(now).startOfDay.timeIntervalSince(newest.startOfDay) / 86_400).rounded())
        let name = "sipas-\(newest).sqlite"
        let old = age == 0 ? "today's" : "\(age) day\(age == 1 ? "" : "s") old"
        guard age <= Self.backupActionDays else {
            return DeploymentCheck(
                "backups", .action, "newest daily backup \(name) in \(directory) is \(old)",
                fix:
                    "is sipas serve running? a failed backup is logged: journalctl -u sipas -p err; meanwhile sipas backup FILE"
            )
        }
        return DeploymentCheck(
            "backups", .ok,
            "newest daily backup \(name) in \(directory), \(old); copy the backups off this machine weekly")
    }
}
