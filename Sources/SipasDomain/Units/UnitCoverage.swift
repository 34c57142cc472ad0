/// Everything a unit version covers over all time: the units under it while it is in force, and its predecessors
/// (and what was under them) before it started. What an official or an integration token bound to that version may
/// read or push (DOMAIN.md §6).
public struct UnitCoverage: Sendable {
    /// The date ranges each unit version (`CODE@validFrom`) is covered over.
    private let ranges: [String: [ClosedRange<LocalDate>]]

    public init(directory: UnitDirectory, grant: AdministrativeUnit) {
        let scope = UnitScope(
            directory: directory, version: grant, from: LocalDate(year: 1900, month: 1, day: 1)!,
            to: LocalDate(year: 9999, month: 12, day: 31)!)
        var ranges: [String: [ClosedRange<LocalDate>]] = [:]
        for segment in scope.segments { ranges[segment.key, default: []].append(segment.from...segment.to) }
        self.ranges = ranges.mapValues { $0.sorted { $0.lowerBound < $1.lowerBound } }
    }

    /// Whether the unit version `key` is covered on every day from `from` to `to`.
    public func covers(_ key: String, from: LocalDate, to: LocalDate) -> Bool {
        var day = from
        for range in ranges[key] ?? [] where range.lowerBound <= day && day <= range.upperBound {
            if range.upperBound >= to { return true }
            day = range.upperBound.adding(days: 1)
        }
        return false
    }

    /// Whether the unit version `key` is covered at some time.
    public func holds(_ key: String) -> Bool { ranges[key] != nil }
}
