import Foundation
import Hummingbird
import SipasDomain

/// `/dashboard`: an official signs in with their token and reads the figures of the units it answers for,
/// as charts drawn on the server; `/dashboard/print` lays the same out on A4.
struct DashboardController {
    static let sessionCookie = "sipas_session"
    static let sessionLifetime: TimeInterval = 8 * 3600

    let database: AppDatabase
    let pages: WebPages
    let index: IndexService
    let timeliness: TimelinessService
    let scorecard: ScorecardService
    let now: @Sendable () -> Date

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/dashboard") { request, _ in try await dashboard(request, template: "dashboard") }
        router.get("/dashboard/print") { request, _ in try await dashboard(request, template: "print") }

        router.post("/dashboard/signin") { request, _ in
            let values = FormValues(try await HTTPForm.fields(of: request))
            let language = values.single["lang"] == "en" ? "en" : "vi"
            guard let csrf = values.single["csrf"], csrf == HTTPForm.cookie(SurveyFormController.csrfCookie, in: request) else {
                return signIn(language, error: "formExpired", status: .forbidden)
            }
            guard let (session, _) = try await database.openSession(
                tokenKey: (values.single["token"] ?? "").trimmingCharacters(in: .whitespaces), now: now(), lifetime: Self.sessionLifetime)
            else { return signIn(language, error: "tokenWrong", status: .unauthorized) }
            return WebPages.redirect(
                "/dashboard?lang=\(language)",
                headers: [.setCookie: HTTPForm.setCookie(Self.sessionCookie, session, maxAge: Int(Self.sessionLifetime))])
        }

        // An admin enters the score of a criterion sipas cannot measure, with its evidence.
        router.post("/dashboard/scorecard") { request, _ in
            let values = FormValues(try await HTTPForm.fields(of: request))
            let language = SurveyFormController.language(request)
            guard let session = HTTPForm.cookie(Self.sessionCookie, in: request), let (token, csrf) = try await database.session(session, now: now()) else {
                return signIn(language)
            }
            guard values.single["csrf"] == csrf else { return signIn(language, error: "formExpired", status: .forbidden) }
            let unit = values.single["unit"] ?? "", year = values.single["year"] ?? ""
            // A refused entry shows the page again with the error beside the form and what was typed.
            var typed = ["criterion": values.single["criterion"] ?? "", "points": values.single["points"] ?? "", "evidence": values.single["evidence"] ?? ""]
            guard token.role == .admin else {
                typed["error"] = pages.texts(language)["adminOnly"] ?? "only an admin enters scores"
                return try await dashboard(request, template: "dashboard", overrides: ["unit": unit, "year": year], scoreForm: typed, status: .forbidden)
            }
            do {
                _ = try await scorecard.enter(
                    unit: unit, year: Int(year) ?? 0, ruleSet: values.single["ruleset"], criterion: typed["criterion"] ?? "",
                    points: typed["points"] ?? "", evidence: typed["evidence"] ?? "", actor: "admin token \(token.label)", now: now())
            } catch let problem as Problem {
                typed["error"] = problem.detail
                return try await dashboard(request, template: "dashboard", overrides: ["unit": unit, "year": year], scoreForm: typed, status: problem.status)
            }
            return WebPages.redirect("/dashboard?unit=\(unit)&year=\(year)&lang=\(language)#scorecard")
        }

        router.post("/dashboard/signout") { request, _ in
            let values = FormValues(try await HTTPForm.fields(of: request))
            if let session = HTTPForm.cookie(Self.sessionCookie, in: request), let (_, csrf) = try await database.session(session, now: now()),
                values.single["csrf"] == csrf
            {
                try await database.closeSession(session)
            }
            return WebPages.redirect("/dashboard", headers: [.setCookie: HTTPForm.setCookie(Self.sessionCookie, "", maxAge: 0)])
        }
    }

    private func signIn(_ language: String, error: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let csrf = SecretKey.randomToken()
        var context: [String: Any] = ["t": pages.texts(language), "lang": language, "otherLang": language == "en" ? "vi" : "en", "csrf": csrf]
        context["error"] = error.flatMap { pages.texts(language)[$0] }
        return pages.page("signin", context, status: status, headers: [.setCookie: HTTPForm.setCookie(SurveyFormController.csrfCookie, csrf, maxAge: 3600)])
    }

    /// - Parameters:
    ///   - overrides: parameters that replace the query's (a form posted back names its unit and year).
    ///   - scoreForm: a refused score entry: its error and the values typed, shown again beside the form.
    private func dashboard(
        _ request: Request, template: String, overrides: [String: String] = [:], scoreForm: [String: String]? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let language = SurveyFormController.language(request)
        guard let session = HTTPForm.cookie(Self.sessionCookie, in: request), let (token, csrf) = try await database.session(session, now: now()) else {
            return signIn(language)
        }
        let reader: FigureReader = token.role == .admin ? .admin : .official(unit: token.unitReference ?? "")
        let parameters = try request.queryValues().merging(overrides) { _, override in override }
        let today = LocalDate(now())
        let year = parameters["year"].flatMap(LocalDate.year) ?? today.year
        // An admin token has no unit: start from the first province in force that year.
        let directory = try await index.units.current().directory
        let firstProvince = directory.all.first { $0.level == .province && $0.isInForce(on: LocalDate(year: year, month: 12, day: 31) ?? today) }
        let unit = parameters["unit"] ?? token.unit ?? firstProvince?.code ?? directory.all.first?.code ?? ""
        let from = LocalDate(year: year, month: 1, day: 1) ?? today, to = LocalDate(year: year, month: 12, day: 31) ?? today
        let texts = pages.texts(language)
        var context: [String: Any] = [
            "t": texts, "lang": language, "otherLang": language == "en" ? "vi" : "en", "csrf": csrf, "unit": unit, "year": year,
            "tokenLabel": token.label, "query": "unit=\(URLEncoding.encodeFormComponent(unit))&year=\(year)",
        ]
        do {
            var request = IndexRequest(unit: unit, from: from, to: to)
            let whole = try await index.report(request, reader: reader)
            context["unitName"] = whole.unitName ?? unit
            context["successionNote"] = whole.unitVersion?.note
            context["versionNote"] = whole.versionNoteVietnamese
            context["respondents"] = Self.respondents(whole.figures)
            context["sipas"] = Self.percent(whole.figures.overall)
            context["indexChart"] = Charts.bars(
                [Self.bar(texts["indexShort"] ?? "", whole.figures.overall, texts: texts)]
                    + whole.figures.elements.map { Self.bar($0.title.text(in: language), $0.figure, texts: texts) },
                title: texts["indexChart"] ?? "")
            request.groupBy = .month
            let months = try await index.report(request, reader: reader)
            context["trendChart"] = Charts.columns(
                (1...12).map { month in
                    let key = String(format: "%04d-%02d", year, month)
                    let figure = months.groups.first { $0.key == key }?.figures?.overall
                    // An empty month says why: `×` when suppressed as a complement, `—` otherwise.
                    let note =
                        figure?.value == nil
                        ? (figure?.suppression == .complementary ? IndexReport.complementaryMark : "—")
                        : (figure?.smallSample == true ? "*" : "")
                    return Charts.Bar(label: "\(month)", value: figure?.value, interval: nil, note: note)
                }, title: texts["trendChart"] ?? "")
            request.groupBy = .unit
            let children = try await index.report(request, reader: reader)
            context["unitsChart"] = Charts.bars(
                children.groups.map { Self.bar($0.label, $0.figures?.overall, texts: texts) },
                title: texts["unitsChart"] ?? "")
            context["units"] = children.groups.map { group -> [String: Any] in
                let figure = group.figures?.overall
                return ["code": group.key, "name": group.label, "respondents": Self.respondents(group.figures),
                        "value": figure.map(Self.percent) ?? "", "withheld": figure?.withheld != nil, "small": figure?.smallSample == true]
            }
            request.groupBy = .timeliness
            let outcomes = try await index.report(request, reader: reader)
            context["outcomes"] = outcomes.groups.map {
                [
                    "label": $0.label, "respondents": Self.respondents($0.figures),
                    "value": $0.figures.map { Self.percent($0.overall) } ?? "",
                ]
            }

            let times = try await timeliness.report(.init(unit: unit, from: from, to: to, asOf: min(today, to), groupBy: nil), reader: reader)
            let f = times.figures
            context["timeliness"] = [
                "received": f.received, "early": f.early, "onTime": f.onTime, "late": f.late, "inProgressInTime": f.inProgressInTime, "overdue": f.overdue,
                "onTimeRate": f.onTimeRate.exactPercent.map { Rounding.text($0, places: Rounding.percentPlaces, minimumPlaces: 2) + " %" } ?? "—",
                "onTimeCounts": "\(f.onTimeRate.numerator)/\(f.onTimeRate.denominator)",
                "meetsGoal": (f.onTimeRate.exactPercent ?? 0) >= Rounding.decimal(TimelinessReport.onTimeGoal),
                "goalUnknown": f.onTimeRate.denominator == 0,
                "points766": f.decision766Points.map { ScorecardReport.points(Rounding.rounded($0, places: Rounding.pointsPlaces)) } ?? "—",
            ]
            // Mustache treats "" and 0 as true: the provisional notes are set only when there is something to say.
            if f.provisional > 0, var panel = context["timeliness"] as? [String: Any] {
                panel["provisional"] = f.provisional
                let days = times.calendar.provisionalDays.map { "\(IndexReport.vietnamese($0.date)) \($0.name)" }.joined(separator: "; ")
                let years = times.calendar.yearsWithoutNotice.map(String.init).joined(separator: ", ")
                if !days.isEmpty { panel["provisionalDays"] = days }
                if !years.isEmpty { panel["yearsWithoutNotice"] = years }
                context["timeliness"] = panel
            }
            context["timelinessChart"] = Charts.bars([
                Charts.Bar(
                    label: texts["onTimeRate"] ?? "", value: f.onTimeRate.percent, interval: nil, note: f.onTimeRate.denominator > 0 ? " %" : "—",
                    exact: f.onTimeRate.exactPercent),
                Charts.Bar(
                    label: texts["decision766"] ?? "", value: f.decision766Timeliness.percent, interval: nil,
                    note: f.decision766Timeliness.denominator > 0 ? " %" : "—", exact: f.decision766Timeliness.exactPercent),
            ], title: texts["timelinessChart"] ?? "", goal: TimelinessReport.onTimeGoal)
            let card = try await scorecard.report(unit: unit, year: year, ruleSet: nil, reader: reader, today: today)
            var scorecardContext = ScorecardView.context(card, texts: texts, isAdmin: token.role == .admin)
            if let scoreForm {
                scorecardContext["scoreForm"] = scoreForm
                if let chosen = scoreForm["criterion"], var options = scorecardContext["enterable"] as? [[String: Any]] {
                    for index in options.indices where options[index]["id"] as? String == chosen { options[index]["selected"] = true }
                    scorecardContext["enterable"] = options
                }
            }
            context["scorecard"] = scorecardContext
        } catch let problem as Problem where problem.status == .forbidden || problem.status == .unprocessableContent {
            context["problem"] = problem.detail
            return pages.page(template, context, status: problem.status)
        }
        return pages.page(template, context, status: status)
    }

    /// A figure's bar; a withheld one says why: too few respondents, or suppressed as a complement.
    static func bar(_ label: String, _ figure: IndexFigure?, texts: [String: String]) -> Charts.Bar {
        guard let figure, let value = figure.value else {
            let note =
                figure?.suppression == .complementary
                ? "\(IndexReport.complementaryMark) (\(texts["suppressedShort"] ?? "suppressed"))"
                : figure?.withheld != nil ? "— (n < 5)" : "—"
            return Charts.Bar(label: label, value: nil, interval: nil, note: note)
        }
        return Charts.Bar(label: label, value: value, interval: figure.ci95, note: " %" + (figure.smallSample ? " *" : ""), exact: figure.exact)
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
