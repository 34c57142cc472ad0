import Foundation
import Logging
import SipasDomain

/// The settings of `sipas serve` from a JSON file and `SIPAS_…` environment variables (the environment
/// wins); command-line flags are applied on top by the command. Every setting is named, typed and
/// range-checked here, so a wrong one stops the start with a message naming it, and an unknown one (a typo)
/// is refused rather than silently ignored.
public enum Settings {
    enum Kind { case string, optionalString, int, double, bool, intList, stringList }

    /// Every setting: its path in the file (`limits.deviceRate` is `{"limits": {"deviceRate": …}}`) and type.
    static let known: [String: Kind] = [
        "host": .string, "port": .int, "dataDir": .string, "surveysDir": .string, "calendarDir": .string,
        "scoringDir": .string,
        "webDir": .string, "publicURL": .optionalString, "ticketDays": .int, "logLevel": .string,
        "tls.cert": .optionalString, "tls.key": .optionalString, "tls.insecureHTTP": .bool, "tls.names": .stringList,
        "limits.deviceRate": .double, "limits.addressRate": .double, "limits.writeQueue": .int,
        "limits.idleTimeoutSeconds": .int, "limits.bodyTimeoutSeconds": .int,
        "backup.directory": .optionalString, "backup.keep": .int, "backup.hour": .int,
        "retention.commentDays": .int,
        "stuffing.burstWindowSeconds": .int, "stuffing.burstMaximum": .int, "stuffing.identicalRun": .int,
        "stuffing.officeHours": .string, "stuffing.officeDays": .intList,
        "report.issuingBody": .optionalString, "report.parentBody": .optionalString, "report.place": .optionalString,
        "report.signerAuthority": .string, "report.signerTitle": .string, "report.signerName": .optionalString,
        "report.recipients": .stringList,
    ]

    /// The environment variable of a setting: `limits.deviceRate` → `SIPAS_LIMITS_DEVICE_RATE`.
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

    /// A setting given as a command-line option of `sipas serve` (`--port`), read through the same checks.
    public struct Option: Sendable {
        /// The setting's key, e.g. `limits.deviceRate`.
        public let key: String
        /// The option as typed, e.g. `--device-rate`, to name it in a message.
        public let flag: String
        /// The value as typed; it is read as a variable's text is.
        public let value: String

        public init(key: String, flag: String, value: String) {
            self.key = key
            self.flag = flag
            self.value = value
        }
    }

    /// Applies the file (if any), then the environment, then the command-line options to `configuration`: one
    /// check per setting, whichever way it comes. A `SIPAS_…` variable that names no setting does not stop the
    /// start: it is added to `configuration.warnings` with the nearest setting's name (a typo, or a variable
    /// meant for another tool).
    public static func apply(
        file: String?, environment: [String: String], options: [Option] = [], to configuration: inout AppConfiguration
    ) throws {
        var values: [String: (value: Any, source: String)] = [:]
        if let file {
            for (key, value) in try flatten(file: file) { values[key] = (value, "\(file): \(key)") }
        }
        let names = Dictionary(uniqueKeysWithValues: known.keys.map { (environmentName($0), $0) })
        for (name, text) in environment.sorted(by: { $0.key < $1.key })
        where name.hasPrefix("SIPAS_") && name != "SIPAS_CONFIG" {
            guard let key = names[name] else {
                let hint =
                    nearest(name, among: Array(names.keys) + ["SIPAS_CONFIG"]).map { "; did you mean \($0)?" } ?? ""
                configuration.warnings.append("\(name): not a sipas setting, ignored\(hint)")
                continue
            }
            values[key] = (text, name)
        }
        for option in options {
            precondition(known[option.key] != nil, "\(option.key) is not a setting")
            values[option.key] = (option.value, option.flag)
        }
        var reader = Reader(values: values)
        try reader.apply(to: &configuration)
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

    /// The file's settings as dotted keys, refusing unknown keys and non-JSON.
    static func flatten(file: String) throws -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw OperatorError("\(file): the configuration file cannot be read")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw OperatorError("\(file): not a JSON object (see Deploy/sipas.json.example)")
        }
        var flat: [String: Any] = [:]
        func walk(_ object: [String: Any], prefix: String) throws {
            for (name, value) in object {
                let key = prefix.isEmpty ? name : "\(prefix).\(name)"
                if let nested = value as? [String: Any], known[key] == nil {
                    try walk(nested, prefix: key)
                } else if known[key] == nil {
                    let hint = nearest(key, among: Array(known.keys)).map { " (did you mean \($0)?)" } ?? ""
                    throw OperatorError("\(file): unknown setting '\(key)'\(hint)")
                } else {
                    flat[key] = value
                }
            }
        }
        try walk(object, prefix: "")
        return flat
    }

    /// Typed access with errors naming where the value came from.
    struct Reader {
        let values: [String: (value: Any, source: String)]

        func fail(_ key: String, _ message: String) -> OperatorError {
            OperatorError("\(values[key]?.source ?? key): \(message)")
        }

        func string(_ key: String) throws -> String? {
            guard let (value, _) = values[key], !(value is NSNull) else { return nil }
            guard let text = value as? String else { throw fail(key, "must be text") }
            return text
        }

        func int(_ key: String, _ range: ClosedRange<Int>) throws -> Int? {
            guard
                let number = try int(
                    key, else: "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            else { return nil }
            guard range.contains(number) else {
                throw fail(key, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return number
        }

        /// A whole number, its range left to the rule that owns the setting; `message` says what is expected.
        func int(_ key: String, else message: String = "must be a whole number") throws -> Int? {
            guard let (value, _) = values[key] else { return nil }
            let number: Int?
            if let text = value as? String {
                number = Int(text)
            } else if let n = value as? NSNumber, !isBool(n), n.doubleValue == n.doubleValue.rounded(),
                abs(n.doubleValue) < 1e15
            {
                number = n.intValue
            } else {
                number = nil
            }
            guard let number else { throw fail(key, message) }
            return number
        }

        func double(_ key: String, _ range: ClosedRange<Double>) throws -> Double? {
            guard let (value, _) = values[key] else { return nil }
            let number: Double?
            if let text = value as? String {
                number = Double(text)
            } else if let n = value as? NSNumber, !isBool(n) {
                number = n.doubleValue
            } else {
                number = nil
            }
            guard let number, number.isFinite, range.contains(number) else {
                throw fail(
                    key, "must be a number from \(range.lowerBound.formatted()) to \(range.upperBound.formatted())")
            }
            return number
        }

        func bool(_ key: String) throws -> Bool? {
            guard let (value, _) = values[key] else { return nil }
            if let n = value as? NSNumber, isBool(n) { return n.boolValue }
            if let text = value as? String, ["true", "false"].contains(text) { return text == "true" }
            throw fail(key, "must be true or false")
        }

        /// A list of whole numbers (a JSON array, or `1,2,3` in a variable); their values are the owning rule's to check.
        func intList(_ key: String) throws -> [Int]? {
            guard let (value, _) = values[key] else { return nil }
            let items: [Any] = (value as? [Any]) ?? ((value as? String)?.split(separator: ",").map { String($0) } ?? [])
            let numbers = items.compactMap { item -> Int? in
                if let text = item as? String { return Int(text.trimmingCharacters(in: .whitespaces)) }
                if let n = item as? NSNumber, !isBool(n) { return n.intValue }
                return nil
            }
            guard numbers.count == items.count else { throw fail(key, "must be a list of whole numbers") }
            return numbers
        }

        /// A list of texts: a JSON array, or the texts between `separator`s in a variable (`;` by default, since a
        /// recipient may hold a comma).
        /// In the file a list must be a JSON array; a text there is refused, as any other wrong type. An empty text
        /// in a variable or option is refused too: it names nothing, and would silently mean the default.
        func stringList(_ key: String, separator: Character = ";") throws -> [String]? {
            guard let (value, source) = values[key] else { return nil }
            if let text = value as? String {
                if source.hasSuffix(": \(key)") { throw fail(key, "must be a list of texts (a JSON array)") }
                let items = text.split(separator: separator).map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                    !$0.isEmpty
                }
                if items.isEmpty { throw fail(key, "is empty; leave it unset for the default") }
                return items
            }
            guard let items = value as? [Any], let texts = items as? [String] else {
                throw fail(key, "must be a list of texts")
            }
            return texts
        }

        /// JSON's true/false arrive as NSNumber too; only their type code tells them from 1 and 0.
        private func isBool(_ number: NSNumber) -> Bool {
            String(cString: number.objCType) == "c" || String(cString: number.objCType) == "B"
        }

        mutating func apply(to c: inout AppConfiguration) throws {
            if let v = try string("host") { c.host = v }
            if let v = try int("port", 1...65535) { c.port = v }
            if let v = try string("dataDir") { c.dataDirectory = v }
            if let v = try string("surveysDir") { c.surveysDirectory = v }
            if let v = try string("calendarDir") { c.calendarDirectory = v }
            if let v = try string("scoringDir") { c.scoringDirectory = v }
            if let v = try string("webDir") { c.webDirectory = v }
            if let v = try string("publicURL") {
                // Printed in survey links and enrollment codes, and its host put on the office certificate.
                guard let url = URLComponents(string: v), url.scheme?.lowercased() == "https", let host = url.host,
                    !host.isEmpty, url.query == nil, url.fragment == nil
                else {
                    throw fail(
                        "publicURL", "must be an https:// address with a host, e.g. https://sipas.lapvo.local:8443")
                }
                guard host.allSatisfy(\.isASCII) else {
                    throw fail("publicURL", "write the host \(host) in its xn-- form (as on a certificate)")
                }
                c.publicURL = v
            }
            if let v = try int("ticketDays", 1...366) { c.ticketLifetime = TimeInterval(v) * 24 * 3600 }
            if let v = try string("logLevel") {
                guard let level = Logger.Level(rawValue: v) else {
                    throw fail(
                        "logLevel", "must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                c.logLevel = level
            }
            let cert = try string("tls.cert"), key = try string("tls.key")
            if (cert == nil) != (key == nil) {
                throw fail(cert == nil ? "tls.key" : "tls.cert", "tls.cert and tls.key go together")
            }
            if let cert, let key { c.tls = .files(certificate: cert, key: key) }
            if try bool("tls.insecureHTTP") == true {
                if cert != nil { throw fail("tls.insecureHTTP", "excludes tls.cert") }
                c.tls = .insecureHTTP
            }
            if let v = try stringList("tls.names", separator: ",") {
                if let wrong = v.first(where: { CertificateName($0) == nil }) {
                    throw fail("tls.names", CertificateName.problem(wrong))
                }
                c.tlsNames = v
            }
            if let v = try double("limits.deviceRate", 0...1_000_000) { c.deviceRate = v }
            if let v = try double("limits.addressRate", 0...1_000_000) { c.addressRate = v }
            if let v = try int("limits.writeQueue", 1...10_000_000) { c.writeQueueCapacity = v }
            if let v = try int("limits.idleTimeoutSeconds", 1...3_600) { c.idleTimeout = .seconds(v) }
            if let v = try int("limits.bodyTimeoutSeconds", 1...3_600) { c.bodyTimeout = .seconds(v) }
            if let v = try string("backup.directory") { c.backupDirectory = v }
            if let v = try int("backup.keep", 0...3_650) { c.backupKeep = v }
            if let v = try int("backup.hour", 0...23) { c.backupHour = v }
            if let v = try int("retention.commentDays", 0...36_500) { c.commentRetentionDays = v }
            // The stuffing signals own their settings' rules (SipasDomain's StuffingRules): read here by type only,
            // then checked by the same function the rules use, and a refusal names where the value came from.
            if let v = try int("stuffing.burstWindowSeconds") { c.stuffing.burstWindowSeconds = v }
            if let v = try int("stuffing.burstMaximum") { c.stuffing.burstMaximum = v }
            if let v = try int("stuffing.identicalRun") { c.stuffing.identicalRun = v }
            if let v = try string("stuffing.officeHours") { c.stuffing.officeHours = v }
            if let v = try intList("stuffing.officeDays") { c.stuffing.officeDays = v }
            // The printed report's frame (NĐ 30/2020/NĐ-CP); what is not set comes from the unit printed.
            if let v = try string("report.issuingBody") { c.report.issuingBody = v }
            if let v = try string("report.parentBody") { c.report.parentBody = v }
            if let v = try string("report.place") { c.report.place = v }
            if let v = try string("report.signerAuthority") { c.report.signerAuthority = v }
            if let v = try string("report.signerTitle") { c.report.signerTitle = v }
            if let v = try string("report.signerName") { c.report.signerName = v }
            if let v = try stringList("report.recipients") { c.report.recipients = v }
            do {
                _ = try StuffingRules(c.stuffing)
            } catch let problem as StuffingSettingProblem {
                throw fail("stuffing.\(problem.setting)", problem.message)
            }
        }
    }
}
