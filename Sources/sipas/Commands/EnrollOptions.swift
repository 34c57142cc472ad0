import ArgumentParser
import Foundation
import SipasDomain
import SipasServer

/// `--enroll` of `sipas device add|rekey`: print a one-time enrollment code and its link instead of the key, for
/// the same flow as the admin page (the key then reaches only the device that redeems the code).
struct EnrollOptions: ParsableArguments {
    @Flag(
        help: """
            Print a one-time enrollment code and its link (15 minutes, usable once) instead of the key: the tablet \
            opens the link, or a kiosk app sends the code to POST /v1/enroll, and receives its key itself.
            """)
    var enroll = false
    @Option(
        name: Settings.publicURL.name,
        help: Settings.publicURL.help("With --enroll: the address in the link.", sources: true))
    var publicURL: String?
    @Option(
        name: Settings.config.name,
        help: Settings.config.help(
            "With --enroll: for its publicURL, host and port settings (not its dataDir: give --data-dir).",
            sources: true))
    var config: String?

    func validate() throws {
        if !enroll && (publicURL != nil || config != nil) {
            throw ValidationError("--public-url and --config go with --enroll")
        }
    }

    /// The server's address for the link, from the same settings as `sipas serve` reads.
    func linkBase() throws -> String {
        var flags = SettingFlags()
        flags.set(Settings.config, config)
        flags.set(Settings.publicURL, publicURL)
        let configuration = try Assembly.settings(flags).configuration
        let base = configuration.publicURL ?? configuration.baseURL
        if configuration.publicURL == nil {
            // The address served by default is the server's own loopback, which no tablet reaches.
            printError(
                "no publicURL set: the link names \(base), which a tablet may not reach; give --public-url, or --config "
                    + "with the server's settings (the code also works typed into https://<server>/e/<code>)")
        }
        return base.hasSuffix("/") ? String(base.dropLast()) : base
    }

    /// Prints the code and its link; the link is alone on the last line, the code on the one before.
    func report(_ issued: IssuedEnrollment, base: String) {
        let until = "\(LocalDate(issued.expiresAt)) \(TimeOfDay(issued.expiresAt))"
        print(
            "enrollment code, usable once until \(until) (Vietnam time): open the link on the tablet, or send the code")
        print("to POST /v1/enroll from a kiosk; the device receives its key itself")
        print(issued.code)
        print(issued.link(base: base))
    }
}
