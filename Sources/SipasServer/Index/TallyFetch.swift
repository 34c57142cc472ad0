import Foundation
import GRDB
import SipasDomain

/// The breakdown dimension read from the aggregates (elements and items need no extra read).
enum TallyDimension: Sendable, Hashable {
    case none, unit, procedure, channel, month
}

/// What to sum: a survey's tallies for sets of unit versions over date ranges, with optional filters.
struct TallyFetch: Sendable {
    /// Unit versions (row id → group key) that count over one date range.
    struct Range: Sendable {
        let from: LocalDate
        let to: LocalDate
        let units: [Int64: String]
    }

    let survey: String
    var surveyVersion: Int?
    var procedure: String?
    var channel: String?
    var desk: String?
    var dimension: TallyDimension = .none
    var ranges: [Range] = []

    /// Month aggregates hold no procedure, channel or desk; anything that needs them reads the day grain.
    var canUseMonths: Bool {
        procedure == nil && channel == nil && desk == nil && dimension != .procedure && dimension != .channel
    }
}

// MARK: - Reading tallies

extension AppDatabase {
    /// The summed tallies per group key ("" when there is no breakdown). Whole years come from the yearly
    /// aggregates, whole months from the monthly ones, the days at the edges from the daily ones, so the
    /// cost follows the number of periods and units, not of responses. Filters on procedure, channel or desk
    /// read the fine daily aggregates.
    func sumTallies(_ fetch: TallyFetch) async throws -> [String: TallySheet] {
        try await writer.read { db in
            var groups: [String: TallySheet] = [:]
            for range in fetch.ranges where !range.units.isEmpty {
                guard fetch.canUseMonths else {
                    try Self.read(
                        db, fetch, range, table: "tally_day", column: "day", from: range.from.description,
                        to: range.to.description, into: &groups)
                    continue
                }
                let plan = PeriodPlan(from: range.from, to: range.to, years: fetch.dimension != .month)
                for (first, last) in plan.years {
                    try Self.read(
                        db, fetch, range, table: "tally_year", column: "year", from: first, to: last, into: &groups)
                }
                for (first, last) in plan.months {
                    try Self.read(
                        db, fetch, range, table: "tally_month", column: "month", from: first, to: last, into: &groups)
                }
                for (first, last) in plan.days {
                    try Self.read(
                        db, fetch, range, table: "tally_day_unit", column: "day", from: first, to: last, into: &groups)
                }
            }
            return groups
        }
    }

    private static func read(
        _ db: Database, _ fetch: TallyFetch, _ range: TallyFetch.Range, table: String, column: String, from: String,
        to: String,
        into groups: inout [String: TallySheet]
    ) throws {
        var conditions = [
            "survey = ?", "\(column) BETWEEN ? AND ?",
            "unitId IN (\(range.units.keys.map { _ in "?" }.joined(separator: ",")))",
        ]
        var arguments: [any DatabaseValueConvertible] = [fetch.survey, from, to]
        arguments += range.units.keys.map { $0 as any DatabaseValueConvertible }
        if let version = fetch.surveyVersion { conditions.append("surveyVersion = ?"); arguments.append(version) }
        // Names match in every spelling (InputText.spellings): the database compares bytes.
        func match(_ column: String, _ value: String) {
            let spellings = InputText.spellings(value)
            conditions.append("\(column) IN (\(spellings.map { _ in "?" }.joined(separator: ",")))")
            arguments += spellings.map { $0 as any DatabaseValueConvertible }
        }
        if let procedure = fetch.procedure { match("procedure", procedure) }
        if let channel = fetch.channel { conditions.append("channel = ?"); arguments.append(channel) }
        if let desk = fetch.desk { match("desk", desk) }
        let dimension: String
        switch fetch.dimension {
        case .none: dimension = "''"
        case .unit: dimension = "unitId"
        case .procedure: dimension = "procedure"
        case .channel: dimension = "channel"
        case .month: dimension = column == "month" ? "month" : "substr(day, 1, 7)"  // never the yearly grain
        }
        let sql = """
            SELECT \(dimension) AS dimension, key, SUM(count) AS count, SUM(sum) AS sum, SUM(sumOfSquares) AS sumOfSquares
            FROM \(table) WHERE \(conditions.joined(separator: " AND ")) GROUP BY 1, 2
            """
        let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(arguments))
        while let row = try rows.next() {
            guard let key = TallyKey(row["key"] as String) else { continue }
            let group: String
            switch fetch.dimension {
            case .unit: group = range.units[row["dimension"] as Int64] ?? ""
            default: group = row["dimension"] as String
            }
            groups[group, default: [:]][key, default: Tally()] += Tally(
                count: row["count"], sum: row["sum"], sumOfSquares: row["sumOfSquares"])
        }
    }
}

/// A period cut into whole years, whole months and the remaining days, each as runs of `first...last` keys.
struct PeriodPlan {
    private(set) var years: [(String, String)] = []
    private(set) var months: [(String, String)] = []
    private(set) var days: [(String, String)] = []

    init(from: LocalDate, to: LocalDate, years useYears: Bool) {
        var day = from
        while day <= to {
            let nextYear = LocalDate(year: day.year + 1, month: 1, day: 1)!
            let nextMonth = day.month == 12 ? nextYear : LocalDate(year: day.year, month: day.month + 1, day: 1)!
            if useYears && day.month == 1 && day.day == 1 && nextYear.adding(days: -1) <= to {
                Self.append(String(day.year), to: &years)
                day = nextYear
            } else if day.day == 1 && nextMonth.adding(days: -1) <= to {
                Self.append(String(day.description.prefix(7)), to: &months)
                day = nextMonth
            } else {
                Self.append(day.description, to: &days)
                day = day.adding(days: 1)
            }
        }
    }

    /// Extends the last run when `key` follows it, else starts a new run.
    private static func append(_ key: String, to runs: inout [(String, String)]) {
        if let last = runs.last, Self.follows(key, last.1) {
            runs[runs.count - 1].1 = key
        } else {
            runs.append((key, key))
        }
    }

    /// Whether `key` is the period right after `previous` (both the same kind: YYYY, YYYY-MM or YYYY-MM-DD).
    private static func follows(_ key: String, _ previous: String) -> Bool {
        switch key.count {
        case 4: return Int(key) == (Int(previous) ?? 0) + 1
        case 7:
            let year = Int(previous.prefix(4)) ?? 0, month = Int(previous.suffix(2)) ?? 0
            return key
                == (month == 12 ? String(format: "%04d-01", year + 1) : String(format: "%04d-%02d", year, month + 1))
        default: return LocalDate(previous)?.adding(days: 1).description == key
        }
    }
}
