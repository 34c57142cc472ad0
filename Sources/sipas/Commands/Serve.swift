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

    @Option(help: "Configuration file (JSON; see Deploy/sipas.json.example). Also SIPAS_CONFIG.") var config: String?
    @Option(help: "Address to listen on (default 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (default 8443).") var port: Int?
    @Option(name: .customLong("data-dir"), help: "Data directory holding sipas.sqlite (default ./data).") var dataDir:
        String?
    @Option(name: .customLong("surveys-dir"), help: "Directory of survey definition files (default ./Surveys).")
    var surveysDir: String?
    @Option(
        name: .customLong("calendar-dir"),
        help: "Holiday files, one a year, and rules.json (default ./Deploy/calendar).")
    var calendarDir: String?
    @Option(name: .customLong("scoring-dir"), help: "Scoring rule sets (default ./Deploy/scoring).") var scoringDir:
        String?
    @Option(
        name: .customLong("tls-cert"), help: "PEM certificate chain to serve instead of one from the office authority.")
    var tlsCert: String?
    @Option(name: .customLong("tls-key"), help: "PEM private key of --tls-cert.") var tlsKey: String?
    @Option(
        name: .customLong("tls-name"),
        help: """
            A DNS name or IP address tablets use to reach the server, for the office authority's certificate \
            (repeatable; default: the host name and addresses).
            """)
    var tlsName: [String] = []
    @Flag(
        name: .customLong("insecure-http"),
        help: "Serve plain HTTP, for running behind a TLS-terminating reverse proxy.")
    var insecureHTTP = false
    @Flag(
        help:
            "Run on a separate demo data directory (./demo-data) seeded with sample data, and print the dashboard link."
    )
    var demo = false
    @Option(name: .customLong("web-dir"), help: "Page templates and static files (default ./Web).") var webDir: String?
    @Option(
        name: .customLong("public-url"),
        help: "Address printed in survey links and QR codes (default: the address served).")
    var publicURL: String?
    @Option(
        name: .customLong("ticket-days"),
        help: "How long a survey ticket (receipt link) stays valid, in days (default 30).")
    var ticketDays: Int?
    @Option(
        name: .customLong("device-rate"),
        help: "Sustained requests a second per device key, with a burst of 5 s worth (0: no limit; default 5).")
    var deviceRate: Double?
    @Option(
        name: .customLong("address-rate"),
        help:
            "Sustained requests a second per client address, with a burst of 5 s worth (0: no limit; use 0 behind a reverse proxy; default 50)."
    )
    var addressRate: Double?
    @Option(
        name: .customLong("write-queue"),
        help:
            "Most responses waiting for a commit before new requests are answered 503 with Retry-After (default 10000)."
    )
    var writeQueue: Int?

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

    /// Defaults, then the configuration file and SIPAS_… variables, then the options given here, each setting through
    /// the one check `Settings` makes of it.
    func configuration() throws -> AppConfiguration {
        var configuration = AppConfiguration()
        let environment = ProcessInfo.processInfo.environment
        var options: [Settings.Option] = []
        func option(_ key: String, _ flag: String, _ value: (any CustomStringConvertible)?) {
            if let value { options.append(.init(key: key, flag: flag, value: value.description)) }
        }
        option("host", "--host", host)
        option("port", "--port", port)
        option("dataDir", "--data-dir", dataDir)
        option("surveysDir", "--surveys-dir", surveysDir)
        option("calendarDir", "--calendar-dir", calendarDir)
        option("scoringDir", "--scoring-dir", scoringDir)
        option("webDir", "--web-dir", webDir)
        // The names as one variable's text would hold them; each is checked and named in a refusal.
        option("tls.names", "--tls-name", tlsName.isEmpty ? nil : tlsName.joined(separator: ","))
        option("publicURL", "--public-url", publicURL)
        option("ticketDays", "--ticket-days", ticketDays)
        option("limits.deviceRate", "--device-rate", deviceRate)
        option("limits.addressRate", "--address-rate", addressRate)
        option("limits.writeQueue", "--write-queue", writeQueue)
        try Settings.apply(
            file: config ?? environment["SIPAS_CONFIG"], environment: environment, options: options, to: &configuration)
        if dataDir == nil && demo { configuration.dataDirectory = "demo-data" }
        if insecureHTTP {
            configuration.tls = .insecureHTTP
        } else if let tlsCert, let tlsKey {
            configuration.tls = .files(certificate: tlsCert, key: tlsKey)
        }
        return configuration
    }

    func run() async throws {
        let configuration = try reportingOperatorErrors { try self.configuration() }
        let app: any ApplicationProtocol
        do {
            if demo {
                print("preparing the demo data in \(configuration.dataDirectory)…")
                let token = try await DemoSetup.prepare(
                    dataDirectory: configuration.dataDirectory, surveysDirectory: configuration.surveysDirectory,
                    sampleDirectory: "Deploy/sample",
                    reference: try ReferenceData.load(
                        calendarDirectory: configuration.calendarDirectory,
                        scoringDirectory: configuration.scoringDirectory))
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
