import Foundation

/// `sipas doctor`: checks a deployment with the settings `sipas serve` reads (the certificate against the public
/// URL, the clock, the free disk, the backups, the holiday calendar, the database's durability settings) and
/// says, for each finding, what to do. It changes nothing: it creates no database, no certificate, no backup.
public struct DeploymentDoctor: Sendable {
    /// The settings, read as `sipas serve` reads them.
    public let configuration: AppConfiguration
    /// Where to ask the time; nil skips the clock check.
    public let ntp: SNTPClient?

    public init(configuration: AppConfiguration, ntp: SNTPClient?) {
        self.configuration = configuration
        self.ntp = ntp
    }

    /// Every finding, the database first: when it is missing, the data directory is likely wrong and the rest
    /// reads in that light.
    /// - Parameter now: the date the backups, certificates and calendar are judged at (the clock check asks the
    ///   system clock itself, since that is what it measures).
    public func run(now: Date) -> [DeploymentCheck] {
        [databaseCheck(), diskSpaceCheck(), backupCheck(now: now)] + certificateChecks(now: now)
            + [clockCheck(), calendarCheck(now: now)]
    }

    /// The findings as lines, the names in one column.
    public static func report(_ checks: [DeploymentCheck]) -> [String] {
        let width = checks.map(\.name.count).max() ?? 0
        return checks.map { $0.line(nameWidth: width) }
    }

    /// Whether any finding needs the operator (the command then exits with 1; warnings alone do not).
    public static func needsAction(_ checks: [DeploymentCheck]) -> Bool {
        checks.contains { $0.status == .action }
    }
}
