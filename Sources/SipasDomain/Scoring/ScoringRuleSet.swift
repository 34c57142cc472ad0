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
                throw DecodingError.dataCorruptedError(forKey: .kind, in: container, debugDescription: "'\(other)' is not proportional, steps or capped")
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

        /// The points for `rate` (0…1) out of `maximum`, unrounded.
        public func points(rate: Double, maximum: Double) -> Double {
            switch self {
            case .proportional: return maximum * min(max(rate, 0), 1)
            case .steps(let steps): return steps.filter { rate >= $0.from }.map(\.points).max() ?? 0
            case .capped(let fullAt): return min(maximum, maximum * max(rate, 0) / fullAt)
            }
        }
    }

    /// One criterion (tiêu chí).
    public struct Criterion: Codable, Hashable, Sendable {
        public var id: String
        /// The Vietnamese title, as the scorecard prints it.
        public var title: String
        public var metric: Metric
        public var level: Level
        /// Maximum points (điểm tối đa).
        public var max: Double
        public var rule: Rule
    }

    public var id: String
    public var title: String
    /// Where the criteria and maxima come from.
    public var source: String
    public var criteria: [Criterion]

    /// Everything wrong with the rule set.
    public func problems() -> [String] {
        var problems: [String] = []
        if id.trimmed.isEmpty { problems.append("id: must not be empty") }
        if source.trimmed.isEmpty { problems.append("source: must name where the criteria come from") }
        if criteria.isEmpty { problems.append("criteria: a rule set needs at least one criterion") }
        var ids: Set<String> = []
        for (index, criterion) in criteria.enumerated() {
            let path = "criteria[\(index)]"
            if !ids.insert(criterion.id).inserted { problems.append("\(path).id: duplicate '\(criterion.id)'") }
            if criterion.title.trimmed.isEmpty { problems.append("\(path).title: must not be empty") }
            if !(criterion.max > 0) { problems.append("\(path).max: must be positive") }
            switch criterion.rule {
            case .proportional: break
            case .steps(let steps):
                if steps.isEmpty { problems.append("\(path).rule.steps: must list at least one step") }
                for step in steps where !(0...1).contains(step.from) || step.points < 0 || step.points > criterion.max {
                    problems.append("\(path).rule.steps: from must be 0-1 and points 0-\(criterion.max), got \(step.from) → \(step.points)")
                }
            case .capped(let fullAt):
                if !(fullAt > 0 && fullAt <= 1) { problems.append("\(path).rule.fullAt: must be in (0, 1]") }
            }
        }
        return problems
    }

    /// The maximum of the whole set.
    public var maximum: Double { criteria.reduce(0) { $0 + $1.max } }
}

/// Points are published with two decimals ("2,95/3 điểm").
public func roundedPoints(_ points: Double) -> Double {
    (points * 100 + 1e-9).rounded() / 100
}
