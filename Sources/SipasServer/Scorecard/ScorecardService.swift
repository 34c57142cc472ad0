import Foundation
import SipasDomain

/// The PAR-style scorecard of a unit for a year: each criterion's metric, its points under a rule set, the total.
struct ScorecardService: Sendable {
    let reference: ReferenceData
    let timeliness: TimelinessService
    let index: IndexService

    /// One scored criterion.
    struct Line: Sendable {
        let criterion: ScoringRuleSet.Criterion
        /// The metric as a fraction 0…1; nil when there is nothing to measure (or the index is withheld).
        let value: Double?
        let numerator: Int?
        let denominator: Int?
        let points: Double?
    }

    func report(unit: String, year: Int, ruleSet id: String?, reader: FigureReader, today: LocalDate) async throws -> ScorecardReport {
        guard let ruleSet = reference.ruleSet(id) else {
            let known = reference.ruleSets.map(\.id).joined(separator: ", ")
            throw Problem.invalid(InvalidResponse([FieldProblem(field: "ruleset", message: "unknown rule set '\(id ?? "")' (known: \(known))")]))
        }
        guard let from = LocalDate(year: year, month: 1, day: 1), let to = LocalDate(year: year, month: 12, day: 31) else {
            throw Problem.invalid(InvalidResponse([FieldProblem(field: "year", message: "'\(year)' is not a year")]))
        }
        let asOf = min(today, to)
        var byLevel: [ScoringRuleSet.Level: TimelinessFigures] = [:]
        var unitName: String?
        for level in Set(ruleSet.criteria.filter { $0.metric != .sipasIndex }.map(\.level)) {
            var query = TimelinessService.Query(unit: unit, from: from, to: to, asOf: asOf, groupBy: nil)
            query.level = level == .district ? .district : level == .commune ? .commune : nil
            let report = try await timeliness.report(query, reader: reader)
            byLevel[level] = report.figures
            unitName = report.unitName
        }
        var sipas: IndexFigure?
        // No published SIPAS survey (a database holding only dossiers) leaves that criterion without data.
        if ruleSet.criteria.contains(where: { $0.metric == .sipasIndex }), index.catalog.current("sipas") != nil {
            let report = try await index.report(IndexRequest(unit: unit, from: from, to: to), reader: reader)
            sipas = report.figures.overall
            unitName = unitName ?? report.unitName
        }
        let lines = ruleSet.criteria.map { criterion -> Line in
            let rate: Rate?
            var value: Double?
            switch criterion.metric {
            case .sipasIndex:
                rate = nil
                value = sipas?.value.map { $0 / 100 }
            default:
                let figures = byLevel[criterion.level] ?? TimelinessFigures()
                switch criterion.metric {
                case .onTimeRate: rate = figures.onTimeRate
                case .decision766Timeliness: rate = figures.decision766Timeliness
                case .fullOnlineRate: rate = figures.fullOnlineRate
                case .fullOnlineProcedureShare: rate = figures.fullOnlineProcedureShare
                case .onlinePaymentRate: rate = figures.onlinePaymentRate
                case .digitisationRate: rate = figures.digitisationRate
                case .sipasIndex: rate = nil
                }
                value = rate?.fraction
            }
            return Line(
                criterion: criterion, value: value, numerator: rate?.numerator, denominator: rate?.denominator,
                points: value.map { roundedPoints(criterion.rule.points(rate: $0, maximum: criterion.max)) })
        }
        return ScorecardReport(unit: unit, unitName: unitName, year: year, ruleSet: ruleSet, lines: lines)
    }
}
