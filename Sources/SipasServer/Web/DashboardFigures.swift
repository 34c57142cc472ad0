import Foundation
import SipasDomain

/// The figures of a unit and year as the dashboard lays them out (charts drawn on the server, tables, the scorecard):
/// one builder for `/dashboard`, its print page and `sipas report print`.
struct DashboardFigures: Sendable {
    let index: IndexService
    let timeliness: TimelinessService
    let scorecard: ScorecardService
    let pages: WebPages

    /// What the figures were built from, for the parts of a page that read them again (the printed report).
    struct Built {
        let whole: IndexReport
        let times: TimelinessReport
        let card: ScorecardReport
        /// The scorecard as `ScorecardView` lays it out.
        let scorecard: [String: Any]
    }

    /// Adds the figures of `unit` in `year`, as `reader` may see them, to `context`; throws the service's refusal.
    func add(
        to context: inout [String: Any], unit: String, year: Int, reader: FigureReader, language: String,
        today: LocalDate,
        isAdmin: Bool
    ) async throws -> Built {
        let texts = pages.texts(language)
        let period = Period(year: year) ?? .yearToDate(today)
        var request = IndexRequest(unit: unit, period: period)
        let whole = try await index.report(request, reader: reader)
        context["unitName"] = whole.unitName ?? unit
        context["successionNote"] = whole.unitVersion?.note
        context["versionNote"] = whole.versionNoteVietnamese
        context["respondents"] = Self.respondents(whole.figures)
        context["sipas"] = Self.percent(whole.figures.overall)
        context["indexChart"] = pages.svg(
            BarChart(
                [Self.bar(texts["indexShort"] ?? "", whole.figures.overall, texts: texts)]
                    + whole.figures.elements.map { Self.bar($0.title.text(in: language), $0.figure, texts: texts) },
                title: texts["indexChart"] ?? ""))
        request.groupBy = .month
        let months = try await index.report(request, reader: reader)
        context["trendChart"] = pages.svg(
            ColumnChart(
                (1...12).map { month in
                    let key = String(format: "%04d-%02d", year, month)
                    let figure = months.groups.first { $0.key == key }?.figures?.overall
                    // An empty month says why: `×` when suppressed as a complement, `—` otherwise.
                    let note =
                        figure?.value == nil
                        ? (figure?.suppression == .complementary ? IndexReport.complementaryMark : "—")
                        : (figure?.smallSample == true ? "*" : "")
                    return Charts.Bar(label: "\(month)", value: figure?.value, interval: nil, note: note)
                }, title: texts["trendChart"] ?? ""))
        request.groupBy = .unit
        let children = try await index.report(request, reader: reader)
        context["unitsChart"] = pages.svg(
            BarChart(
                children.groups.map { Self.bar($0.label, $0.figures?.overall, texts: texts) },
                title: texts["unitsChart"] ?? ""))
        context["units"] = children.groups.map { group -> [String: Any] in
            let figure = group.figures?.overall
            return [
                "code": group.key, "name": group.label, "respondents": Self.respondents(group.figures),
                "value": figure.map(Self.percent) ?? "", "withheld": figure?.withheld != nil,
                "small": figure?.smallSample == true,
            ]
        }
        request.groupBy = .timeliness
        let outcomes = try await index.report(request, reader: reader)
        context["outcomes"] = outcomes.groups.map {
            [
                "label": $0.label, "respondents": Self.respondents($0.figures),
                "value": $0.figures.map { Self.percent($0.overall) } ?? "",
            ]
        }

        let times = try await timeliness.report(
            .init(unit: unit, period: period, asOf: min(today, period.to), groupBy: nil), reader: reader)
        let f = times.figures
        context["timeliness"] = [
            "received": f.received, "early": f.early, "onTime": f.onTime, "late": f.late,
            "inProgressInTime": f.inProgressInTime, "overdue": f.overdue,
            "onTimeRate": f.onTimeRate.exactPercent.map {
                Rounding.text($0, places: Rounding.percentPlaces, minimumPlaces: 2) + " %"
            } ?? "—",
            "onTimeCounts": "\(f.onTimeRate.numerator)/\(f.onTimeRate.denominator)",
            "meetsGoal": (f.onTimeRate.exactPercent ?? 0) >= Rounding.decimal(TimelinessReport.onTimeGoal),
            "goalUnknown": f.onTimeRate.denominator == 0,
            "points766": f.decision766Points.map {
                ScorecardReport.points(Rounding.rounded($0, places: Rounding.pointsPlaces))
            } ?? "—",
        ]
        // Mustache treats "" and 0 as true: the provisional notes are set only when there is something to say.
        if f.provisional > 0, var panel = context["timeliness"] as? [String: Any] {
            panel["provisional"] = f.provisional
            let days = times.calendar.provisionalDays.map { "\(IndexReport.vietnamese($0.date)) \($0.name)" }.joined(
                separator: "; ")
            let years = times.calendar.yearsWithoutNotice.map(String.init).joined(separator: ", ")
            if !days.isEmpty { panel["provisionalDays"] = days }
            if !years.isEmpty { panel["yearsWithoutNotice"] = years }
            context["timeliness"] = panel
        }
        context["timelinessChart"] = pages.svg(
            BarChart(
                [
                    Charts.Bar(
                        label: texts["onTimeRate"] ?? "", value: f.onTimeRate.percent, interval: nil,
                        note: f.onTimeRate.denominator > 0 ? " %" : "—",
                        exact: f.onTimeRate.exactPercent),
                    Charts.Bar(
                        label: texts["decision766"] ?? "", value: f.decision766Timeliness.percent, interval: nil,
                        note: f.decision766Timeliness.denominator > 0 ? " %" : "—",
                        exact: f.decision766Timeliness.exactPercent),
                ], title: texts["timelinessChart"] ?? "", goal: TimelinessReport.onTimeGoal))
        let card = try await scorecard.report(unit: unit, year: year, ruleSet: nil, reader: reader, today: today)
        let scorecardContext = ScorecardView.context(card, texts: texts, isAdmin: isAdmin)
        context["scorecard"] = scorecardContext
        return Built(whole: whole, times: times, card: card, scorecard: scorecardContext)
    }

    // MARK: - Figures as the page prints them

    /// A figure's bar; a withheld one says why: too few respondents, or suppressed as a complement.
    static func bar(_ label: String, _ figure: IndexFigure?, texts: [String: String]) -> Charts.Bar {
        guard let figure, let value = figure.value else {
            let note =
                figure?.suppression == .complementary
                ? "\(IndexReport.complementaryMark) (\(texts["suppressedShort"] ?? "suppressed"))"
                : figure?.withheld != nil ? "— (n < 5)" : "—"
            return Charts.Bar(label: label, value: nil, interval: nil, note: note)
        }
        return Charts.Bar(
            label: label, value: value, interval: figure.ci95, note: " %" + (figure.smallSample ? " *" : ""),
            exact: figure.exact)
    }

    static func percent(_ figure: IndexFigure) -> String {
        IndexReport.percent(figure)
    }

    /// A group's respondents as published: `—` (or `×`) when the breakdown suppresses them.
    static func respondents(_ figures: IndexFigures?) -> String {
        guard let figures else { return "0" }
        return figures.publishedRespondents.map(String.init) ?? percent(figures.overall)
    }
}
