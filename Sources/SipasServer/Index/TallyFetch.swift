import Foundation
import SipasDomain

/// What the aggregates are summed by for a breakdown (``Breakdown/grouping``); the storage reads each the same way
/// from the tallies and from a response (`TallyGrouping+SQL.swift`).
enum TallyGrouping: Sendable, Hashable {
    /// One sum for the whole scope (no breakdown, or one made from the whole figures: elements, items).
    case none
    /// By the unit each unit version counts under (the scope's child units).
    case unit
    case procedure, channel
    /// By month, `YYYY-MM` (quarters and years are made of months).
    case month
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
    var grouping: TallyGrouping = .none
    var ranges: [Range] = []

    /// Month aggregates hold no procedure, channel or desk; anything that needs them reads the day grain.
    var canUseMonths: Bool {
        procedure == nil && channel == nil && desk == nil && grouping != .procedure && grouping != .channel
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
