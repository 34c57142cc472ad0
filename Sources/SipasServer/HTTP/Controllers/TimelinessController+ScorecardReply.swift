import Foundation
import Hummingbird
import SipasDomain

extension TimelinessController {
    /// The answer of `GET /v1/scorecard` (and `sipas report scorecard --json`): a ``ScorecardReport`` as clients read
    /// it. Missing figures are null, never left out, so every criterion and total has the same fields.
    struct ScorecardReply: ResponseCodable, Sendable {
        let unit: String
        let unitName: String?
        let year: Int
        let ruleSet: RuleSet
        let areas: [Area]
        let criteria: [Line]
        let total: Total
        /// The plan's goal; left out without a goal in the rule set or without the figures for it.
        let goal: Goal?
        /// What a partial set's total is, in words, so it is never read as the whole scheme's score.
        let coverage: String?
        let calendar: TimelinessController.Reply.CalendarBasis?
        /// The unit version scored, and its predecessors when the year precedes it.
        let unitVersion: UnitVersionBody?
        /// Whether the baselines are this unit's own; left out when the set names no baseline unit.
        let baselineSameTerritory: Bool?
        let baselineNote: String?

        init(_ report: ScorecardReport) {
            let ruleSet = report.ruleSet
            unit = report.unit
            unitName = report.unitName
            year = report.year
            self.ruleSet = RuleSet(
                id: ruleSet.id, title: ruleSet.title, source: ruleSet.source, pointsRule: ruleSet.pointsRule,
                baselineYear: ruleSet.baselineYear.map(String.init), baselineUnit: ruleSet.baselineUnit)
            areas = (ruleSet.areas ?? []).map {
                Area(id: $0.id, title: $0.title, office: $0.office, total: Total(report.card.total(area: $0.id)))
            }
            criteria = report.card.lines.map { Line($0, office: report.area(of: $0.criterion)?.office) }
            total = Total(report.total)
            if let goal = ruleSet.goal, let figures = report.goalFigures {
                let rate = figures.onTimeRate
                self.goal = Goal(
                    metric: goal.metric.rawValue, atLeast: goal.atLeast,
                    value: rate.exactPercent.map { Rounding.double($0, places: Rounding.percentPlaces) },
                    numerator: rate.numerator, denominator: rate.denominator, met: report.goalMet,
                    source: goal.source)
            } else {
                goal = nil
            }
            coverage = report.coverage
            calendar = report.calendar.map(TimelinessController.Reply.CalendarBasis.init)
            unitVersion = report.unitVersion
            baselineSameTerritory = report.baselineIsOwn
            baselineNote = report.baselineNote
        }

        // MARK: - Parts

        /// The rule set scored against; the optional parts are left out when the set has none.
        struct RuleSet: Codable, Sendable {
            let id: String
            let title: String
            let source: String
            let pointsRule: String?
            let baselineYear: String?
            let baselineUnit: String?
        }

        /// Points of the whole card or of an area.
        struct Total: Codable, Sendable {
            /// Null when no criterion has points yet: unknown, never 0.
            @ExplicitNull var points: Double?
            let max: Double
            @ExplicitNull var baseline: Double?
            let missing: Int
            let complete: Bool

            init(_ total: Scorecard.Total) {
                points = total.counted > 0 ? Rounding.double(total.points, places: 3) : nil
                max = Rounding.double(total.maximum, places: 3)
                baseline = total.baseline.map { Rounding.double($0, places: 3) }
                missing = total.missing
                complete = total.missing == 0
            }
        }

        /// An area of the rule set, with the office responsible and its points.
        struct Area: Codable, Sendable {
            let id: String
            let title: String
            @ExplicitNull var office: String?
            let total: Total
        }

        /// One criterion: this year's figure and points against the baseline and the maximum.
        struct Line: Codable, Sendable {
            let id, title, kind, status: String
            @ExplicitNull var area: String?
            @ExplicitNull var office: String?
            @ExplicitNull var metric: String?
            @ExplicitNull var level: String?
            /// Left out when the criterion measures itself, not a stand-in.
            let proxy: String?
            /// Percent, rounded once (two decimals).
            @ExplicitNull var value: Double?
            @ExplicitNull var numerator: Int?
            @ExplicitNull var denominator: Int?
            @ExplicitNull var points: Double?
            let max: Double
            @ExplicitNull var baseline: Double?
            @ExplicitNull var gap: Double?
            @ExplicitNull var change: Double?
            @ExplicitNull var rule: ScoringRuleSet.Rule?
            @ExplicitNull var entry: Entry?
            let provisional: Int

            init(_ line: Scorecard.Line, office: String?) {
                let criterion = line.criterion
                id = criterion.id
                title = criterion.title
                kind = criterion.isEntered ? "entered" : "computed"
                status = line.status.rawValue
                area = criterion.area
                self.office = office
                metric = criterion.metric?.rawValue
                level = criterion.metric == nil ? nil : (criterion.level ?? .all).rawValue
                proxy = criterion.proxy
                value = line.value.map { Rounding.double($0 * 100, places: Rounding.percentPlaces) }
                numerator = line.rate?.numerator
                denominator = line.rate?.denominator
                points = line.points.map { Rounding.double($0, places: 3) }
                max = criterion.max
                baseline = criterion.baseline
                gap = line.gap.map { Rounding.double($0, places: 3) }
                change = line.change.map { Rounding.double($0, places: 3) }
                rule = criterion.rule
                entry = line.entry.map {
                    Entry(
                        points: Rounding.double($0.points, places: 3), evidence: $0.evidence, actor: $0.actor,
                        at: Timestamp.format($0.at))
                }
                provisional = line.provisional
            }
        }

        /// The score an admin entered for a criterion sipas cannot measure, and its evidence.
        struct Entry: Codable, Sendable {
            let points: Double
            let evidence, actor, at: String
        }

        /// The plan's goal: null value and met while no dossier is resolved.
        struct Goal: Codable, Sendable {
            let metric: String
            let atLeast: Double
            @ExplicitNull var value: Double?
            let numerator, denominator: Int
            @ExplicitNull var met: Bool?
            let source: String
        }
    }
}

/// A scorecard is written as JSON only as the API answers it, so `sipas report scorecard --json` (which encodes the
/// report) and `GET /v1/scorecard` cannot differ.
extension ScorecardReport: Encodable {
    func encode(to encoder: any Encoder) throws {
        try TimelinessController.ScorecardReply(self).encode(to: encoder)
    }
}
