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

    /// The per-unit aggregates hold no procedure, channel or desk; anything that needs them reads the cells.
    var needsCells: Bool {
        procedure != nil || channel != nil || desk != nil || grouping == .procedure || grouping == .channel
    }
}

/// The periods the aggregates are kept by (`tally_unit.grain`, `tally_cell.grain`). A period of any length is
/// read as whole years, whole months, whole dekads and the days left over, so a query reads at most 10 days
/// at each edge whatever its length.
enum TallyGrain: String, CaseIterable, Sendable {
    /// `YYYY`.
    case year
    /// `YYYY-MM`.
    case month
    /// A third of a month (`YYYY-MM-1`: days 1–10, `-2`: 11–20, `-3`: 21 to the month's end), the dekad
    /// (kỳ 10 ngày): what keeps the edges of a partial period short.
    case dekad
    /// `YYYY-MM-DD`.
    case day

    /// The key of the period of this grain that holds `day` (`YYYY-MM-DD`).
    func period(ofDay day: String) -> String {
        switch self {
        case .year: String(day.prefix(4))
        case .month: String(day.prefix(7))
        case .dekad: Self.dekadKey(day)
        case .day: day
        }
    }

    private static func dekadKey(_ day: String) -> String {
        let dayOfMonth = Int(day.suffix(2)) ?? 1
        return "\(day.prefix(7))-\(dayOfMonth <= 10 ? 1 : dayOfMonth <= 20 ? 2 : 3)"
    }
}

/// A period cut into whole years, whole months, whole dekads and the remaining days, each as runs of
/// `first...last` keys of its grain (``TallyGrain``).
struct PeriodPlan {
    /// One run of consecutive periods of one grain.
    struct Run: Equatable {
        let grain: TallyGrain
        var first: String
        var last: String
    }

    /// In date order.
    private(set) var runs: [Run] = []

    init(from: LocalDate, to: LocalDate, years useYears: Bool) {
        var day = from
        while day <= to {
            let nextYear = LocalDate(year: day.year + 1, month: 1, day: 1)!
            let nextMonth = day.month == 12 ? nextYear : LocalDate(year: day.year, month: day.month + 1, day: 1)!
            let nextDekad = day.day >= 21 ? nextMonth : LocalDate(year: day.year, month: day.month, day: day.day + 10)
            if useYears && day.month == 1 && day.day == 1 && nextYear.adding(days: -1) <= to {
                append(.year, day)
                day = nextYear
            } else if day.day == 1 && nextMonth.adding(days: -1) <= to {
                append(.month, day)
                day = nextMonth
            } else if [1, 11, 21].contains(day.day), let nextDekad, nextDekad.adding(days: -1) <= to {
                append(.dekad, day)
                day = nextDekad
            } else {
                append(.day, day)
                day = day.adding(days: 1)
            }
        }
    }

    /// The runs of one grain, as `(first, last)` keys.
    func runs(of grain: TallyGrain) -> [(String, String)] {
        runs.filter { $0.grain == grain }.map { ($0.first, $0.last) }
    }

    /// Extends the last run with the period of `grain` starting on `day` when the run is of the same grain (the
    /// walk is in date order, so it follows), else starts a new run.
    private mutating func append(_ grain: TallyGrain, _ day: LocalDate) {
        let key = grain.period(ofDay: day.description)
        if let last = runs.last, last.grain == grain {
            runs[runs.count - 1].last = key
        } else {
            runs.append(Run(grain: grain, first: key, last: key))
        }
    }
}
