import Foundation
import Logging
import SipasDomain

/// Everything `buildApplication` needs, with the defaults of `sipas serve` (no configuration needed): each setting's
/// default is its declaration's in ``Settings``.
public struct AppConfiguration: Sendable {
    /// How the server speaks TLS.
    public enum TLSMode: Sendable, Equatable {
        /// The office's own certificate authority, made on the first start in the data directory, and a server
        /// certificate it issues for the names tablets use (``AppConfiguration/tlsNames``), renewed by itself.
        case officeAuthority
        /// The operator's certificate chain and key (PEM files).
        case files(certificate: String, key: String)
        /// Plain HTTP, for running behind a TLS-terminating reverse proxy.
        case insecureHTTP
    }

    public var host = Settings.host.defaultValue
    public var port = Settings.port.defaultValue
    public var dataDirectory = Settings.dataDir.defaultValue
    /// A PostgreSQL database instead of the SQLite file in the data directory (``databaseLocation``); nil: that file.
    public var postgres: PostgresSettings?
    public var surveysDirectory = Settings.surveysDir.defaultValue
    /// Holiday files (one a year) and `rules.json`.
    public var calendarDirectory = Settings.calendarDir.defaultValue
    /// Scoring rule sets.
    public var scoringDirectory = Settings.scoringDir.defaultValue
    /// Page templates, interface texts and static files.
    public var webDirectory = Settings.webDir.defaultValue
    /// The address printed in survey links and QR codes; default: the address served.
    public var publicURL = Settings.publicURL.defaultValue
    /// How long a survey ticket stays valid (default 30 days).
    public var ticketLifetime = Self.lifetime(days: Settings.ticketDays.defaultValue)
    public var tls: TLSMode = .officeAuthority
    /// The DNS names and IP addresses the office authority's server certificate is issued for, besides
    /// `localhost`, `127.0.0.1` and `::1`; empty: the machine's host name and the addresses of its interfaces.
    public var tlsNames = Settings.tlsNames.defaultValue
    /// How often the certificate files are checked for a renewal (SIGHUP reloads at once).
    public var certificateCheckInterval: Duration = .seconds(60)
    /// Sustained requests a second one device key may make (burst: 5 s worth); 0 turns the limit off.
    /// A desk tablet sends one response per citizen and a kiosk catching up sends batches, so 5 is generous.
    public var deviceRate = Settings.deviceRate.defaultValue
    /// Sustained requests a second from one client address (burst: 5 s worth); 0 turns the limit off.
    /// An office's tablets and browsers may share one address behind its router.
    public var addressRate = Settings.addressRate.defaultValue
    /// Most responses waiting for a commit before new requests get 503 (about 2 KB each in memory).
    public var writeQueueCapacity = Settings.writeQueue.defaultValue
    /// A connection that sends nothing for this long is closed (clients that never finish a request).
    public var idleTimeout = Duration.seconds(Settings.idleTimeoutSeconds.defaultValue)
    /// A request body must arrive within this time; clients that send very slowly get 408.
    public var bodyTimeout = Duration.seconds(Settings.bodyTimeoutSeconds.defaultValue)
    public var logLevel = Settings.logLevel.defaultValue
    /// Where the daily backups go (default: `backups` in the data directory).
    public var backupDirectory = Settings.backupDirectory.defaultValue
    /// How many daily backups to keep; 0 turns the daily backup off.
    public var backupKeep = Settings.backupKeep.defaultValue
    /// The local hour (Vietnam time, 0–23) at which the daily backup runs.
    public var backupHour = Settings.backupHour.defaultValue
    /// Free comments older than this many days are erased (the rest of the response stays); 0 keeps them.
    public var commentRetentionDays = Settings.commentDays.defaultValue
    /// Thresholds of the stuffing signals.
    public var stuffing = StuffingThresholds()
    /// The frame of the printed report (issuing body, place, signer, recipients).
    public var report = ReportSettings()
    /// Small-sample flag and privacy minimum of published figures.
    public var samplePolicy = SamplePolicy()
    /// The clock; tests move it.
    public var now: @Sendable () -> Date = { Date() }
    /// What reading the settings found that does not stop the start (a `SIPAS_…` variable that names no setting),
    /// logged as warnings when the application is built.
    public var warnings: [String] = []

    public init() {}

    /// The settings `settings` gives, on the defaults.
    public init(settings: SettingsReader) throws {
        try apply(settings)
    }

    /// The directory of the daily backups.
    public var resolvedBackupDirectory: String {
        backupDirectory ?? (dataDirectory as NSString).appendingPathComponent("backups")
    }

    /// The SQLite file inside the data directory.
    public var databasePath: String { (dataDirectory as NSString).appendingPathComponent("sipas.sqlite") }

    /// The URL clients use, for the start-up log line.
    public var baseURL: String {
        let scheme = tls == .insecureHTTP ? "http" : "https"
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(shownHost):\(port)"
    }
}
