import Foundation
import SipasDomain

/// The scorecard laid out for the dashboard and its print page: areas with their office and totals, each criterion
/// with the baseline, figure, points, maximum and gap, and the form an admin enters a score with.
enum ScorecardView {
    static func context(_ report: ScorecardReport, texts: [String: String], isAdmin: Bool) -> [String: Any] {
        let card = report.card
        let baselineYear = report.ruleSet.baselineYear.map(String.init) ?? ""
        func points(_ value: Decimal?) -> String { value.map(ScorecardReport.points) ?? "—" }
        func line(_ line: Scorecard.Line) -> [String: Any] {
            let criterion = line.criterion
            var figure: String
            switch line.status {
            case .computed:
                figure =
                    line.value.map { Rounding.text($0 * 100, places: Rounding.percentPlaces, minimumPlaces: 2) + " %" }
                    ?? ""
                if let rate = line.rate { figure += " (\(rate.numerator)/\(rate.denominator))" }
            case .noData: figure = texts["noData"] ?? "—"
            case .entered: figure = texts["enteredScore"] ?? ""
            case .notEntered: figure = texts["notEntered"] ?? ""
            }
            // Mustache treats any present value, "" and 0 included, as true: optional parts are left out instead.
            var context: [String: Any] = [
                "id": criterion.id, "title": criterion.title, "figure": figure, "points": points(line.points),
                "max": ScorecardReport.points(Rounding.decimal(criterion.max)),
                "baseline": criterion.baseline.map { ScorecardReport.points(Rounding.decimal($0)) } ?? "—",
                "gap": points(line.gap),
                "notEntered": line.status == .notEntered, "entered": criterion.isEntered,
            ]
            context["evidence"] = line.entry.map {
                "\($0.evidence) (\($0.actor), \(IndexReport.vietnamese(LocalDate($0.at))))"
            }
            context["provisional"] = line.provisional > 0 ? line.provisional : nil
            context["proxy"] = criterion.proxy
            return context
        }
        func total(_ total: Scorecard.Total) -> [String: Any] {
            var context: [String: Any] = [
                "points": total.counted > 0 ? points(total.points) : "—", "max": points(total.maximum),
                "baseline": points(total.baseline),
            ]
            context["missing"] = total.missing > 0 ? total.missing : nil
            return context
        }
        var areas: [[String: Any]] = []
        if let declared = report.ruleSet.areas {
            areas = declared.map { area in
                var context: [String: Any] = [
                    "id": area.id, "title": area.title, "heading": true, "total": total(card.total(area: area.id)),
                    "lines": card.lines.filter { $0.criterion.area == area.id }.map(line),
                ]
                context["office"] = area.office
                return context
            }
        } else {
            // No areas: one group without a heading row (`heading` false: a missing key would be looked up in the
            // enclosing sections, and a present "" counts as true).
            areas = [["heading": false, "total": total(card.total()), "lines": card.lines.map(line)]]
        }
        var context: [String: Any] = [
            "title": report.ruleSet.title, "baselineYear": baselineYear, "areas": areas, "total": total(card.total()),
            "source": report.ruleSet.source, "ruleSet": report.ruleSet.id, "isAdmin": isAdmin,
            "enterable": report.ruleSet.criteria.filter(\.isEntered).map { ["id": $0.id, "title": $0.title] },
        ]
        context["pointsRule"] = report.ruleSet.pointsRule
        context["baselineNote"] = report.baselineNote
        context["coverage"] = report.coverage
        if let goal = report.ruleSet.goal, let figures = report.goalFigures {
            let rate = figures.onTimeRate
            context["goal"] = [
                "atLeast": Rounding.text(Rounding.decimal(goal.atLeast), places: 2),
                "value": rate.exactPercent.map {
                    Rounding.text($0, places: Rounding.percentPlaces, minimumPlaces: 2) + " %"
                } ?? "—",
                "counts": "\(rate.numerator)/\(rate.denominator)", "met": report.goalMet == true,
                "unknown": report.goalMet == nil,
                "source": goal.source,
            ]
        }
        return context
    }
}
