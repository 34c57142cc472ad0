import ArgumentParser
import Foundation
import Hummingbird
import SipasServer

/// `sipas serve`: HTTPS on 127.0.0.1:8443 with a certificate from the office's own authority (made in the data
/// directory), data in ./data, surveys from ./Surveys.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Run the server (HTTPS with a certificate from the office's own authority unless --tls-cert is given).")

    @Option(name: Settings.config.name, help: Settings.config.help(sources: true)) var config: String?
    @Option(name: Settings.host.name, help: Settings.host.help(sources: true)) var host: String?
    @Option(name: Settings.port.name, help: Settings.port.help(sources: true)) var port: Int?
    @Option(name: Settings.dataDir.name, help: Settings.dataDir.help(sources: true)) var dataDir: String?
    @Option(name: Settings.database.name, help: Settings.database.help(sources: true)) var database: String?
    @Option(name: Settings.databasePasswordFile.name, help: Settings.databasePasswordFile.help(sources: true))
    var databasePasswordFile: String?
    @Option(name: Settings.surveysDir.name, help: Settings.surveysDir.help(sources: true)) var surveysDir: String?
    @Option(name: Settings.calendarDir.name, help: Settings.calendarDir.help(sources: true)) var calendarDir: String?
    @Option(name: Settings.scoringDir.name, help: Settings.scoringDir.help(sources: true)) var scoringDir: String?
    @Option(name: Settings.tlsCert.name, help: Settings.tlsCert.help(sources: true)) var tlsCert: String?
    @Option(name: Settings.tlsKey.name, help: Settings.tlsKey.help(sources: true)) var tlsKey: String?
    @Option(name: Settings.tlsNames.name, help: Settings.tlsNames.help(sources: true)) var tlsName: [String] = []
    @Flag(name: Settings.tlsInsecureHTTP.name, help: Settings.tlsInsecureHTTP.help(sources: true))
    var insecureHTTP = false
    @Flag(
        help:
            "Run on a separate demo data directory (./demo-data) seeded with sample data, and print the dashboard link."
    )
    var demo = false
    @Option(name: Settings.webDir.name, help: Settings.webDir.help(sources: true)) var webDir: String?
    @Option(name: Settings.publicURL.name, help: Settings.publicURL.help(sources: true)) var publicURL: String?
    @Option(name: Settings.ticketDays.name, help: Settings.ticketDays.help(sources: true)) var ticketDays: Int?
    @Option(name: Settings.deviceRate.name, help: Settings.deviceRate.help(sources: true)) var deviceRate: Double?
    @Option(name: Settings.addressRate.name, help: Settings.addressRate.help(sources: true)) var addressRate: Double?
    @Option(name: Settings.writeQueue.name, help: Settings.writeQueue.help(sources: true)) var writeQueue: Int?

    /// Only what concerns the options among themselves; every value is checked by `Settings`, as in the file.
    func validate() throws {
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
        if insecureHTTP && tlsCert != nil { throw ValidationError("--insecure-http and --tls-cert exclude each other") }
        if !tlsName.isEmpty && (insecureHTTP || tlsCert != nil) {
            throw ValidationError(
                "--tls-name names the office authority's certificate; it does not go with --tls-cert or --insecure-http"
            )
        }
    }

    /// The settings: these options, then the SIPAS_… variables, then the configuration file, each setting through the
    /// one check its declaration makes of it; the parts are made from them as the tests and every command make theirs.
    func assembly() throws -> Assembly {
        var flags = SettingFlags()
        flags.set(Settings.config, config)
        flags.set(Settings.host, host)
        flags.set(Settings.port, port)
        // The demo runs on a data directory of its own, unless one is given here.
        flags.set(Settings.dataDir, dataDir ?? (demo ? "demo-data" : nil))
        flags.set(Settings.database, database)
        flags.set(Settings.databasePasswordFile, databasePasswordFile)
        flags.set(Settings.surveysDir, surveysDir)
        flags.set(Settings.calendarDir, calendarDir)
        flags.set(Settings.scoringDir, scoringDir)
        flags.set(Settings.tlsCert, tlsCert)
        flags.set(Settings.tlsKey, tlsKey)
        flags.set(Settings.tlsNames, tlsName.isEmpty ? nil : tlsName)
        flags.set(Settings.tlsInsecureHTTP, insecureHTTP ? true : nil)
        flags.set(Settings.webDir, webDir)
        flags.set(Settings.publicURL, publicURL)
        flags.set(Settings.ticketDays, ticketDays)
        flags.set(Settings.deviceRate, deviceRate)
        flags.set(Settings.addressRate, addressRate)
        flags.set(Settings.writeQueue, writeQueue)
        return try Assembly.settings(flags)
    }

    func run() async throws {
        let assembly = try self.assembly()
        let configuration = assembly.configuration
        let app: any ApplicationProtocol
        do {
            if demo {
                print("preparing the demo data in \(configuration.dataDirectory)…")
                let token = try await DemoSetup.prepare(
                    dataDirectory: configuration.dataDirectory, surveysDirectory: configuration.surveysDirectory,
                    sampleDirectory: "Deploy/sample", reference: try assembly.loadReference())
                // Written straight to standard output: print() is buffered when the output is a file or pipe.
                FileHandle.standardOutput.write(
                    Data(
                        """

                        Demo dashboard: \(configuration.baseURL.replacingOccurrences(of: "127.0.0.1", with: "localhost"))/dashboard?unit=875&year=\(DemoSetup.year)
                        Sign in with the demo official's token (Huyện Lấp Vò):
                        \(token)
                        (the browser warns once about the certificate: accept it, or install the office authority
                        as \(configuration.baseURL.replacingOccurrences(of: "127.0.0.1", with: "localhost"))/tls explains)

                        """.utf8))
            }
            app = try await buildApplication(configuration)
        } catch let error as OperatorError {
            printError(error.description)
            throw ExitCode.failure
        }
        // runService stops gracefully on SIGINT and SIGTERM: open requests finish, then the database closes.
        try await app.runService()
        app.logger.notice("sipas stopped")
    }
}
