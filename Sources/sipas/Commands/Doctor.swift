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

    @Option(help: "Configuration file (JSON), as for sipas serve. Also SIPAS_CONFIG.") var config: String?
    @Option(name: .customLong("data-dir"), help: "Data directory holding sipas.sqlite (default ./data).") var dataDir:
        String?
    @Option(
        name: .customLong("public-url"),
        help: "The address printed in survey links; its host must be on the certificate.")
    var publicURL: String?
    @Option(
        name: .customLong("tls-cert"),
        help: "The PEM certificate chain sipas serve presents (default: the data directory's tls-cert.pem).")
    var tlsCert: String?
    @Option(
        name: .customLong("calendar-dir"),
        help: "Holiday files, one a year, and rules.json (default ./Deploy/calendar).")
    var calendarDir: String?
    @Option(
        name: .customLong("backup-dir"),
        help: "Directory of the daily backups (default: backups in the data directory).")
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

    /// The settings of `sipas serve`, through the same `Settings` checks, with this command's options on top.
    func settings() throws -> AppConfiguration {
        var configuration = AppConfiguration()
        let environment = ProcessInfo.processInfo.environment
        var options: [Settings.Option] = []
        func option(_ key: String, _ flag: String, _ value: String?) {
            if let value { options.append(.init(key: key, flag: flag, value: value)) }
        }
        option("dataDir", "--data-dir", dataDir)
        option("publicURL", "--public-url", publicURL)
        option("calendarDir", "--calendar-dir", calendarDir)
        option("backup.directory", "--backup-dir", backupDir)
        try Settings.apply(
            file: config ?? environment["SIPAS_CONFIG"], environment: environment, options: options, to: &configuration)
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
        let configuration = try reportingOperatorErrors { try settings() }
        for warning in configuration.warnings { printError(warning) }
        let doctor = DeploymentDoctor(
            configuration: configuration, ntp: ntpServer == "none" ? nil : SNTPClient(server: ntpServer))
        let checks = doctor.run(now: Date())
        for line in DeploymentDoctor.report(checks) { print(line) }
        if DeploymentDoctor.needsAction(checks) { throw ExitCode.failure }
    }
}
