import Foundation
import SipasDomain

/// The answer of `GET /v1/scorecard`, `sipas report scorecard` and the dashboard's scorecard: per criterion the
/// baseline, this year's figure and points, the maximum, the gap and the responsible office; totals per area and
/// overall; the plan's goal met or not; and what the due dates were counted on.
struct ScorecardReport: Encodable, Sendable {
    let unit: String
    let unitName: String?
    let year: Int
    let card: Scorecard
    /// The figures of all the unit's dossiers, for the plan's goal.
    let goalFigures: TimelinessFigures?
    let calendar: TimelinessReport.CalendarBasis?
    /// The unit version scored, and its predecessors when the year precedes it.
    var unitVersion: UnitVersionBody? = nil
    /// The name of the unit the rule set's baselines are of.
    var baselineUnitName: String? = nil

    var ruleSet: ScoringRuleSet { card.ruleSet }
    var total: Scorecard.Total { card.total() }

    /// The office responsible for a criterion, from its area.
    func area(of criterion: ScoringRuleSet.Criterion) -> ScoringRuleSet.Area? {
        ruleSet.areas?.first { $0.id == criterion.area }
    }

    /// Whether the plan's goal is met; nil without a goal or without resolved dossiers.
    var goalMet: Bool? { goalFigures.flatMap { card.goalMet($0) } }

    /// Whether the baselines are this unit's own: the rule set's baseline unit is the version scored. Nil when the set
    /// names no baseline unit.
    var baselineIsOwn: Bool? {
        guard let baselineUnit = ruleSet.baselineUnit else { return nil }
        guard let version = unitVersion else { return false }
        return "\(version.code)@\(version.validFrom)" == baselineUnit
    }

    /// Said when the baselines are another territory's (the plan's district, read by a commune formed since).
    var baselineNote: String? {
        guard baselineIsOwn == false, let baselineUnit = ruleSet.baselineUnit else { return nil }
        return
            "Điểm năm \(ruleSet.baselineYear.map(String.init) ?? "gốc") là của \(baselineUnitName ?? baselineUnit) (\(baselineUnit)), không cùng địa bàn với "
            + "\(unitName ?? unit): không dùng để so sánh."
    }

    /// What a partial set's total is, in words, so it is never read as the whole scheme's score.
    var coverage: String? {
        ruleSet.partOf.map { scheme in
            "chỉ gồm \(Self.points(Rounding.decimal(ruleSet.maximum))) trong \(Self.points(Rounding.decimal(scheme.total))) điểm của "
                + "\(scheme.name); tổng điểm này không phải điểm \(scheme.name)"
        }
    }

    // MARK: - JSON

    private struct TotalBody: Encodable {
        /// Null when no criterion has points yet: unknown, never 0.
        let points: Double?
        let max: Double
        let baseline: Double?
        let missing: Int
        let complete: Bool

        init(_ total: Scorecard.Total) {
            points = total.counted > 0 ? Rounding.double(total.points, places: 3) : nil
            max = Rounding.double(total.maximum, places: 3)
            baseline = total.baseline.map { Rounding.double($0, places: 3) }
            missing = total.missing
            complete = total.missing == 0
        }

        private enum Keys: String, CodingKey { case points, max, baseline, missing, complete }

        /// A missing baseline is written as null, not left out.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(points, forKey: .points)
            try c.encode(max, forKey: .max)
            try c.encode(baseline, forKey: .baseline)
            try c.encode(missing, forKey: .missing)
            try c.encode(complete, forKey: .complete)
        }
    }

    private struct LineBody: Encodable {
        let id, title, kind, status: String
        let area, office, metric, level, proxy: String?
        /// Percent, rounded once (two decimals).
        let value: Double?
        let numerator, denominator: Int?
        let points: Double?
        let max: Double
        let baseline: Double?
        let gap: Double?
        let change: Double?
        let rule: ScoringRuleSet.Rule?
        let entry: EntryBody?
        let provisional: Int

        private enum Keys: String, CodingKey {
            case id, title, kind, status, area, office, metric, level, proxy, value, numerator, denominator, points,
                max, baseline, gap
            case change, rule, entry, provisional
        }

        /// Missing figures are written as null, not left out, so every criterion has the same fields.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(id, forKey: .id)
            try c.encode(title, forKey: .title)
            try c.encode(kind, forKey: .kind)
            try c.encode(status, forKey: .status)
            try c.encode(area, forKey: .area)
            try c.encode(office, forKey: .office)
            try c.encode(metric, forKey: .metric)
            try c.encode(level, forKey: .level)
            try c.encodeIfPresent(proxy, forKey: .proxy)
            try c.encode(value, forKey: .value)
            try c.encode(numerator, forKey: .numerator)
            try c.encode(denominator, forKey: .denominator)
            try c.encode(points, forKey: .points)
            try c.encode(max, forKey: .max)
            try c.encode(baseline, forKey: .baseline)
            try c.encode(gap, forKey: .gap)
            try c.encode(change, forKey: .change)
            try c.encode(rule, forKey: .rule)
            try c.encode(entry, forKey: .entry)
            try c.encode(provisional, forKey: .provisional)
        }
    }

    private struct EntryBody: Encodable {
        let points: Double
        let evidence, actor, at: String
    }

    private struct AreaBody: Encodable {
        let id, title: String
        let office: String?
        let total: TotalBody

        private enum Keys: String, CodingKey { case id, title, office, total }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(id, forKey: .id)
            try c.encode(title, forKey: .title)
            try c.encode(office, forKey: .office)
            try c.encode(total, forKey: .total)
        }
    }

    private struct GoalBody: Encodable {
        let metric: String
        let atLeast: Double
        let value: Double?
        let numerator, denominator: Int
        let met: Bool?
        let source: String

        private enum Keys: String, CodingKey { case metric, atLeast, value, numerator, denominator, met, source }

        /// No resolved dossier yet: value and met are null, not left out.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(metric, forKey: .metric)
            try c.encode(atLeast, forKey: .atLeast)
            try c.encode(value, forKey: .value)
            try c.encode(numerator, forKey: .numerator)
            try c.encode(denominator, forKey: .denominator)
            try c.encode(met, forKey: .met)
            try c.encode(source, forKey: .source)
        }
    }

    private enum Keys: String, CodingKey {
        case unit, unitName, year, ruleSet, areas, criteria, total, goal, coverage, calendar, unitVersion,
            baselineSameTerritory
        case baselineNote
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(unit, forKey: .unit)
        try container.encodeIfPresent(unitName, forKey: .unitName)
        try container.encode(year, forKey: .year)
        var set = ["id": ruleSet.id, "title": ruleSet.title, "source": ruleSet.source]
        set["pointsRule"] = ruleSet.pointsRule
        set["baselineYear"] = ruleSet.baselineYear.map(String.init)
        set["baselineUnit"] = ruleSet.baselineUnit
        try container.encode(set, forKey: .ruleSet)
        try container.encode(
            (ruleSet.areas ?? []).map {
                AreaBody(id: $0.id, title: $0.title, office: $0.office, total: TotalBody(card.total(area: $0.id)))
            },
            forKey: .areas)
        try container.encode(
            card.lines.map { line -> LineBody in
                let criterion = line.criterion
                return LineBody(
                    id: criterion.id, title: criterion.title, kind: criterion.isEntered ? "entered" : "computed",
                    status: line.status.rawValue,
                    area: criterion.area, office: area(of: criterion)?.office, metric: criterion.metric?.rawValue,
                    level: criterion.metric == nil ? nil : (criterion.level ?? .all).rawValue, proxy: criterion.proxy,
                    value: line.value.map { Rounding.double($0 * 100, places: Rounding.percentPlaces) },
                    numerator: line.rate?.numerator, denominator: line.rate?.denominator,
                    points: line.points.map { Rounding.double($0, places: 3) },
                    max: criterion.max, baseline: criterion.baseline,
                    gap: line.gap.map { Rounding.double($0, places: 3) },
                    change: line.change.map { Rounding.double($0, places: 3) }, rule: criterion.rule,
                    entry: line.entry.map {
                        EntryBody(
                            points: Rounding.double($0.points, places: 3), evidence: $0.evidence, actor: $0.actor,
                            at: Timestamp.format($0.at))
                    },
                    provisional: line.provisional)
            }, forKey: .criteria)
        try container.encode(TotalBody(total), forKey: .total)
        if let goal = ruleSet.goal, let figures = goalFigures {
            let rate = figures.onTimeRate
            try container.encode(
                GoalBody(
                    metric: goal.metric.rawValue, atLeast: goal.atLeast,
                    value: rate.exactPercent.map { Rounding.double($0, places: Rounding.percentPlaces) },
                    numerator: rate.numerator,
                    denominator: rate.denominator, met: goalMet, source: goal.source),
                forKey: .goal)
        }
        try container.encodeIfPresent(coverage, forKey: .coverage)
        try container.encodeIfPresent(calendar, forKey: .calendar)
        try container.encodeIfPresent(unitVersion, forKey: .unitVersion)
        try container.encodeIfPresent(baselineIsOwn, forKey: .baselineSameTerritory)
        try container.encodeIfPresent(baselineNote, forKey: .baselineNote)
    }

    // MARK: - Text

    /// The scorecard as an official writes it: per area, "tiêu chí: tỷ lệ (tử số/mẫu số), điểm/tối đa; năm 2023: …".
    var text: String {
        let baselineYear = ruleSet.baselineYear.map(String.init) ?? "gốc"
        var lines = [ruleSet.title, "Đơn vị: \(unitName ?? unit) (\(unit)), năm \(year)"]
        if let coverage { lines.append("Phạm vi: \(coverage)") }
        if let note = unitVersion?.note { lines.append(note) }
        if let note = baselineNote { lines.append(note) }
        func describe(_ line: Scorecard.Line) -> String {
            let criterion = line.criterion
            let max = Self.points(Rounding.decimal(criterion.max))
            var parts: [String] = []
            switch line.status {
            case .computed:
                var figure =
                    line.value.map { Rounding.text($0 * 100, places: Rounding.percentPlaces, minimumPlaces: 2) + " %" }
                    ?? ""
                if let rate = line.rate { figure += " (\(rate.numerator)/\(rate.denominator))" }
                parts.append(figure)
            case .noData: parts.append("chưa có số liệu")
            case .entered: parts.append("tự chấm")
            case .notEntered: parts.append("chưa nhập")
            }
            parts.append("\(line.points.map(Self.points) ?? "—")/\(max) điểm")
            if let baseline = criterion.baseline {
                parts.append("năm \(baselineYear): \(Self.points(Rounding.decimal(baseline)))")
            }
            if let gap = line.gap { parts.append("còn thiếu \(Self.points(gap))") }
            if line.provisional > 0 { parts.append("\(line.provisional) hồ sơ có hạn tạm tính") }
            if let entry = line.entry {
                parts.append("minh chứng: \(entry.evidence) (\(entry.actor), \(Timestamp.format(entry.at)))")
            }
            if criterion.proxy != nil { parts.append("số liệu thay thế") }
            return "  \(criterion.title): " + parts.joined(separator: "; ")
        }
        func totalText(_ total: Scorecard.Total) -> String {
            var text = "\(total.counted > 0 ? Self.points(total.points) : "—")/\(Self.points(total.maximum)) điểm"
            if let baseline = total.baseline { text += " (năm \(baselineYear): \(Self.points(baseline)))" }
            if total.missing > 0 { text += "; \(total.missing) tiêu chí chưa có điểm" }
            return text
        }
        if let areas = ruleSet.areas {
            for area in areas {
                lines.append("")
                lines.append(
                    "\(area.id). \(area.title)\(area.office.map { " (\($0))" } ?? ""): \(totalText(card.total(area: area.id)))"
                )
                let areaLines = card.lines.filter { $0.criterion.area == area.id }
                if areaLines.isEmpty { lines.append("  (không có tiêu chí được chấm điểm trong kế hoạch)") }
                lines += areaLines.map(describe)
            }
        } else {
            lines.append("")
            lines += card.lines.map(describe)
        }
        lines.append("")
        lines.append("Tổng điểm: \(totalText(total))")
        if let goal = ruleSet.goal, let figures = goalFigures {
            let rate = figures.onTimeRate
            let value =
                rate.exactPercent.map { Rounding.text($0, places: Rounding.percentPlaces, minimumPlaces: 2) + " %" }
                ?? "chưa có hồ sơ đã giải quyết"
            let verdict = goalMet.map { $0 ? "đạt" : "không đạt" } ?? "chưa xác định"
            lines.append(
                "Mục tiêu: ít nhất \(Rounding.text(Rounding.decimal(goal.atLeast), places: 2)) % hồ sơ đúng hạn: \(value) (\(rate.numerator)/\(rate.denominator)), \(verdict)"
            )
        }
        if let calendar, !calendar.provisionalDays.isEmpty || !calendar.yearsWithoutNotice.isEmpty {
            let days = calendar.provisionalDays.map { "\(IndexReport.vietnamese($0.date)) \($0.name)" }.joined(
                separator: "; ")
            lines.append("Ngày nghỉ tạm tính (chưa có văn bản): \(days)")
        }
        if let rule = ruleSet.pointsRule { lines.append("Cách tính điểm: \(rule)") }
        lines.append("Nguồn: \(ruleSet.source)")
        return lines.joined(separator: "\n")
    }

    /// `2,95`, `3`, `0,75`, `0,813`: points with a decimal comma and no useless zeros.
    static func points(_ value: Decimal) -> String { Rounding.text(value, places: 3) }
}
