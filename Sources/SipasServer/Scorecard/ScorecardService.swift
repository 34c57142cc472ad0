import Foundation
import SipasDomain

/// The PAR-style scorecard of a unit for a year under a rule set: computed criteria from the dossiers (and the
/// satisfaction index), entered criteria from their latest entries, totals per area and overall.
struct ScorecardService: Sendable {
    let reference: ReferenceData
    let timeliness: TimelinessService
    let index: IndexService
    let database: AppDatabase

    /// A rule set the request named that does not exist, or an entry that does not fit its criterion.
    static func invalid(_ field: String, _ message: String) -> InvalidInput {
        InvalidInput([FieldProblem(field: field, message: message)])
    }

    func ruleSet(_ id: String?) throws -> ScoringRuleSet {
        guard let ruleSet = reference.ruleSet(id) else {
            let known = reference.ruleSets.map(\.id).joined(separator: ", ")
            throw Self.invalid("ruleset", "unknown rule set '\(id ?? "")' (known: \(known))")
        }
        return ruleSet
    }

    func report(unit: String, year: Int, ruleSet id: String?, reader: FigureReader, today: LocalDate) async throws
        -> ScorecardReport
    {
        let ruleSet = try ruleSet(id)
        guard let period = Period(year: year) else {
            throw Self.invalid("year", "'\(year)' is not a year")
        }
        let asOf = min(today, period.to)
        var byLevel: [ScoringRuleSet.Level: TimelinessReport] = [:]
        var levels = Set(
            ruleSet.criteria.filter { $0.metric != nil && $0.metric != .sipasIndex }.map { $0.level ?? .all })
        if ruleSet.goal != nil { levels.insert(.all) }
        var unitName: String?
        var unitVersion: UnitVersionBody?
        for level in levels {
            var query = TimelinessService.Query(unit: unit, period: period, asOf: asOf, groupBy: nil)
            query.level = level == .district ? .district : level == .commune ? .commune : nil
            let report = try await timeliness.report(query, reader: reader)
            byLevel[level] = report
            unitName = report.unitName
            unitVersion = report.unitVersion
        }
        var satisfaction: Decimal?
        // No published survey (a database holding only dossiers) leaves that criterion without data.
        if ruleSet.criteria.contains(where: { $0.metric == .sipasIndex }), index.catalog.current("sipas") != nil {
            let report = try await index.report(IndexRequest(unit: unit, period: period), reader: reader)
            satisfaction = report.figures.overall.exact
            unitName = unitName ?? report.unitName
            unitVersion = unitVersion ?? report.unitVersion
        } else {
            // An official must still be allowed to read this unit: the scope check runs with the timeliness query.
            if levels.isEmpty {
                _ = try await timeliness.report(
                    .init(unit: unit, period: period, asOf: asOf, groupBy: nil), reader: reader)
            }
        }
        // Entries belong to one unit version: the one this scorecard reports.
        let scored = unitVersion.map { "\($0.code)@\($0.validFrom)" } ?? unit
        let entries = try await database.scorecardEntries(ruleSet: ruleSet.id, unit: scored, year: year)
        let card = Scorecard.compute(
            ruleSet, figures: { byLevel[$0]?.figures ?? TimelinessFigures() }, satisfaction: satisfaction,
            entries: entries)
        let all = byLevel[.all]
        let directory = try await index.units.current().directory
        let baseline = ruleSet.baselineUnit.flatMap(UnitReference.init).flatMap { reference in
            reference.validFrom.flatMap { directory.version(reference.code, from: $0)?.name }
        }
        return ScorecardReport(
            unit: unit, unitName: unitName, year: year, card: card, goalFigures: all?.figures,
            calendar: all?.calendar ?? byLevel.values.first?.calendar,
            unitVersion: unitVersion, baselineUnitName: baseline)
    }

    /// Validates and stores an entered score: the criterion must be one entered by hand, the points within 0 and its
    /// maximum with at most three decimals, the year not after the current one, the unit in force that year, and the
    /// evidence named.
    func enter(
        unit: String, year: Int, ruleSet id: String?, criterion: String, points text: String, evidence: String,
        actor: String, now: Date
    ) async throws -> ScorecardEntry {
        let ruleSet = try ruleSet(id)
        guard let line = ruleSet.criteria.first(where: { $0.id == criterion }) else {
            throw Self.invalid("criterion", "'\(criterion)' is not a criterion of \(ruleSet.id)")
        }
        guard line.isEntered else {
            throw Self.invalid("criterion", "'\(criterion)' is computed from the dossiers; it cannot be entered")
        }
        // Up to three decimals: the plan itself scores 0,813.
        let normalised = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
        guard normalised.count <= 12,
            normalised.range(of: #"^[0-9]+(\.[0-9]{1,3})?$"#, options: .regularExpression) != nil,
            let points = Decimal(string: normalised, locale: Locale(identifier: "en_US_POSIX"))
        else { throw Self.invalid("points", "'\(text)' is not a number of points such as 0,5 or 0.813") }
        guard points <= Rounding.decimal(line.max) else {
            throw Self.invalid(
                "points",
                "\(Rounding.text(points, places: 3)) is more than the criterion's maximum \(Rounding.text(Rounding.decimal(line.max), places: 3))"
            )
        }
        let given = evidence
        let evidence: String
        switch InputText.optional(given, field: "evidence", kind: .multiline, maximumLength: 1_000) {
        case .success(let text?): evidence = text
        case .success(nil): throw Self.invalid("evidence", "is required: name the document the score rests on")
        case .failure(let problem): throw InvalidInput([problem])
        }
        guard LocalDate.years.contains(year), year <= LocalDate(now).year else {
            throw Self.invalid("year", "'\(year)' is not a year from 1900 to the current one")
        }
        let directory = try await index.units.current().directory
        guard let reference = UnitReference(unit), directory.contains(code: reference.code) else {
            throw Self.invalid("unit", "unknown unit '\(unit)'")
        }
        // The entry belongs to one unit version: the one named, or the one a bare code means for that year (as the
        // scorecard resolves it); that version must be in force in the year, or be formed from units that were.
        guard let whole = Period(year: year), let version = directory.resolve(reference, on: whole.to)
        else { throw Self.invalid("unit", "unit \(unit) has no version \(reference)") }
        let inForce = version.validFrom <= whole.to && (version.validTo ?? whole.to) >= whole.from
        guard inForce || (version.validFrom > whole.to && !version.formedFrom.isEmpty) else {
            throw Self.invalid("unit", "unit \(version.key) (\(version.name)) is not in force in \(year)")
        }
        let entry = ScorecardEntry(criterion: criterion, points: points, evidence: evidence, actor: actor, at: now)
        try await database.enterScore(entry, ruleSet: ruleSet.id, unit: version.key, year: year)
        return entry
    }
}
