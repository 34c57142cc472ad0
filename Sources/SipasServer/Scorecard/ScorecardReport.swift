import SipasDomain

/// The answer of `GET /v1/scorecard` and `sipas report scorecard`.
struct ScorecardReport: Encodable, Sendable {
    let unit: String
    let unitName: String?
    let year: Int
    let ruleSet: ScoringRuleSet
    let lines: [ScorecardService.Line]

    var total: Double { roundedPoints(lines.compactMap(\.points).reduce(0, +)) }

    struct LineBody: Encodable {
        let id: String
        let title: String
        let metric: String
        let level: String
        /// Percent.
        let value: Double?
        let numerator: Int?
        let denominator: Int?
        let points: Double?
        let max: Double
        let rule: ScoringRuleSet.Rule

        private enum Keys: String, CodingKey { case id, title, metric, level, value, numerator, denominator, points, max, rule }

        /// Missing figures are written as null, not left out, so every criterion has the same fields.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(id, forKey: .id)
            try container.encode(title, forKey: .title)
            try container.encode(metric, forKey: .metric)
            try container.encode(level, forKey: .level)
            try container.encode(value, forKey: .value)
            try container.encode(numerator, forKey: .numerator)
            try container.encode(denominator, forKey: .denominator)
            try container.encode(points, forKey: .points)
            try container.encode(max, forKey: .max)
            try container.encode(rule, forKey: .rule)
        }
    }

    private enum Keys: String, CodingKey { case unit, unitName, year, ruleSet, criteria, total }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(unit, forKey: .unit)
        try container.encodeIfPresent(unitName, forKey: .unitName)
        try container.encode(year, forKey: .year)
        try container.encode(["id": ruleSet.id, "title": ruleSet.title, "source": ruleSet.source], forKey: .ruleSet)
        try container.encode(lines.map { line in
            LineBody(
                id: line.criterion.id, title: line.criterion.title, metric: line.criterion.metric.rawValue, level: line.criterion.level.rawValue,
                value: line.value.map { ($0 * 1_000_000).rounded() / 10_000 }, numerator: line.numerator, denominator: line.denominator,
                points: line.points, max: line.criterion.max, rule: line.criterion.rule)
        }, forKey: .criteria)
        try container.encode(["points": total, "max": ruleSet.maximum], forKey: .total)
    }

    /// The scorecard as the seed plan writes it: "Tỷ lệ hồ sơ TTHC cấp huyện giải quyết đúng hạn: 98,33 % (2,95/3 điểm)".
    var text: String {
        var lines = ["\(ruleSet.title)", "Đơn vị: \(unitName ?? unit) (\(unit)), năm \(year)", ""]
        for line in self.lines {
            let value = line.value.map { "\(IndexReport.number(100 * $0)) %" } ?? "chưa có số liệu"
            let points = line.points.map(Self.points) ?? "—"
            lines.append("\(line.criterion.title): \(value) (\(points)/\(Self.points(line.criterion.max)) điểm)")
        }
        lines.append("")
        lines.append("Tổng điểm: \(Self.points(total))/\(Self.points(ruleSet.maximum)) điểm")
        return lines.joined(separator: "\n")
    }

    /// `2,95`, `3`, `0,75`: points with a decimal comma and no useless zeros.
    static func points(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        if hundredths % 100 == 0 { return String(hundredths / 100) }
        let fraction = hundredths % 100
        let digits = fraction % 10 == 0 ? String(fraction / 10) : (fraction < 10 ? "0\(fraction)" : String(fraction))
        return "\(hundredths / 100),\(digits)"
    }
}
