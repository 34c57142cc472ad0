import ArgumentParser
import Foundation
import SipasServer

/// `sipas doctor`: checks a deployment, one line per finding, with what to do; exits with 1 when one needs action.
struct Doctor: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a deployment: certificate, clock, disk space, backups, holiday calendar, database settings.",
        discussion: """
            Reads the settings as sipas serve does (--config or SIPAS_CONFIG, SIPAS_… variables, then these \
            options) and prints one line per finding: ok, warning, ACTION or skipped, and what to do. Changes \
            nothing. Exits with code 1 when any finding needs action (warnings alone exit with 0).
            """)

    @Option(name: Settings.config.name, help: Settings.config.help("As for sipas serve.", sources: true))
    var config: String?
    @Option(name: Settings.dataDir.name, help: Settings.dataDir.help(sources: true)) var dataDir: String?
    @Option(name: Settings.database.name, help: Settings.database.help(sources: true)) var database: String?
    @Option(name: Settings.databasePasswordFile.name, help: Settings.databasePasswordFile.help(sources: true))
    var databasePasswordFile: String?
    @Option(
        name: Settings.publicURL.name,
        help: Settings.publicURL.help("Its host must be on the certificate.", sources: true))
    var publicURL: String?
    // Not the setting tls.cert: the doctor checks a certificate without its key, so it is put in place after reading.
    @Option(
        name: Settings.tlsCert.name,
        help: "The PEM certificate chain sipas serve presents (default: the data directory's tls-cert.pem).")
    var tlsCert: String?
    @Option(name: Settings.calendarDir.name, help: Settings.calendarDir.help(sources: true)) var calendarDir: String?
    @Option(name: Settings.backupDirectory.name, help: Settings.backupDirectory.help(sources: true))
    var backupDir: String?
    @Option(
        name: .customLong("ntp-server"),
        help: "NTP server to compare the clock with, host or host:port ('none' skips the check).")
    var ntpServer = "pool.ntp.org"

    func validate() throws {
        if ntpServer != "none" && SNTPClient(server: ntpServer) == nil {
            throw ValidationError("--ntp-server must be a host or host:port, or none")
        }
    }

    /// The settings of `sipas serve`, read as it reads them, with this command's options first.
    func settings() throws -> AppConfiguration {
        var flags = SettingFlags()
        flags.set(Settings.config, config)
        flags.set(Settings.dataDir, dataDir)
        flags.set(Settings.database, database)
        flags.set(Settings.databasePasswordFile, databasePasswordFile)
        flags.set(Settings.publicURL, publicURL)
        flags.set(Settings.calendarDir, calendarDir)
        flags.set(Settings.backupDirectory, backupDir)
        var configuration = try Assembly.settings(flags).configuration
        // Only the certificate is read here; its key stays the configured one (or none).
        if let tlsCert {
            if case .files(_, let key) = configuration.tls {
                configuration.tls = .files(certificate: tlsCert, key: key)
            } else {
                configuration.tls = .files(certificate: tlsCert, key: "")
            }
        }
        return configuration
    }

    func run() throws {
        let configuration = try settings()
        for warning in configuration.warnings { printError(warning) }
        let doctor = DeploymentDoctor(
            configuration: configuration, ntp: ntpServer == "none" ? nil : SNTPClient(server: ntpServer))
        let checks = doctor.run(now: Date())
        for line in DeploymentDoctor.report(checks) { print(line) }
        if DeploymentDoctor.needsAction(checks) { throw ExitCode.failure }
    }
}
