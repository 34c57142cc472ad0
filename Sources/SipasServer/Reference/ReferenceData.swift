import Foundation
import SipasDomain

/// The reference files besides the surveys: the working calendar and the scoring rule sets, read and
/// validated once at start-up (a bad file stops the start with a message naming it).
public struct ReferenceData: Sendable {
    public let calendar: WorkingCalendar
    public let ruleSets: [ScoringRuleSet]
    /// The rule set used when none is named (the seed's).
    public let defaultRuleSet: String

    /// The marker of the default rule set inside its file.
    struct RuleSetFile: Codable {
        let `default`: Bool?
    }

    /// Reads `calendarDirectory/*.json` (one notice file a year, plus `rules.json`, which is required) and
    /// `scoringDirectory/*.json`.
    public static func load(calendarDirectory: String, scoringDirectory: String) throws -> ReferenceData {
        let calendar = try loadCalendar(directory: calendarDirectory)
        var ruleSets: [ScoringRuleSet] = []
        var defaults: [String] = []
        for path in try jsonFiles(in: scoringDirectory, what: "scoring") {
            let set = try decode(ScoringRuleSet.self, path)
            let problems = set.problems()
            if !problems.isEmpty { throw OperatorError("\(path): " + problems.joined(separator: "; ")) }
            if ruleSets.contains(where: { $0.id == set.id }) {
                throw OperatorError("\(path): a second rule set with id \(set.id)")
            }
            if try decode(RuleSetFile.self, path).default == true { defaults.append(set.id) }
            ruleSets.append(set)
        }
        guard defaults.count == 1, let defaultRuleSet = defaults.first else {
            throw OperatorError(
                "scoring directory \(scoringDirectory): exactly one rule set must have \"default\": true (found \(defaults.count))"
            )
        }
        return ReferenceData(calendar: calendar, ruleSets: ruleSets, defaultRuleSet: defaultRuleSet)
    }

    /// Reads `directory/*.json`: one notice file a year, plus `rules.json`, which is required.
    public static func loadCalendar(directory calendarDirectory: String) throws -> WorkingCalendar {
        var years: [HolidayYear] = []
        var rules: CalendarRules?
        for path in try jsonFiles(in: calendarDirectory, what: "calendar") {
            if (path as NSString).lastPathComponent == "rules.json" {
                let decoded = try decode(CalendarRules.self, path)
                let problems = decoded.problems()
                if !problems.isEmpty { throw OperatorError("\(path): " + problems.joined(separator: "; ")) }
                rules = decoded
                continue
            }
            let year = try decode(HolidayYear.self, path)
            // A notice file is named for its year, so a misnamed or stray file is caught, not silently read.
            guard (path as NSString).lastPathComponent == "\(year.year).json" else {
                throw OperatorError(
                    "\(path): a notice file is named YEAR.json for the year it holds (\(year.year).json); only rules.json and YEAR.json belong here"
                )
            }
            let problems = year.problems()
            if !problems.isEmpty { throw OperatorError("\(path): " + problems.joined(separator: "; ")) }
            if years.contains(where: { $0.year == year.year }) {
                throw OperatorError("\(path): a second calendar for \(year.year)")
            }
            years.append(year)
        }
        guard let rules else {
            throw OperatorError(
                "calendar directory \(calendarDirectory): rules.json is missing (receipt rules and statutory holidays)")
        }
        return WorkingCalendar(years, rules: rules)
    }

    /// The named rule set, or the default.
    func ruleSet(_ id: String?) -> ScoringRuleSet? {
        ruleSets.first { $0.id == (id ?? defaultRuleSet) }
    }

    private static func jsonFiles(in directory: String, what: String) throws -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw OperatorError("\(what) directory \(directory): cannot be read")
        }
        let files = names.filter { $0.hasSuffix(".json") }.sorted().map {
            (directory as NSString).appendingPathComponent($0)
        }
        if files.isEmpty { throw OperatorError("\(what) directory \(directory): holds no *.json file") }
        return files
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ path: String) throws -> T {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw OperatorError("\(path): cannot be read")
        }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw OperatorError("\(path): \(JSONProblem.describe(error))")
        }
    }
}
