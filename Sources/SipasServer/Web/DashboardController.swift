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
    let scorecard: ScorecardService
    let figures: DashboardFigures
    let document: ReportDocument
    let now: @Sendable () -> Date

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/dashboard") { request, context in try await dashboard(request, context, template: "dashboard") }
        router.get("/dashboard/print") { request, context in try await dashboard(request, context, template: "print") }

        // The sign-in page on its own, for pages outside the dashboard (the admin's devices page sends here with
        // its own address as `next`).
        router.get("/dashboard/signin") { request, _ in
            let query = try request.query().first
            let next = query["next"].flatMap(Self.sameSitePath) ?? "/dashboard"
            return signIn(query["lang"] == "en" ? "en" : "vi", next: next)
        }

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
        router.post("/dashboard/scorecard") { request, context in
            let values = FormValues(try await HTTPForm.fields(of: request))
            let language = SurveyFormController.language(request)
            let unit = values.single["unit"] ?? "", year = values.single["year"] ?? ""
            // A form cannot be sent again after signing in: come back to the page it was on.
            let page =
                "/dashboard?unit=\(URLEncoding.encodeFormComponent(unit))&year=\(URLEncoding.encodeFormComponent(year))&lang=\(language)"
            guard let (token, csrf) = context.session.map({ ($0.token, $0.csrf) }) else {
                return signIn(language, next: page)
            }
            guard values.single["csrf"] == csrf else {
                return signIn(language, next: page, error: "formExpired", status: .forbidden)
            }
            // A refused entry shows the page again with the error beside the form and what was typed.
            var typed = [
                "criterion": values.single["criterion"] ?? "", "points": values.single["points"] ?? "",
                "evidence": values.single["evidence"] ?? "",
            ]
            guard token.role == .admin else {
                typed["error"] = pages.texts(language)["adminOnly"] ?? "only an admin enters scores"
                return try await dashboard(
                    request, context, template: "dashboard", overrides: ["unit": unit, "year": year], scoreForm: typed,
                    status: .forbidden)
            }
            do {
                // The year is read as every period is (Period.year): a refusal names what was typed.
                let number = try Period.year(year, field: "year").mapError { InvalidInput([$0]) }.get()
                _ = try await scorecard.enter(
                    unit: unit, year: number, ruleSet: values.single["ruleset"],
                    criterion: typed["criterion"] ?? "",
                    points: typed["points"] ?? "", evidence: typed["evidence"] ?? "",
                    actor: "admin token \(token.label)", now: now())
            } catch {
                guard let problem = Problem(domain: error) else { throw error }
                typed["error"] = problem.detail
                return try await dashboard(
                    request, context, template: "dashboard", overrides: ["unit": unit, "year": year], scoreForm: typed,
                    status: problem.status)
            }
            return WebPages.redirect(page + "#scorecard")
        }

        router.post("/dashboard/signout") { request, context in
            let values = FormValues(try await HTTPForm.fields(of: request))
            if let session = HTTPForm.cookie(Self.sessionCookie, in: request), let csrf = context.session?.csrf,
                values.single["csrf"] == csrf
            {
                try await database.closeSession(session)
            }
            return WebPages.redirect(
                "/dashboard", headers: [.setCookie: HTTPForm.setCookie(Self.sessionCookie, "", maxAge: 0)])
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
                Self.takesLanguage(next) ? next : "/dashboard", language == "en" ? "vi" : "en"),
        ]
        context["error"] = error.flatMap { pages.texts(language)[$0] }
        return pages.page(
            "signin", context, status: status,
            headers: [.setCookie: HTTPForm.setCookie(SurveyFormController.csrfCookie, csrf, maxAge: 3600)])
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

    /// Whether `address` is a page of a signed-in official that reads its language from `lang`.
    static func takesLanguage(_ address: String) -> Bool {
        address.hasPrefix("/dashboard") || address.hasPrefix("/admin/")
    }

    /// A dashboard (or admin page) address with its `lang` set to `language` (other addresses are left as they are).
    static func withLanguage(_ address: String, _ language: String) -> String {
        guard takesLanguage(address) else { return address }
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
            guard let period = Period(year: year),
                let ranges = try? UnitAccess.ranges(unit: unit, period: period, reader: reader, snapshot: snapshot)
            else { continue }
            if try await database.hasData(in: ranges) { return year }
        }
        return today.year
    }

    /// - Parameters:
    ///   - overrides: parameters that replace the query's (a form posted back names its unit and year).
    ///   - scoreForm: a refused score entry: its error and the values typed, shown again beside the form.
    private func dashboard(
        _ request: Request, _ context: AppRequestContext, template: String, overrides: [String: String] = [:],
        scoreForm: [String: String]? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let language = SurveyFormController.language(request)
        guard let (token, csrf) = context.session.map({ ($0.token, $0.csrf) }) else {
            return signIn(language, next: Self.address(of: request))
        }
        let reader: FigureReader = token.role == .admin ? .admin : .official(unit: token.unitReference ?? "")
        // Only the dashboard's own parameters are read (links shared through chat apps gain others); empty means absent.
        // A page's links are lax: the first of a repeated name counts.
        let parameters = try request.query().first.merging(overrides) { _, override in override }
        var query = ParameterReader(
            QueryParameters(parameters.filter { ["unit", "year"].contains($0.key) && !$0.value.isEmpty }),
            accepted: ["unit", "year"], endpoint: "/dashboard")
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
        var context: [String: Any] = [
            "t": pages.texts(language), "lang": language, "otherLang": language == "en" ? "vi" : "en", "csrf": csrf,
            "unit": unit, "year": year,
            "tokenLabel": token.label, "query": "unit=\(URLEncoding.encodeFormComponent(unit))&year=\(year)",
            "unitName": unit, "managesDevices": token.role == .admin,
        ]
        do {
            try query.check()
            if template == "print" {
                context.merge(try await document.context(unit: unit, year: year, reader: reader, now: now())) {
                    _, new in new
                }
                return pages.page(template, context, status: status, headers: ReportDocument.headers(context))
            }
            let built = try await figures.add(
                to: &context, unit: unit, year: year, reader: reader, language: language, today: today,
                isAdmin: token.role == .admin)
            var scorecardContext = built.scorecard
            // The entry form names its unit and year itself, not through Mustache's enclosing sections.
            scorecardContext["formUnit"] = unit
            scorecardContext["formYear"] = year
            if let scoreForm {
                scorecardContext["scoreForm"] = scoreForm
                if let chosen = scoreForm["criterion"], var options = scorecardContext["enterable"] as? [[String: Any]]
                {
                    for index in options.indices where options[index]["id"] as? String == chosen {
                        options[index]["selected"] = true
                    }
                    scorecardContext["enterable"] = options
                }
            }
            context["scorecard"] = scorecardContext
        } catch {
            // A refusal is shown on the page, mapped as the API maps it; anything else is the server's.
            guard let problem = Problem(domain: error),
                problem.status == .forbidden || problem.status == .unprocessableContent
            else { throw error }
            context["problem"] = problem.detail
            return pages.page(template, context, status: problem.status)
        }
        return pages.page(template, context, status: status)
    }
}
