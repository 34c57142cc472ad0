import Foundation

/// A scorecard rule set (bộ tiêu chí chấm điểm), declared in a file of `Deploy/scoring/`: provinces set their
/// own rules per year, so the rules are data (DOMAIN.md §4).
public struct ScoringRuleSet: Codable, Hashable, Sendable {
    /// What a criterion measures.
    public enum Metric: String, Codable, Hashable, Sendable, CaseIterable {
        /// PAR on-time rate: (early + on time) / resolved.
        case onTimeRate
        /// QĐ 766: (early + on time + in progress within deadline) / received.
        case decision766Timeliness
        /// Full-online dossiers / dossiers of eligible procedures.
        case fullOnlineRate
        /// Eligible procedures with at least one full-online dossier.
        case fullOnlineProcedureShare
        /// Dossiers paid online / dossiers with fees.
        case onlinePaymentRate
        /// Digitised / received.
        case digitisationRate
        /// The SIPAS satisfaction index (0-100 read as a rate 0-1).
        case sipasIndex
    }

    /// Which dossiers a criterion looks at: those of district-level or commune-level procedures, or all.
    public enum Level: String, Codable, Hashable, Sendable, CaseIterable {
        case district, commune, all
    }

    /// How a rate becomes points.
    public enum Rule: Hashable, Sendable, Codable {
        /// points = max × rate (the seed's: 98.33 % on time gives 2.95 of 3).
        case proportional
        /// The points of the highest threshold the rate reaches (0 below every threshold).
        case steps([Step])
        /// Full marks from `fullAt`, proportional below: min(max, max × rate / fullAt) (QĐ 766 uses 90 %).
        case capped(fullAt: Double)

        public struct Step: Codable, Hashable, Sendable {
            /// Lowest rate (0…1) that earns `points`.
            public var from: Double
            public var points: Double
        }

        private enum Keys: String, CodingKey { case kind, steps, fullAt }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Keys.self)
            switch try container.decode(String.self, forKey: .kind) {
            case "proportional": self = .proportional
            case "steps": self = .steps(try container.decode([Step].self, forKey: .steps))
            case "capped": self = .capped(fullAt: try container.decode(Double.self, forKey: .fullAt))
            case let other:
                throw DecodingError.dataCorruptedError(
                    forKey: .kind, in: container, debugDescription: "'\(other)' is not proportional, steps or capped")
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            switch self {
            case .proportional: try container.encode("proportional", forKey: .kind)
            case .steps(let steps):
                try container.encode("steps", forKey: .kind)
                try container.encode(steps, forKey: .steps)
            case .capped(let fullAt):
                try container.encode("capped", forKey: .kind)
                try container.encode(fullAt, forKey: .fullAt)
            }
        }

        /// The points for the exact `rate` (0…1) out of `maximum`, unrounded (round with ``Rounding``).
        public func points(rate: Decimal, maximum: Double) -> Decimal {
            let maximum = Rounding.decimal(maximum)
            let rate = Swift.min(Swift.max(rate, 0), 1)
            switch self {
            case .proportional: return maximum * rate
            case .steps(let steps):
                return steps.filter { rate >= Rounding.decimal($0.from) }.map { Rounding.decimal($0.points) }.max() ?? 0
            case .capped(let fullAt): return Swift.min(maximum, maximum * rate / Rounding.decimal(fullAt))
            }
        }
    }

    /// An area of the index (lĩnh vực), with the office the plan makes responsible for it.
    public struct Area: Codable, Hashable, Sendable {
        public var id: String
        public var title: String
        /// The responsible office (cơ quan chủ trì), e.g. "Phòng Nội vụ".
        public var office: String?
    }

    /// A goal the plan sets on a metric, shown as met or not.
    public struct Goal: Codable, Hashable, Sendable {
        public var metric: Metric
        /// Percent the metric must reach.
        public var atLeast: Double
        public var source: String
    }

    /// The whole scheme a partial rule set is taken from, so its total is never printed as that scheme's score.
    public struct Scheme: Codable, Hashable, Sendable {
        public var name: String
        /// The scheme's total points (100 for QĐ 766).
        public var total: Double
    }

    /// One criterion (tiêu chí): computed from dossiers (`metric`, `rule`) or entered by an admin with evidence.
    public struct Criterion: Codable, Hashable, Sendable {
        public var id: String
        /// The Vietnamese title, as the scorecard prints it.
        public var title: String
        /// The area it belongs to; nil in a rule set without areas.
        public var area: String?
        /// What it measures; nil for a criterion entered by an admin.
        public var metric: Metric?
        /// Which dossiers it looks at (computed criteria); all when absent.
        public var level: Level?
        /// Maximum points (điểm tối đa).
        public var max: Double
        /// How the metric becomes points (computed criteria).
        public var rule: Rule?
        /// The score of the baseline year, as the plan reports it.
        public var baseline: Double?
        /// Why the figure is only a stand-in for what the criterion defines, when it is.
        public var proxy: String?

        /// Entered by an admin rather than computed.
        public var isEntered: Bool { metric == nil }
    }

    public var id: String
    public var title: String
    /// Where the criteria and maxima come from.
    public var source: String
    /// How points are given and where that rule comes from.
    public var pointsRule: String?
    /// The year of the baseline scores.
    public var baselineYear: Int?
    /// The unit version the baseline scores are of (`875@2004-01-01`): another unit's scorecard shows them as another
    /// territory's, not as its own starting point.
    public var baselineUnit: String?
    public var areas: [Area]?
    public var goal: Goal?
    /// The scheme this set covers only part of.
    public var partOf: Scheme?
    public var criteria: [Criterion]

    /// Everything wrong with the rule set.
    public func problems() -> [String] {
        var problems: [String] = []
        if id.trimmed.isEmpty { problems.append("id: must not be empty") }
        if source.trimmed.isEmpty { problems.append("source: must name where the criteria come from") }
        if criteria.isEmpty { problems.append("criteria: a rule set needs at least one criterion") }
        let areaIDs = Set((areas ?? []).map(\.id))
        if let areas, areaIDs.count != areas.count { problems.append("areas: an id is used twice") }
        var ids: Set<String> = []
        for (index, criterion) in criteria.enumerated() {
            let path = "criteria[\(index)]"
            if !ids.insert(criterion.id).inserted { problems.append("\(path).id: duplicate '\(criterion.id)'") }
            if criterion.title.trimmed.isEmpty { problems.append("\(path).title: must not be empty") }
            if !(criterion.max > 0) { problems.append("\(path).max: must be positive") }
            if let area = criterion.area, !areaIDs.contains(area) {
                problems.append("\(path).area: '\(area)' is not one of the areas")
            }
            if areas != nil && criterion.area == nil { problems.append("\(path).area: every criterion needs its area") }
            if let baseline = criterion.baseline, !(0...criterion.max).contains(baseline) {
                problems.append("\(path).baseline: \(baseline) is outside 0-\(criterion.max)")
            }
            if criterion.isEntered {
                if criterion.rule != nil || criterion.level != nil {
                    problems.append("\(path): an entered criterion has no rule or level")
                }
                continue
            }
            switch criterion.rule {
            case nil: problems.append("\(path).rule: a computed criterion needs its rule")
            case .proportional: break
            case .steps(let steps):
                if steps.isEmpty { problems.append("\(path).rule.steps: must list at least one step") }
                for step in steps where !(0...1).contains(step.from) || step.points < 0 || step.points > criterion.max {
                    problems.append(
                        "\(path).rule.steps: from must be 0-1 and points 0-\(criterion.max), got \(step.from) → \(step.points)"
                    )
                }
            case .capped(let fullAt):
                if !(fullAt > 0 && fullAt <= 1) { problems.append("\(path).rule.fullAt: must be in (0, 1]") }
            }
        }
        if let partOf, !(partOf.total > maximum) {
            problems.append("partOf.total: must be more than the set's own \(maximum)")
        }
        return problems
    }

    /// The maximum of the whole set.
    public var maximum: Double { criteria.reduce(0) { $0 + $1.max } }
}
