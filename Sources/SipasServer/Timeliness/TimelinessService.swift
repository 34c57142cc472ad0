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
        var from: LocalDate
        var to: LocalDate
        var asOf: LocalDate
        var groupBy: TimelinessGrouping?
        /// Only dossiers of procedures of this level (for scorecard criteria).
        var level: UnitLevel?
    }

    /// Reads `unit`, `from`/`to` or `year`, `asOf` (default today) and `groupBy`.
    static func query(_ parameters: [String: String], today: LocalDate) throws -> Query {
        var problems: [FieldProblem] = []
        var index = parameters
        index["groupBy"] = nil
        let period: IndexRequest
        do {
            period = try IndexRequest(parameters: index, now: today)
        } catch let problem as Problem {
            problems += problem.errors
            period = IndexRequest(unit: "", from: today, to: today)
        }
        var asOf = today
        if let text = parameters["asOf"] {
            if let date = LocalDate(text) { asOf = date } else { problems.append(FieldProblem(field: "asOf", message: "'\(text)' is not a date YYYY-MM-DD")) }
        }
        var groupBy: TimelinessGrouping?
        if let text = parameters["groupBy"] {
            groupBy = TimelinessGrouping(rawValue: text)
            if groupBy == nil {
                problems.append(FieldProblem(field: "groupBy", message: "'\(text)' is not one of \(TimelinessGrouping.allCases.map(\.rawValue).joined(separator: ", "))"))
            }
        }
        guard problems.isEmpty else { throw Problem.invalid(InvalidResponse(problems)) }
        return Query(unit: period.unit, from: period.from, to: period.to, asOf: asOf, groupBy: groupBy)
    }

    /// The figures, whole and by group, for what the reader may see.
    func report(_ query: Query, reader: FigureReader) async throws -> TimelinessReport {
        let snapshot = try await units.current()
        let scope = try IndexService.authorisedScope(unit: query.unit, from: query.from, to: query.to, reader: reader, snapshot: snapshot)
        let procedures = try await database.writer.read { db in
            Dictionary(uniqueKeysWithValues: try AppDatabase.fetchProcedures(db).map { ($0.code, $0) })
        }
        let dossiers = try await database.dossiers(in: IndexService.ranges(scope, snapshot: snapshot))
        var total = TimelinessFigures()
        var groups: [String: TimelinessFigures] = [:]
        var provisionalDays: [LocalDate: HolidayYear.Day] = [:]
        var yearsWithoutNotice: Set<Int> = []
        for (dossier, unitGroup) in dossiers {
            let procedure = procedures[dossier.procedure]
            if let level = query.level, procedure?.level != level { continue }
            total.add(dossier, procedure: procedure, asOf: query.asOf)
            if dossier.dueDateProvisional && dossier.status != .withdrawn {
                for day in calendar.provisionalDays(from: dossier.receivedDate, to: dossier.dueDate) { provisionalDays[day.date] = day }
                yearsWithoutNotice.formUnion(calendar.yearsWithoutNotice(from: dossier.receivedDate, to: dossier.dueDate))
            }
            let key: String?
            switch query.groupBy {
            case nil: key = nil
            case .unit: key = unitGroup
            case .procedure: key = dossier.procedure
            case .channel: key = dossier.channel.rawValue
            case .month: key = String(dossier.receivedDate.description.prefix(7))
            }
            if let key { groups[key, default: TimelinessFigures()].add(dossier, procedure: procedure, asOf: query.asOf) }
        }
        // Children (and predecessors) without any dossier still appear, as in the index, so a missing one is visible.
        if query.groupBy == .unit {
            for group in Set(scope.segments.map(\.group)) where groups[group] == nil { groups[group] = TimelinessFigures() }
        }
        let unitName = scope.version?.name ?? snapshot.directory.name(of: query.unit, on: query.to)
        let labelled = groups.keys.sorted().map { key -> (String, String, TimelinessFigures) in
            let label: String
            switch query.groupBy {
            case .unit: label = snapshot.groupLabel(key, root: scope.version?.code ?? query.unit, on: query.to, scope: scope)
            case .procedure: label = procedures[key]?.name ?? key
            default: label = key
            }
            return (key, label, groups[key]!)
        }
        let basis = TimelinessReport.CalendarBasis(
            provisionalDays: provisionalDays.values.sorted { $0.date < $1.date }, yearsWithoutNotice: yearsWithoutNotice.sorted(),
            rules: calendar.rules)
        return TimelinessReport(
            query: query, unitName: unitName, figures: total, groups: labelled, policy: policy, calendar: basis, unitVersion: UnitVersionBody(scope))
    }
}
