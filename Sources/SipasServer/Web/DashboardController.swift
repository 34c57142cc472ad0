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
            // The page the link named, kept through the sign-in; anything but a path of this site opens the dashboard.
            let next = values.single["next"].flatMap(Self.sameSitePath) ?? "/dashboard"
            guard let csrf = values.single["csrf"],
                csrf == HTTPForm.cookie(SurveyFormController.csrfCookie, in: request)
            else {
                return signIn(language, next: next, error: "formExpired", status: .forbidden)
            }
            guard
                let (session, _) = try await database.openSession(
                    tokenKey: (values.single["token"] ?? "").trimmingCharacters(in: .whitespaces), now: now(),
                    lifetime: Self.sessionLifetime)
            else { return signIn(language, next: next, error: "tokenWrong", status: .unauthorized) }
            return WebPages.redirect(
                Self.withLanguage(next, language),
                headers: [
                    .setCookie: HTTPForm.setCookie(Self.sessionCookie, session, maxAge: Int(Self.sessionLifetime))
                ])
        }

        // An admin enters the score of a criterion sipas cannot measure, with its evidence.
        router.post("/dashboard/scorecard") { request, _ in
            let values = FormValues(try await HTTPForm.fields(of: request))
            let language = SurveyFormController.language(request)
            let unit = values.single["unit"] ?? "", year = values.single["year"] ?? ""
            // A form cannot be sent again after signing in: come back to the page it was on.
            let page =
                "/dashboard?unit=\(URLEncoding.encodeFormComponent(unit))&year=\(URLEncoding.encodeFormComponent(year))&lang=\(language)"
            guard let session = HTTPForm.cookie(Self.sessionCookie, in: request),
                let (token, csrf) = try await database.session(session, now: now())
            else {
                return signIn(language, next: page)
            }
            guard values.single["csrf"] == csrf else {
                return signIn(language, next: page, error: "formExpired", status: .forbidden)
            }
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
            return WebPages.redirect(page + "#scorecard")
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

    /// The sign-in page; `next` is the page to open once signed in (the one the link named).
    private func signIn(
        _ language: String, next: String = "/dashboard", error: String? = nil, status: HTTPResponse.Status = .ok
    ) -> Response {
        let csrf = SecretKey.randomToken()
        var context: [String: Any] = [
            "t": pages.texts(language), "lang": language, "otherLang": language == "en" ? "vi" : "en", "csrf": csrf,
            "next": next,
            "otherLanguageURL": Self.withLanguage(
                next.hasPrefix("/dashboard") ? next : "/dashboard", language == "en" ? "vi" : "en"),
        ]
        context["error"] = error.flatMap { pages.texts(language)[$0] }
        return pages.page("signin", context, status: status, headers: [.setCookie: HTTPForm.setCookie(SurveyFormController.csrfCookie, csrf, maxAge: 3600)])
    }

    // MARK: - Where to land

    /// `address` when it is a path of this site: one `/` then no second `/` or `\` (which browsers read as another
    /// host), printable ASCII only (no scheme can follow a leading `/`, no header can be smuggled); else nil.
    static func sameSitePath(_ address: String) -> String? {
        let scalars = Array(address.unicodeScalars)
        guard scalars.count <= 2_048, scalars.first == "/",
            scalars.count == 1 || (scalars[1] != "/" && scalars[1] != "\\"),
            !scalars.contains("\\"), scalars.allSatisfy({ (0x21...0x7E).contains($0.value) })
        else { return nil }
        return address
    }

    /// A dashboard address with its `lang` set to `language` (other addresses are left as they are).
    static func withLanguage(_ address: String, _ language: String) -> String {
        guard address.hasPrefix("/dashboard") else { return address }
        let (path, query) =
            address.firstIndex(of: "?").map { (String(address[..<$0]), String(address[address.index(after: $0)...])) }
            ?? (address, "")
        let kept = query.split(separator: "&").filter { !$0.hasPrefix("lang=") && $0 != "lang" }
        return path + "?" + (kept.map(String.init) + ["lang=\(language)"]).joined(separator: "&")
    }

    /// The address of the page asked for, to come back to it after signing in.
    static func address(of request: Request) -> String {
        let query = request.uri.query.map { "?\($0)" } ?? ""
        return sameSitePath(request.uri.path + query) ?? "/dashboard"
    }

    /// The latest year with responses or dossiers the reader may see for `unit` (any unit for an admin without
    /// one), so a link without a period opens figures, not an empty current year; the current year when none has any.
    private func latestYearWithData(unit: String?, reader: FigureReader, today: LocalDate) async throws -> Int {
        let years = try await database.yearsWithData().filter { $0 <= today.year }
        guard let unit else { return years.first ?? today.year }
        let snapshot = try await index.units.current()
        for year in years {
            guard let from = LocalDate(year: year, month: 1, day: 1),
                let to = LocalDate(year: year, month: 12, day: 31),
                let scope = try? IndexService.authorisedScope(
                    unit: unit, from: from, to: to, reader: reader, snapshot: snapshot)
            else { continue }
            if try await database.hasData(in: IndexService.ranges(scope, snapshot: snapshot)) { return year }
        }
        return today.year
    }

    /// - Parameters:
    ///   - overrides: parameters that replace the query's (a form posted back names its unit and year).
    ///   - scoreForm: a refused score entry: its error and the values typed, shown again beside the form.
    private func dashboard(
        _ request: Request, template: String, overrides: [String: String] = [:], scoreForm: [String: String]? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let language = SurveyFormController.language(request)
        guard let session = HTTPForm.cookie(Self.sessionCookie, in: request),
            let (token, csrf) = try await database.session(session, now: now())
        else {
            return signIn(language, next: Self.address(of: request))
        }
        let reader: FigureReader = token.role == .admin ? .admin : .official(unit: token.unitReference ?? "")
        // Only the dashboard's own parameters are read (links shared through chat apps gain others); empty means absent.
        let parameters = try request.queryValues().merging(overrides) { _, override in override }
        var query = ParameterReader(
            parameters.filter { ["unit", "year"].contains($0.key) && !$0.value.isEmpty }, accepted: ["unit", "year"],
            endpoint: "/dashboard")
        let today = LocalDate(now())
        let asked = query["unit"]
        // Without a year, the latest with figures: the current one may hold none yet, or no longer have the unit.
        let year: Int
        if query["year"] == nil {
            year = try await latestYearWithData(unit: asked ?? token.unit, reader: reader, today: today)
        } else {
            year = query.year("year") ?? today.year
        }
        // An admin token has no unit: start from the first province in force that year.
        let directory = try await index.units.current().directory
        let firstProvince = directory.all.first {
            $0.level == .province && $0.isInForce(on: LocalDate(year: year, month: 12, day: 31) ?? today)
        }
        let unit = asked ?? token.unit ?? firstProvince?.code ?? directory.all.first?.code ?? ""
        let from = LocalDate(year: year, month: 1, day: 1) ?? today,
            to = LocalDate(year: year, month: 12, day: 31) ?? today
        let texts = pages.texts(language)
        var context: [String: Any] = [
            "t": texts, "lang": language, "otherLang": language == "en" ? "vi" : "en", "csrf": csrf, "unit": unit, "year": year,
            "tokenLabel": token.label, "query": "unit=\(URLEncoding.encodeFormComponent(unit))&year=\(year)",
            "unitName": unit,
        ]
        do {
            try query.check()
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
            // The entry form names its unit and year itself, not through Mustache's enclosing sections.
            scorecardContext["formUnit"] = unit
            scorecardContext["formYear"] = year
            if let scoreForm {
                scorecardContext["scoreForm"] = scoreForm
                if let chosen = scoreForm["criterion"], var options = scorecardContext["enterable"] as? [[String: Any]] {
                    for index in options.indices where options[index]["id"] as? String == chosen { options[index]["selected"] = true }
                    scorecardContext["enterable"] = options
                }
            }
            context["scorecard"] = scorecardContext
        } catch {
            // A refusal is shown on the page, mapped as the API maps it; anything else is the server's.
            guard let problem = (error as? Problem) ?? Problem(domain: error),
                problem.status == .forbidden || problem.status == .unprocessableContent
            else { throw error }
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
