import Foundation
import SipasDomain

extension AppConfiguration {
    /// Applies what `settings` gives, each setting through its declaration's check; what no source gives stays as it
    /// is. Then the checks of settings together: the TLS files and mode, and the stuffing signals' rules.
    public mutating func apply(_ settings: SettingsReader) throws {
        if let v = try settings.value(Settings.host) { host = v }
        if let v = try settings.value(Settings.port) { port = v }
        if let v = try settings.value(Settings.dataDir) { dataDirectory = v }
        try applyDatabase(settings)
        if let v = try settings.value(Settings.surveysDir) { surveysDirectory = v }
        if let v = try settings.value(Settings.calendarDir) { calendarDirectory = v }
        if let v = try settings.value(Settings.scoringDir) { scoringDirectory = v }
        if let v = try settings.value(Settings.webDir) { webDirectory = v }
        if let v = try settings.value(Settings.publicURL) { publicURL = v }
        if let v = try settings.value(Settings.ticketDays) { ticketLifetime = Self.lifetime(days: v) }
        if let v = try settings.value(Settings.logLevel) { logLevel = v }
        try applyTLS(settings)
        if let v = try settings.value(Settings.tlsNames) { tlsNames = v }
        if let v = try settings.value(Settings.deviceRate) { deviceRate = v }
        if let v = try settings.value(Settings.addressRate) { addressRate = v }
        if let v = try settings.value(Settings.writeQueue) { writeQueueCapacity = v }
        if let v = try settings.value(Settings.idleTimeoutSeconds) { idleTimeout = .seconds(v) }
        if let v = try settings.value(Settings.bodyTimeoutSeconds) { bodyTimeout = .seconds(v) }
        if let v = try settings.value(Settings.backupDirectory) { backupDirectory = v }
        if let v = try settings.value(Settings.backupKeep) { backupKeep = v }
        if let v = try settings.value(Settings.backupHour) { backupHour = v }
        if let v = try settings.value(Settings.commentDays) { commentRetentionDays = v }
        try stuffing.apply(settings)
        try report.apply(settings)
        warnings += settings.warnings
    }

    /// How long a survey ticket stays valid.
    static func lifetime(days: Int) -> TimeInterval { TimeInterval(days) * 24 * 3600 }

    /// The TLS mode from `tls.cert`, `tls.key` and `tls.insecureHTTP`. A mode given as options (`--insecure-http`, or
    /// `--tls-cert` with `--tls-key`) replaces the file's and the environment's, as the options are checked together by
    /// the command; those two are read together, and a certificate without its key, or with plain HTTP, is refused.
    private mutating func applyTLS(_ settings: SettingsReader) throws {
        let cert = try settings.value(Settings.tlsCert) ?? nil
        let key = try settings.value(Settings.tlsKey) ?? nil
        let insecure = try settings.value(Settings.tlsInsecureHTTP)
        let fromOptions = { (setting: String) in settings.source(of: setting) == .option }
        if insecure == true, fromOptions(Settings.tlsInsecureHTTP.key) {
            tls = .insecureHTTP
            return
        }
        if let cert, let key, fromOptions(Settings.tlsCert.key) {
            tls = .files(certificate: cert, key: key)
            return
        }
        if (cert == nil) != (key == nil) {
            let given = cert == nil ? Settings.tlsKey.key : Settings.tlsCert.key
            throw settings.refusal(given, "tls.cert and tls.key go together")
        }
        if let cert, let key { tls = .files(certificate: cert, key: key) }
        if insecure == true {
            if cert != nil { throw settings.refusal(Settings.tlsInsecureHTTP.key, "excludes tls.cert") }
            tls = .insecureHTTP
        }
    }
}
