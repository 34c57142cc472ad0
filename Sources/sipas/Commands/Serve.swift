import ArgumentParser
import Foundation
import Hummingbird
import SipasServer

/// `sipas serve`: HTTPS on 127.0.0.1:8443 with a self-signed certificate, data in ./data, surveys from ./Surveys.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the server (HTTPS, self-signed for localhost unless --tls-cert is given).")

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8443
    @OptionGroup var dataDir: DataDirOption
    @Option(name: .customLong("surveys-dir"), help: "Directory of survey definition files (*.json).") var surveysDir = "Surveys"
    @OptionGroup var reference: ReferenceOptions
    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain to serve instead of the self-signed one.") var tlsCert: String?
    @Option(name: .customLong("tls-key"), help: "PEM private key of --tls-cert.") var tlsKey: String?
    @Flag(name: .customLong("insecure-http"), help: "Serve plain HTTP, for running behind a TLS-terminating reverse proxy.")
    var insecureHTTP = false
    @Flag(help: "Run on a separate demo data directory (./demo-data) seeded with sample data, and print the dashboard link.")
    var demo = false
    @Option(name: .customLong("web-dir"), help: "Page templates and static files.") var webDir = "Web"
    @Option(name: .customLong("public-url"), help: "Address printed in survey links and QR codes (default: the address served).")
    var publicURL: String?
    @Option(name: .customLong("ticket-days"), help: "How long a survey ticket (receipt link) stays valid, in days.") var ticketDays = 30

    @Option(name: .customLong("device-rate"), help: "Sustained requests a second per device key, with a burst of 5 s worth (0: no limit).")
    var deviceRate = AppConfiguration().deviceRate
    @Option(name: .customLong("address-rate"), help: "Sustained requests a second per client address, with a burst of 5 s worth (0: no limit; use 0 behind a reverse proxy).")
    var addressRate = AppConfiguration().addressRate
    @Option(name: .customLong("write-queue"), help: "Most responses waiting for a commit before new requests are answered 503 with Retry-After.")
    var writeQueue = AppConfiguration().writeQueueCapacity

    func validate() throws {
        if !(deviceRate >= 0 && deviceRate.isFinite) { throw ValidationError("--device-rate must be 0 (no limit) or a positive number of requests a second") }
        if !(addressRate >= 0 && addressRate.isFinite) { throw ValidationError("--address-rate must be 0 (no limit) or a positive number of requests a second") }
        if writeQueue < 1 { throw ValidationError("--write-queue must be at least 1") }
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
        if insecureHTTP && tlsCert != nil { throw ValidationError("--insecure-http and --tls-cert exclude each other") }
        if !(1...65535).contains(port) { throw ValidationError("--port must be between 1 and 65535") }
        if !(1...366).contains(ticketDays) { throw ValidationError("--ticket-days must be between 1 and 366") }
    }

    func run() async throws {
        var configuration = AppConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.dataDirectory = demo && dataDir.path == "data" ? "demo-data" : dataDir.path
        configuration.webDirectory = webDir
        configuration.publicURL = publicURL
        configuration.ticketLifetime = TimeInterval(ticketDays) * 24 * 3600
        configuration.surveysDirectory = surveysDir
        configuration.deviceRate = deviceRate
        configuration.addressRate = addressRate
        configuration.writeQueueCapacity = writeQueue
        configuration.calendarDirectory = reference.calendarDir
        configuration.scoringDirectory = reference.scoringDir
        if insecureHTTP {
            configuration.tls = .insecureHTTP
        } else if let tlsCert, let tlsKey {
            configuration.tls = .files(certificate: tlsCert, key: tlsKey)
        }
        let app: any ApplicationProtocol
        do {
            if demo {
                print("preparing the demo data in \(configuration.dataDirectory)…")
                let token = try await DemoSetup.prepare(
                    dataDirectory: configuration.dataDirectory, surveysDirectory: surveysDir, sampleDirectory: "Deploy/sample",
                    reference: try reference.load())
                // Written straight to standard output: print() is buffered when the output is a file or pipe.
                FileHandle.standardOutput.write(Data("""

                    Demo dashboard: \(configuration.baseURL.replacingOccurrences(of: "127.0.0.1", with: "localhost"))/dashboard?unit=875&year=\(DemoSetup.year)
                    Sign in with the demo official's token (Huyện Lấp Vò):
                    \(token)
                    (the certificate is self-signed: the browser asks once to accept it)

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
