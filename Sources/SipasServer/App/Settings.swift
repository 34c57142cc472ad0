import Foundation
import Logging
import SipasDomain

/// The settings of `sipas serve` from a JSON file and `SIPAS_…` environment variables (the environment
/// wins); command-line flags are applied on top by the command. Every setting is named, typed and
/// range-checked here, so a wrong one stops the start with a message naming it, and an unknown one (a typo)
/// is refused rather than silently ignored.
public enum Settings {
    enum Kind { case string, optionalString, int, double, bool, intList }

    /// Every setting: its path in the file (`limits.deviceRate` is `{"limits": {"deviceRate": …}}`) and type.
    static let known: [String: Kind] = [
        "host": .string, "port": .int, "dataDir": .string, "surveysDir": .string, "calendarDir": .string, "scoringDir": .string,
        "webDir": .string, "publicURL": .optionalString, "ticketDays": .int, "logLevel": .string,
        "tls.cert": .optionalString, "tls.key": .optionalString, "tls.insecureHTTP": .bool,
        "limits.deviceRate": .double, "limits.addressRate": .double, "limits.writeQueue": .int,
        "limits.idleTimeoutSeconds": .int, "limits.bodyTimeoutSeconds": .int,
        "backup.directory": .optionalString, "backup.keep": .int, "backup.hour": .int,
        "retention.commentDays": .int,
        "stuffing.burstWindowSeconds": .int, "stuffing.burstMaximum": .int, "stuffing.identicalRun": .int,
        "stuffing.officeHours": .string, "stuffing.officeDays": .intList,
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

    /// Applies the file (if any) and then the environment to `configuration`.
    public static func apply(file: String?, environment: [String: String], to configuration: inout AppConfiguration) throws {
        var values: [String: (value: Any, source: String)] = [:]
        if let file {
            for (key, value) in try flatten(file: file) { values[key] = (value, "\(file): \(key)") }
        }
        let names = Dictionary(uniqueKeysWithValues: known.keys.map { (environmentName($0), $0) })
        for (name, text) in environment where name.hasPrefix("SIPAS_") && name != "SIPAS_CONFIG" {
            guard let key = names[name] else {
                throw OperatorError("\(name): unknown setting (known: \(names.keys.sorted().joined(separator: ", ")))")
            }
            values[key] = (text, name)
        }
        var reader = Reader(values: values)
        try reader.apply(to: &configuration)
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
                    throw OperatorError("\(file): unknown setting '\(key)'")
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
            guard let (value, _) = values[key] else { return nil }
            let number: Int?
            if let text = value as? String { number = Int(text) } else if let n = value as? NSNumber, !isBool(n), n.doubleValue == n.doubleValue.rounded() {
                number = n.intValue
            } else { number = nil }
            guard let number, range.contains(number) else { throw fail(key, "must be a whole number from \(range.lowerBound) to \(range.upperBound)") }
            return number
        }

        func double(_ key: String, _ range: ClosedRange<Double>) throws -> Double? {
            guard let (value, _) = values[key] else { return nil }
            let number: Double?
            if let text = value as? String { number = Double(text) } else if let n = value as? NSNumber, !isBool(n) { number = n.doubleValue } else { number = nil }
            guard let number, number.isFinite, range.contains(number) else {
                throw fail(key, "must be a number from \(range.lowerBound.formatted()) to \(range.upperBound.formatted())")
            }
            return number
        }

        func bool(_ key: String) throws -> Bool? {
            guard let (value, _) = values[key] else { return nil }
            if let n = value as? NSNumber, isBool(n) { return n.boolValue }
            if let text = value as? String, ["true", "false"].contains(text) { return text == "true" }
            throw fail(key, "must be true or false")
        }

        func intList(_ key: String, _ range: ClosedRange<Int>) throws -> [Int]? {
            guard let (value, _) = values[key] else { return nil }
            let items: [Any] = (value as? [Any]) ?? ((value as? String)?.split(separator: ",").map { String($0) } ?? [])
            let numbers = items.compactMap { item -> Int? in
                if let text = item as? String { return Int(text.trimmingCharacters(in: .whitespaces)) }
                if let n = item as? NSNumber, !isBool(n) { return n.intValue }
                return nil
            }
            guard !numbers.isEmpty, numbers.count == items.count, numbers.allSatisfy(range.contains) else {
                throw fail(key, "must be a list of whole numbers from \(range.lowerBound) to \(range.upperBound)")
            }
            return numbers
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
            if let v = try string("publicURL") { c.publicURL = v }
            if let v = try int("ticketDays", 1...366) { c.ticketLifetime = TimeInterval(v) * 24 * 3600 }
            if let v = try string("logLevel") {
                guard let level = Logger.Level(rawValue: v) else {
                    throw fail("logLevel", "must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                c.logLevel = level
            }
            let cert = try string("tls.cert"), key = try string("tls.key")
            if (cert == nil) != (key == nil) { throw fail(cert == nil ? "tls.key" : "tls.cert", "tls.cert and tls.key go together") }
            if let cert, let key { c.tls = .files(certificate: cert, key: key) }
            if try bool("tls.insecureHTTP") == true {
                if cert != nil { throw fail("tls.insecureHTTP", "excludes tls.cert") }
                c.tls = .insecureHTTP
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
            if let v = try int("stuffing.burstWindowSeconds", 0...86_400) { c.stuffing.burstWindowSeconds = v }
            if let v = try int("stuffing.burstMaximum", 0...100_000) { c.stuffing.burstMaximum = v }
            if let v = try int("stuffing.identicalRun", 0...100_000) { c.stuffing.identicalRun = v }
            if let v = try string("stuffing.officeHours") {
                guard Self.isOfficeHours(v) else { throw fail("stuffing.officeHours", "must be HH:MM-HH:MM, e.g. 07:00-17:30") }
                c.stuffing.officeHours = v
            }
            if let v = try intList("stuffing.officeDays", 1...7) { c.stuffing.officeDays = v }
        }

        static func isOfficeHours(_ text: String) -> Bool {
            let parts = text.split(separator: "-")
            guard parts.count == 2 else { return false }
            let minutes = parts.map { part -> Int? in
                let hm = part.split(separator: ":")
                guard hm.count == 2, hm.allSatisfy({ $0.count == 2 }), let h = Int(hm[0]), let m = Int(hm[1]), (0...23).contains(h), (0...59).contains(m)
                else { return nil }
                return h * 60 + m
            }
            guard let start = minutes[0], let end = minutes[1] else { return false }
            return start < end
        }
    }
}
