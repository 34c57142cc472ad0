import Foundation
import SipasDomain

/// How timeliness figures are broken down.
enum TimelinessGrouping: String, Sendable, CaseIterable {
    case unit, procedure, month, channel
}

/// The CCHC timeliness figures of the dossiers a unit received in a period.
struct TimelinessService: Sendable {
    let database: AppDatabase
    let units: UnitCache
    let policy: SamplePolicy
    let calendar: WorkingCalendar

    struct Query: Sendable {
        var unit: String
        var period: Period
        /// The day the outcomes are counted on (`asOf`, default today): a dossier still open then is in progress.
        var asOf: LocalDate
        var groupBy: TimelinessGrouping?
        /// Only dossiers of procedures of this level (for scorecard criteria).
        var level: UnitLevel?
        /// Only dossiers that came through this channel (`channel=online`): a dossier's channel, not a survey's.
        var channel: DossierChannel?
    }

    /// The parameters of `GET /v1/timeliness`.
    static let parameterNames = ["unit", "from", "to", "year", "asOf", "groupBy", "channel"]
    /// The parameters of `GET /v1/coverage`: the unit and the period.
    static let coverageParameterNames = ["unit", "from", "to", "year"]

    /// Reads `unit`, `from`/`to` or `year`, `asOf` (default today), `groupBy` and `channel`, those of them `endpoint`
    /// takes (`accepted`), each against its own words.
    static func query(
        _ parameters: QueryParameters, today: LocalDate, accepted: [String] = parameterNames,
        endpoint: String = "/v1/timeliness"
    ) throws -> Query {
        var reader = ParameterReader(parameters, accepted: accepted, endpoint: endpoint)
        let unit = reader["unit"] ?? ""
        if unit.isEmpty { reader.report("unit", "is required (the code of the unit, e.g. 875)") }
        let period = reader.period(today: today)
        let asOf = reader.date("asOf") ?? today
        let groupBy = reader.word("groupBy", TimelinessGrouping.self)
        let channel = reader.word("channel", DossierChannel.self)
        try reader.check()
        return Query(unit: unit, period: period, asOf: asOf, groupBy: groupBy, channel: channel)
    }

    /// The figures, whole and by group, for what the reader may see.
    func report(_ query: Query, reader: FigureReader) async throws -> TimelinessReport {
        let snapshot = try await units.current()
        let scope = try UnitAccess.scope(unit: query.unit, period: query.period, reader: reader, snapshot: snapshot)
        let procedures = try await database.procedures()
        let dossiers = try await database.dossiers(in: UnitAccess.ranges(scope, snapshot: snapshot))
        var total = TimelinessFigures()
        var groups: [String: TimelinessFigures] = [:]
        var provisionalDays: [LocalDate: HolidayYear.Day] = [:]
        var yearsWithoutNotice: Set<Int> = []
        for (dossier, unitGroup) in dossiers {
            let procedure = procedures[dossier.procedure]
            if let level = query.level, procedure?.level != level { continue }
            if let channel = query.channel, dossier.channel != channel { continue }
            total.add(dossier, procedure: procedure, asOf: query.asOf)
            if dossier.dueDateProvisional && dossier.status != .withdrawn {
                for day in calendar.provisionalDays(from: dossier.receivedDate, to: dossier.dueDate) {
                    provisionalDays[day.date] = day
                }
                yearsWithoutNotice.formUnion(
                    calendar.yearsWithoutNotice(from: dossier.receivedDate, to: dossier.dueDate))
            }
            let key: String?
            switch query.groupBy {
            case nil: key = nil
            case .unit: key = unitGroup
            case .procedure: key = dossier.procedure
            case .channel: key = dossier.channel.rawValue
            case .month: key = String(dossier.receivedDate.description.prefix(7))
            }
            if let key {
                groups[key, default: TimelinessFigures()].add(dossier, procedure: procedure, asOf: query.asOf)
            }
        }
        // Children (and predecessors) without any dossier still appear, as in the index, so a missing one is visible.
        if query.groupBy == .unit {
            for group in Set(scope.segments.map(\.group)) where groups[group] == nil {
                groups[group] = TimelinessFigures()
            }
        }
        let unitName = scope.version?.name ?? snapshot.directory.name(of: query.unit, on: query.period.to)
        let labelled = groups.keys.sorted().map { key -> (String, String, TimelinessFigures) in
            let label: String
            switch query.groupBy {
            case .unit:
                label = snapshot.groupLabel(
                    key, root: scope.version?.code ?? query.unit, on: query.period.to, scope: scope)
            case .procedure: label = procedures[key]?.name ?? key
            default: label = key
            }
            return (key, label, groups[key]!)
        }
        let basis = TimelinessReport.CalendarBasis(
            provisionalDays: provisionalDays.values.sorted { $0.date < $1.date },
            yearsWithoutNotice: yearsWithoutNotice.sorted(),
            rules: calendar.rules)
        return TimelinessReport(
            query: query, unitName: unitName, figures: total, groups: labelled, policy: policy, calendar: basis,
            unitVersion: UnitVersionBody(scope))
    }
}
