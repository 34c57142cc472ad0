import Foundation

/// A score an admin entered for a criterion sipas cannot measure, with its evidence (điểm tự chấm, tài liệu kiểm
/// chứng). The latest entry of a criterion counts; earlier ones stay in the history and the audit log.
public struct ScorecardEntry: Hashable, Sendable {
    public var criterion: String
    public var points: Decimal
    /// What the score rests on (a report's number and date, a decision…).
    public var evidence: String
    /// Who entered it (an admin token's label, or the command line).
    public var actor: String
    public var at: Date

    public init(criterion: String, points: Decimal, evidence: String, actor: String, at: Date) {
        self.criterion = criterion
        self.points = points
        self.evidence = evidence
        self.actor = actor
        self.at = at
    }
}

/// A unit's scorecard for a year under a rule set (DOMAIN.md §4): every criterion computed from the figures or taken
/// from its entry, with the baseline, the gap to the maximum, the totals per area and overall.
public struct Scorecard: Hashable, Sendable {
    /// How a criterion's line got its points.
    public enum Status: String, Hashable, Sendable {
        /// Computed from dossiers or responses.
        case computed
        /// Nothing to measure (no dossiers of that kind, or the figure is withheld).
        case noData
        /// Entered by an admin.
        case entered
        /// Not entered yet: shown as such, never as 0.
        case notEntered
    }

    /// One criterion's line.
    public struct Line: Hashable, Sendable {
        public let criterion: ScoringRuleSet.Criterion
        public let status: Status
        /// The computed rate with its counts (computed criteria over dossiers).
        public let rate: Rate?
        /// The computed value as an exact fraction 0…1 (a rate, or the satisfaction index / 100).
        public let value: Decimal?
        /// The entry, for an entered criterion.
        public let entry: ScorecardEntry?
        /// Points: computed ones rounded to two decimals, entered ones as entered; nil when there is no data or no entry.
        public let points: Decimal?
        /// Counted dossiers whose due dates rest on a provisional calendar day.
        public let provisional: Int

        /// Points still to gain: maximum − points; nil without points.
        public var gap: Decimal? { points.map { Rounding.decimal(criterion.max) - $0 } }
        /// Change from the baseline; nil without points or baseline.
        public var change: Decimal? {
            guard let points, let baseline = criterion.baseline else { return nil }
            return points - Rounding.decimal(baseline)
        }
    }

    /// The totals of an area (or of the whole set).
    public struct Total: Hashable, Sendable {
        public let points: Decimal
        public let maximum: Decimal
        public let baseline: Decimal?
        /// Criteria without points (not entered, or no data): the total is then incomplete.
        public let missing: Int
        /// Criteria with points; with none, the total is unknown, not 0.
        public let counted: Int
    }

    public let ruleSet: ScoringRuleSet
    public let lines: [Line]

    /// Computes every line.
    ///
    /// - Parameters:
    ///   - figures: the timeliness figures of the dossiers of a level (district, commune or all).
    ///   - satisfaction: the satisfaction index in percent, exact; nil when withheld or absent.
    ///   - entries: the latest entry of each entered criterion, by criterion id.
    public static func compute(
        _ ruleSet: ScoringRuleSet, figures: (ScoringRuleSet.Level) -> TimelinessFigures, satisfaction: Decimal?,
        entries: [String: ScorecardEntry]
    ) -> Scorecard {
        let lines = ruleSet.criteria.map { criterion -> Line in
            guard let metric = criterion.metric, let rule = criterion.rule else {
                let entry = entries[criterion.id]
                return Line(
                    criterion: criterion, status: entry == nil ? .notEntered : .entered, rate: nil, value: nil,
                    entry: entry,
                    points: entry?.points, provisional: 0)
            }
            let level = criterion.level ?? .all
            let counted = figures(level)
            let rate = counted.rate(of: metric)
            let value = metric == .sipasIndex ? satisfaction.map { $0 / 100 } : rate?.exactFraction
            let dependsOnDueDates = metric == .onTimeRate || metric == .decision766Timeliness
            return Line(
                criterion: criterion, status: value == nil ? .noData : .computed, rate: rate, value: value, entry: nil,
                points: value.map {
                    Rounding.rounded(rule.points(rate: $0, maximum: criterion.max), places: Rounding.pointsPlaces)
                },
                provisional: dependsOnDueDates ? counted.provisional : 0)
        }
        return Scorecard(ruleSet: ruleSet, lines: lines)
    }

    /// The totals of the lines of one area, or of every line when `area` is nil.
    public func total(area: String? = nil) -> Total {
        let lines = self.lines.filter { area == nil || $0.criterion.area == area }
        let baselines = lines.compactMap(\.criterion.baseline)
        return Total(
            points: lines.compactMap(\.points).reduce(0, +),
            maximum: lines.map { Rounding.decimal($0.criterion.max) }.reduce(0, +),
            baseline: baselines.count == lines.count && !lines.isEmpty
                ? baselines.map(Rounding.decimal).reduce(0, +) : nil,
            missing: lines.filter { $0.points == nil }.count, counted: lines.filter { $0.points != nil }.count)
    }

    /// Whether the plan's goal is met, when the set has one and its metric has a value.
    public func goalMet(_ figures: TimelinessFigures) -> Bool? {
        guard let goal = ruleSet.goal, let rate = figures.rate(of: goal.metric) else { return nil }
        return rate.exactPercent.map { $0 >= Rounding.decimal(goal.atLeast) }
    }
}

extension TimelinessFigures {
    /// The rate a scoring metric reads from the dossiers; nil for the satisfaction index, which is not a dossier rate.
    public func rate(of metric: ScoringRuleSet.Metric) -> Rate? {
        switch metric {
        case .onTimeRate: onTimeRate
        case .decision766Timeliness: decision766Timeliness
        case .fullOnlineRate: fullOnlineRate
        case .fullOnlineProcedureShare: fullOnlineProcedureShare
        case .onlinePaymentRate: onlinePaymentRate
        case .digitisationRate: digitisationRate
        case .sipasIndex: nil
        }
    }
}
