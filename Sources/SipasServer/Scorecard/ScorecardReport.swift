import Foundation
import SipasDomain

/// The scorecard of a unit and year, read by `GET /v1/scorecard` (``TimelinessController/ScorecardReply``),
/// `sipas report scorecard` and the dashboard's scorecard: per criterion the baseline, this year's figure and points,
/// the maximum, the gap and the responsible office; totals per area and overall; the plan's goal met or not; and what
/// the due dates were counted on.
struct ScorecardReport: Sendable {
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
