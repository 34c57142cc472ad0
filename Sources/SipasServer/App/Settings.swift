import Foundation
import Logging
import SipasDomain

/// Every setting of sipas, each declared once: key, type, default, accepted values, help and option. The settings file
/// holds them by key, the environment as `SIPAS_` variables named after the key, and the commands take some as options
/// named here; ``SettingsReader`` reads them in that order of precedence: options, variables, file. A declaration's
/// `help` is its documentation, the same sentence `--help` shows.
public enum Settings {
    // MARK: - The file

    /// The settings file; it names itself in no file.
    public static let config = Setting<String?>(
        "config", default: nil, flag: "config", help: "Configuration file (JSON; see Deploy/sipas.json.example).",
        inFile: false)

    // MARK: - Serving

    public static let host = Setting<String>(
        "host", default: "127.0.0.1", flag: "host", help: "Address to listen on (0.0.0.0 for the office network).")
    public static let port = Setting<Int>(
        "port", default: 8443, range: 1...65535, flag: "port", help: "Port to listen on.")
    public static let dataDir = Setting<String>(
        "dataDir", default: "data", flag: "data-dir", help: "Data directory holding sipas.sqlite.")
    public static let surveysDir = Setting<String>(
        "surveysDir", default: "Surveys", flag: "surveys-dir", help: "Directory of survey definition files.")
    public static let calendarDir = Setting<String>(
        "calendarDir", default: "Deploy/calendar", flag: "calendar-dir",
        help: "Holiday files, one a year, and rules.json.")
    public static let scoringDir = Setting<String>(
        "scoringDir", default: "Deploy/scoring", flag: "scoring-dir", help: "Scoring rule sets.")
    public static let webDir = Setting<String>(
        "webDir", default: "Web", flag: "web-dir", help: "Page templates, interface texts and static files.")
    /// Printed in survey links and enrollment codes, and its host put on the office certificate.
    public static let publicURL = Setting<String?>(
        "publicURL", default: nil, flag: "public-url",
        help: "Address printed in survey links and QR codes (default: the address served).",
        problem: publicURLProblem)
    public static let ticketDays = Setting<Int>(
        "ticketDays", default: 30, range: 1...366, flag: "ticket-days",
        help: "How long a survey ticket (receipt link) stays valid, in days.")
    public static let logLevel = Setting<Logger.Level>(
        "logLevel", default: .info, help: "How much goes to the log.")

    // MARK: - TLS

    public static let tlsCert = Setting<String?>(
        "tls.cert", default: nil, flag: "tls-cert",
        help: "PEM certificate chain to serve instead of one from the office authority.")
    public static let tlsKey = Setting<String?>(
        "tls.key", default: nil, flag: "tls-key", help: "PEM private key of the certificate chain (tls.cert).")
    public static let tlsInsecureHTTP = Setting<Bool>(
        "tls.insecureHTTP", default: false, flag: "insecure-http",
        help: "Serve plain HTTP, for running behind a TLS-terminating reverse proxy.")
    public static let tlsNames = Setting<[String]>(
        "tls.names", default: [], flag: "tls-name",
        help: """
            A DNS name or IP address tablets use to reach the server, for the office authority's certificate \
            (repeatable; default: the host name and addresses).
            """,
        problem: { names in names.first { CertificateName($0) == nil }.map(CertificateName.problem) })

    // MARK: - Limits

    public static let deviceRate = Setting<Double>(
        "limits.deviceRate", default: 5, range: 0...1_000_000, flag: "device-rate",
        help: "Sustained requests a second per device key, with a burst of 5 s worth (0: no limit).")
    public static let addressRate = Setting<Double>(
        "limits.addressRate", default: 50, range: 0...1_000_000, flag: "address-rate",
        help:
            "Sustained requests a second per client address, with a burst of 5 s worth (0: no limit; use 0 behind a reverse proxy)."
    )
    public static let writeQueue = Setting<Int>(
        "limits.writeQueue", default: 10_000, range: 1...10_000_000, flag: "write-queue",
        help: "Most responses waiting for a commit before new requests are answered 503 with Retry-After.")
    public static let idleTimeoutSeconds = Setting<Int>(
        "limits.idleTimeoutSeconds", default: 30, range: 1...3_600,
        help: "A connection that sends nothing for this many seconds is closed.")
    public static let bodyTimeoutSeconds = Setting<Int>(
        "limits.bodyTimeoutSeconds", default: 30, range: 1...3_600,
        help: "A request must arrive completely within this many seconds, or it is answered 408.")

    // MARK: - Backups and retention

    public static let backupDirectory = Setting<String?>(
        "backup.directory", default: nil, flag: "backup-dir",
        help: "Directory of the daily backups (default: backups in the data directory).")
    public static let backupKeep = Setting<Int>(
        "backup.keep", default: 14, range: 0...3_650,
        help: "How many daily backups to keep; 0 turns the daily backup off.")
    public static let backupHour = Setting<Int>(
        "backup.hour", default: 2, range: 0...23, help: "The hour, Vietnam time, at which the daily backup is made.")
    public static let commentDays = Setting<Int>(
        "retention.commentDays", default: 365, range: 0...36_500,
        help: "Free comments older than this many days are erased (the ratings stay); 0 keeps them.")

    // MARK: - Stuffing signals
    // Their values are checked together by the domain's StuffingRules, which owns them (and their defaults).

    public static let burstWindowSeconds = Setting<Int>(
        "stuffing.burstWindowSeconds", default: StuffingThresholds().burstWindowSeconds,
        help:
            "With burstMaximum: more responses than that from one tablet and desk within this many seconds are flagged."
    )
    public static let burstMaximum = Setting<Int>(
        "stuffing.burstMaximum", default: StuffingThresholds().burstMaximum,
        help: "How many responses from one tablet and desk within burstWindowSeconds are not flagged.")
    public static let identicalRun = Setting<Int>(
        "stuffing.identicalRun", default: StuffingThresholds().identicalRun,
        help: "This many consecutive responses from one tablet and desk with the same answers are flagged.")
    public static let officeHours = Setting<String>(
        "stuffing.officeHours", default: StuffingThresholds().officeHours,
        help: "Opening hours, Vietnam time, HH:MM-HH:MM; responses outside them are flagged.")
    public static let officeDays = Setting<[Int]>(
        "stuffing.officeDays", default: StuffingThresholds().officeDays,
        help: "Opening days, 1 Monday … 7 Sunday; responses on other days are flagged.")

    // MARK: - The printed report (NĐ 30/2020/NĐ-CP); what is not set comes from the unit printed.

    public static let issuingBody = Setting<String?>(
        "report.issuingBody", default: nil, help: "Tên cơ quan ban hành (default: from the unit printed).")
    public static let parentBody = Setting<String?>(
        "report.parentBody", default: nil, help: "Tên cơ quan chủ quản (default: from the unit's parent).")
    public static let place = Setting<String?>(
        "report.place", default: nil, help: "Địa danh of the date line (default: the unit's name).")
    public static let signerAuthority = Setting<String>(
        "report.signerAuthority", default: "TM. ỦY BAN NHÂN DÂN", help: "Quyền hạn của người ký.")
    public static let signerTitle = Setting<String>(
        "report.signerTitle", default: "CHỦ TỊCH", help: "Chức vụ của người ký.")
    public static let signerName = Setting<String?>(
        "report.signerName", default: nil, help: "Họ tên người ký (default: a dotted line to fill in).")
    public static let recipients = Setting<[String]>(
        "report.recipients", default: [], help: "Nơi nhận between \"- Như trên;\" and \"- Lưu: VT.\".",
        separator: ";")

    /// The catalogue: the file's keys and the `SIPAS_` variables are these, and no others.
    static let all: [any SettingDeclaration] = [
        config, host, port, dataDir, database, databasePasswordFile, surveysDir, calendarDir, scoringDir, webDir,
        publicURL, ticketDays, logLevel,
        tlsCert, tlsKey, tlsInsecureHTTP, tlsNames,
        deviceRate, addressRate, writeQueue, idleTimeoutSeconds, bodyTimeoutSeconds,
        backupDirectory, backupKeep, backupHour, commentDays,
        burstWindowSeconds, burstMaximum, identicalRun, officeHours, officeDays,
        issuingBody, parentBody, place, signerAuthority, signerTitle, signerName, recipients,
    ]

    /// The declaration of `key`, if it is a setting.
    static func declaration(_ key: String) -> (any SettingDeclaration)? { all.first { $0.key == key } }

    // MARK: - Checks

    /// An `https://` address with an ASCII host, no query and no fragment.
    static func publicURLProblem(_ value: String?) -> String? {
        guard let value else { return nil }
        guard let url = URLComponents(string: value), url.scheme?.lowercased() == "https", let host = url.host,
            !host.isEmpty, url.query == nil, url.fragment == nil
        else { return "must be an https:// address with a host, e.g. https://sipas.lapvo.local:8443" }
        guard host.allSatisfy(\.isASCII) else { return "write the host \(host) in its xn-- form (as on a certificate)" }
        return nil
    }

    // MARK: - Names

    /// The environment variable of a setting: `limits.deviceRate` → `SIPAS_LIMITS_DEVICE_RATE`; the same name
    /// swift-configuration's environment provider looks up for the key under `sipas` (a test holds the two together).
    static func environmentName(_ key: String) -> String {
        var name = "SIPAS"
        for part in key.split(separator: ".") {
            name += "_"
            var previous: Character?
            for character in part {
                // A word starts at an upper-case letter after a lower-case one: publicURL → PUBLIC_URL.
                if character.isUppercase, previous?.isLowercase == true { name += "_" }
                name += character.uppercased()
                previous = character
            }
        }
        return name
    }

    /// The known name closest to `name` (optimal string alignment distance: a letter added, dropped, changed, or two
    /// swapped), when it is close enough to be a typo of it: at most half as many edits as the longer name has
    /// letters after `SIPAS_`.
    static func nearest(_ name: String, among candidates: [String]) -> String? {
        func distance(_ a: [Character], _ b: [Character]) -> Int {
            guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
            var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
            for i in 0...a.count { table[i][0] = i }
            for j in 0...b.count { table[0][j] = j }
            for i in 1...a.count {
                for j in 1...b.count {
                    let cost = a[i - 1] == b[j - 1] ? 0 : 1
                    table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                    if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                        table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                    }
                }
            }
            return table[a.count][b.count]
        }
        let stem = { (text: String) in Array(text.hasPrefix("SIPAS_") ? text.dropFirst(6) : Substring(text)) }
        let wanted = stem(name)
        let scored = candidates.sorted().map { ($0, distance(wanted, stem($0)), stem($0).count) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 * 2 <= max(wanted.count, best.2) else { return nil }
        return best.0
    }

    // MARK: - Applying

    /// Applies the file (if any), then `environment`, to `configuration`: what neither gives stays as it is. For the
    /// tests; the commands read their options too, through ``SettingsReader``.
    public static func apply(file: String?, environment: [String: String], to configuration: inout AppConfiguration)
        throws
    {
        try configuration.apply(SettingsReader(flags: SettingFlags(), environment: environment, file: file))
    }
}
