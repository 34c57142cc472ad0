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
    /// The summed tallies per group key ("" when there is no breakdown). Whole months come from the month
    /// grain, the days at the edges of the period from the day grain, so the cost follows the number of
    /// months and units, not of responses.
    func sumTallies(_ fetch: TallyFetch) async throws -> [String: TallySheet] {
        try await writer.read { db in
            var groups: [String: TallySheet] = [:]
            for range in fetch.ranges where !range.units.isEmpty {
                var dayRanges: [(LocalDate, LocalDate)] = [(range.from, range.to)]
                if fetch.canUseMonths, let months = Self.wholeMonths(range.from, range.to) {
                    try Self.read(db, fetch, range, table: "tally_month", column: "month", from: months.first, to: months.last, into: &groups)
                    dayRanges = months.edges
                }
                for (from, to) in dayRanges where from <= to {
                    try Self.read(db, fetch, range, table: "tally_day", column: "day", from: from.description, to: to.description, into: &groups)
                }
            }
            return groups
        }
    }

    private static func read(
        _ db: Database, _ fetch: TallyFetch, _ range: TallyFetch.Range, table: String, column: String, from: String, to: String,
        into groups: inout [String: TallySheet]
    ) throws {
        var conditions = ["survey = ?", "\(column) BETWEEN ? AND ?", "unitId IN (\(range.units.keys.map { _ in "?" }.joined(separator: ",")))"]
        var arguments: [any DatabaseValueConvertible] = [fetch.survey, from, to]
        arguments += range.units.keys.map { $0 as any DatabaseValueConvertible }
        if let version = fetch.surveyVersion { conditions.append("surveyVersion = ?"); arguments.append(version) }
        if let procedure = fetch.procedure { conditions.append("procedure = ?"); arguments.append(procedure) }
        if let channel = fetch.channel { conditions.append("channel = ?"); arguments.append(channel) }
        if let desk = fetch.desk { conditions.append("desk = ?"); arguments.append(desk) }
        let dimension: String
        switch fetch.dimension {
        case .none: dimension = "''"
        case .unit: dimension = "unitId"
        case .procedure: dimension = "procedure"
        case .channel: dimension = "channel"
        case .month: dimension = column == "month" ? "month" : "substr(day, 1, 7)"
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
            groups[group, default: [:]][key, default: Tally()] += Tally(count: row["count"], sum: row["sum"], sumOfSquares: row["sumOfSquares"])
        }
    }

    /// The whole months inside [from, to] as `YYYY-MM` bounds, with the leftover day ranges at both ends.
    static func wholeMonths(_ from: LocalDate, _ to: LocalDate) -> (first: String, last: String, edges: [(LocalDate, LocalDate)])? {
        let firstStart = from.day == 1 ? from : LocalDate(year: from.month == 12 ? from.year + 1 : from.year, month: from.month % 12 + 1, day: 1)!
        let afterTo = to.adding(days: 1)
        let lastEnd = afterTo.day == 1 ? to : LocalDate(year: to.year, month: to.month, day: 1)!.adding(days: -1)
        guard firstStart <= lastEnd else { return nil }
        func month(_ date: LocalDate) -> String { String(date.description.prefix(7)) }
        return (month(firstStart), month(lastEnd), [(from, firstStart.adding(days: -1)), (lastEnd.adding(days: 1), to)])
    }
}
