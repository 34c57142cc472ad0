import GRDB

/// The one contract between the two readers of a breakdown: the summed tallies and the flagged responses taken out
/// of them read a group from the same place and key it the same way, so a flagged response is always subtracted
/// from the group it was summed in.
extension TallyGrouping {
    /// The group's column in a tally table (`tally_unit` or `tally_cell`).
    var tallyColumn: String {
        switch self {
        case .none: "''"
        case .unit: "unitId"
        // Tallies keep a missing procedure as '' (the response keeps NULL: see responseColumn).
        case .procedure: "procedure"
        case .channel: "channel"
        // Grouped by month, the plan never reads the yearly grain; a month, dekad or day key starts with its month.
        case .month: "substr(period, 1, 7)"
        }
    }

    /// The group key of a stored response, as the tallies it was summed into hold it.
    func key(of response: FiledResponse, in range: TallyFetch.Range) -> String {
        switch self {
        case .none: ""
        case .unit: range.units[response.unitID] ?? ""
        // A response without a procedure is tallied under ''.
        case .procedure: response.procedure ?? ""
        case .channel: response.channel
        case .month: String(response.submittedDate.prefix(7))
        }
    }

    /// The group key of a value read from ``tallyColumn``: a unit version's row id becomes its group in
    /// `range` (the child unit it counts under); the other values are the key.
    func key(_ value: DatabaseValue, in range: TallyFetch.Range) -> String {
        switch self {
        case .unit: Int64.fromDatabaseValue(value).flatMap { range.units[$0] } ?? ""
        default: String.fromDatabaseValue(value) ?? ""
        }
    }
}
