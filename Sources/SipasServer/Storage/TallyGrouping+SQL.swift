import GRDB

/// The one contract between the two readers of a breakdown: the summed tallies and the flagged responses taken out
/// of them read a group from the same place and key it the same way, so a flagged response is always subtracted
/// from the group it was summed in.
extension TallyGrouping {
    /// The group's column in a tally table whose period column is `period` (`year`, `month` or `day`).
    func tallyColumn(period: String) -> String {
        switch self {
        case .none: "''"
        case .unit: "unitId"
        // Tallies keep a missing procedure as '' (the response keeps NULL: see responseColumn).
        case .procedure: "procedure"
        case .channel: "channel"
        // Grouped by month, the plan never reads the yearly grain.
        case .month: period == "month" ? "month" : "substr(\(period), 1, 7)"
        }
    }

    /// The group's column in `response r`, as the tallies hold it.
    var responseColumn: String {
        switch self {
        case .none: "''"
        case .unit: "r.unitId"
        case .procedure: "coalesce(r.procedure, '')"
        case .channel: "r.channel"
        case .month: "substr(r.submittedDate, 1, 7)"
        }
    }

    /// The group key of a value read from either column: a unit version's row id becomes its group in `range`
    /// (the child unit it counts under); the other values are the key.
    func key(_ value: DatabaseValue, in range: TallyFetch.Range) -> String {
        switch self {
        case .unit: Int64.fromDatabaseValue(value).flatMap { range.units[$0] } ?? ""
        default: String.fromDatabaseValue(value) ?? ""
        }
    }
}
