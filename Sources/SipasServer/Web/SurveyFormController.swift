import Foundation
import Hummingbird
import SipasDomain

/// The survey form citizens fill (`/s/{survey}`): on a desk tablet signed in with its device key, or from
/// a one-time ticket link. Works without JavaScript; submissions take the same path as the API.
struct SurveyFormController {
    let database: AppDatabase
    let catalog: SurveyCatalog
    let intake: ResponseIntake
    let pages: WebPages
    let units: UnitCache
    let now: @Sendable () -> Date

    static let deviceCookie = "sipas_device"
    static let csrfCookie = "sipas_csrf"

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/s/:survey") { request, context in
            let survey = try context.pathParameter("survey")
            let language = Self.language(request)
            guard let definition = catalog.current(survey) else {
                return message(language, "unknownSurvey", status: .notFound)
            }
            switch try await source(request, context, ticketID: request.query().first["t"], survey: definition.id) {
            case .failure(let response): return response
            case .success(let source):
                return try await form(
                    definition, language: language, source: source, values: FormValues(), problems: [],
                    responseID: UUID().uuidString.lowercased())
            }
        }

        router.post("/s/:survey") { request, context in
            let survey = try context.pathParameter("survey")
            let fields = try await HTTPForm.fields(of: request)
            let values = FormValues(fields)
            let language = values.single["lang"] == "en" ? "en" : "vi"
            guard
                let definition = catalog.definition(survey, version: Int(values.single["surveyVersion"] ?? "") ?? 0)
                    ?? catalog.current(survey)
            else {
                return message(language, "unknownSurvey", status: .notFound)
            }
            let source: ResponseSource
            switch try await self.source(request, context, ticketID: values.single["ticket"], survey: definition.id) {
            case .failure(let response): return response
            case .success(let found): source = found
            }
            let responseID =
                values.single["responseId"].flatMap { UUID(uuidString: $0)?.uuidString.lowercased() }
                ?? UUID().uuidString.lowercased()
            var submission = values.submission(id: responseID, definition: definition, now: now())
            switch source {
            case .ticket(let ticket):
                submission.channel = "web"
                submission.unit = ticket.unit
                submission.procedure = ticket.procedure
                submission.dossier = ticket.dossier
                // The ticket is used in the transaction that stores the response (a refused or failed one leaves
                // it unused); this only spares a citizen filling a form for a ticket already used.
                if let used = ticket.responseID, used != responseID {
                    return message(language, "ticketUsed", status: .conflict)
                }
            case .device:
                submission.channel = definition.id == "quick" ? "kiosk" : "desk"
            }
            // The form's time is the server's, so a resend a moment later is the same response.
            let result: ResponseIntake.Outcome
            do {
                result = try await intake.submit([.success(submission)], from: source, timeSetByServer: true)[0]
            } catch AccessRefused.unauthorized {
                // The tablet's key was revoked or replaced before the commit: nothing was stored; sign it in again,
                // as a tablet whose key is refused is.
                return WebPages.redirect("/device?lang=\(language)&survey=\(definition.id)")
            }
            switch result {
            case .invalid(let invalid):
                return try await form(
                    definition, language: language, source: source, values: values, problems: invalid.problems,
                    responseID: responseID, status: .unprocessableContent)
            case .stored(.created), .stored(.replayed):
                var context = base(language)
                context["title"] = definition.title.text(in: language)
                if case .device = source {
                    // Kiosk mode: back to an empty form for the next citizen after a few seconds (no script needed).
                    context["refresh"] = "6;url=/s/\(definition.id)?lang=\(language)"
                }
                return pages.page("thanks", context)
            case .stored(.conflict):
                return message(language, "alreadyRecorded", status: .conflict)
            case .stored(.ticketUsed):
                return message(language, "ticketUsed", status: .conflict)
            case .stored(.refused(_, let problem)):
                return try await form(
                    definition, language: language, source: source, values: values, problems: [problem],
                    responseID: responseID, status: .unprocessableContent)
            case .stored(.failed):
                throw Problem(
                    status: .internalServerError, detail: "the response could not be stored; the fault has been logged")
            }
        }

        router.get("/device") { request, _ in
            let language = Self.language(request)
            let csrf = SecretKey.randomToken()
            var context = base(language)
            context["csrf"] = csrf
            context["surveys"] = surveyChoices(language, selected: try request.query().first["survey"])
            return pages.page(
                "device", context, headers: [.setCookie: HTTPForm.setCookie(Self.csrfCookie, csrf, maxAge: 3600)])
        }

        router.post("/device") { request, _ in
            let values = FormValues(try await HTTPForm.fields(of: request))
            let language = values.single["lang"] == "en" ? "en" : "vi"
            guard let csrf = values.single["csrf"], csrf == HTTPForm.cookie(Self.csrfCookie, in: request) else {
                return message(language, "formExpired", status: .forbidden)
            }
            let key = (values.single["key"] ?? "").trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, try await database.activeDevice(key: key) != nil else {
                var context = base(language)
                context["csrf"] = csrf
                context["surveys"] = surveyChoices(language, selected: values.single["survey"])
                context["error"] = pages.texts(language)["deviceKeyWrong"]
                return pages.page("device", context, status: .unauthorized)
            }
            let survey = values.single["survey"].flatMap { catalog.current($0)?.id } ?? "sipas"
            return WebPages.redirect(
                "/s/\(survey)?lang=\(language)",
                headers: [.setCookie: HTTPForm.setCookie(Self.deviceCookie, key, maxAge: 400 * 24 * 3600)])
        }
    }

    // MARK: - Parts

    /// The device signed in on this browser, or the ticket of the link; otherwise the page to show instead.
    private enum Lookup {
        case success(ResponseSource)
        case failure(Response)
    }

    private func source(_ request: Request, _ context: AppRequestContext, ticketID: String?, survey: String)
        async throws -> Lookup
    {
        let language = Self.language(request)
        if let ticketID, !ticketID.isEmpty {
            guard let ticket = try await database.ticket(ticketID) else {
                return .failure(message(language, "ticketUnknown", status: .notFound))
            }
            if let expiry = Timestamp.parse(ticket.expiresAt), expiry < now() {
                return .failure(message(language, "ticketExpired", status: .gone))
            }
            return .success(.ticket(ticket))
        }
        if let device = context.tablet {
            return .success(.device(device))
        }
        // After signing the tablet in, the form the link named opens.
        return .failure(WebPages.redirect("/device?lang=\(language)&survey=\(survey)"))
    }

    private func form(
        _ definition: SurveyDefinition, language: String, source: ResponseSource, values: FormValues,
        problems: [FieldProblem], responseID: String,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let texts = pages.texts(language)
        var context = base(language)
        context["survey"] = definition.id
        context["surveyVersion"] = definition.version
        context["responseId"] = responseID
        context["title"] = definition.title.text(in: language)
        context["intro"] = definition.intro?.text(in: language)
        context["quick"] = definition.id == "quick"
        context["otherLanguageURL"] =
            "/s/\(definition.id)?lang=\(language == "en" ? "vi" : "en")" + (source.ticketID.map { "&t=\($0)" } ?? "")
        if case .ticket(let ticket) = source {
            context["ticket"] = ticket.id
            let unit = try await units.current().directory.name(of: ticket.unit, on: LocalDate(now())) ?? ticket.unit
            context["about"] =
                [
                    ["label": texts["unit"] ?? "", "value": unit],
                    ["label": texts["dossier"] ?? "", "value": ticket.dossier],
                ]
                + (ticket.procedure.map { [["label": texts["procedure"] ?? "", "value": $0]] } ?? [])
            context["hasAbout"] = true
        } else if case .device(let credential) = source {
            context["kiosk"] = true
            context["deskLabel"] = credential.device.desk ?? credential.device.unit
        }
        let errors = FormErrors(
            definition: definition, values: values, problems: problems, texts: texts, language: language)
        // Every control is named here, from its own question (Mustache would otherwise fill a missing name from an
        // enclosing section: an option's id in place of its question's).
        context["elements"] = definition.elements.map { element -> [String: Any] in
            [
                "id": element.id, "title": element.title.text(in: language),
                "items": element.items.map { item -> [String: Any] in
                    let name = "answer.\(item.id)"
                    let chosen = values.single[name]
                    var fields: [String: Any] = [
                        "id": item.id, "number": errors.number(of: name) ?? 0, "text": item.text.text(in: language),
                        "required": item.required,
                        "points": definition.scale.points.map { point in
                            [
                                "name": name, "value": point.value, "label": point.label.text(in: language),
                                "checked": chosen == String(point.value),
                                "face": Self.face(point.value, scale: definition.scale),
                            ] as [String: Any]
                        },
                    ]
                    // Only present keys: Mustache treats a present nil as a value.
                    fields["error"] = errors.beside("answers.\(item.id)")
                    return fields
                },
            ]
        }
        if let question = definition.expectations {
            var fields: [String: Any] = [
                "number": errors.number(of: "expectation") ?? 0, "text": question.text.text(in: language),
                "maxChoices": question.maxChoices,
                "options": question.options.map {
                    [
                        "name": "expectation", "id": $0.id, "label": $0.label.text(in: language),
                        "checked": values.multiple["expectation"]?.contains($0.id) == true,
                    ] as [String: Any]
                },
            ]
            fields["error"] = errors.beside("expectations")
            context["expectations"] = fields
        }
        if let comment = definition.comment {
            var fields: [String: Any] = [
                "number": errors.number(of: "comment") ?? 0, "text": comment.text.text(in: language),
                "maxLength": comment.maxLength,
                "value": values.single["comment"] ?? "",
            ]
            fields["error"] = errors.beside("comment")
            context["comment"] = fields
        }
        context["respondent"] = (definition.respondent ?? []).map { question -> [String: Any] in
            let name = "respondent.\(question.id)"
            var fields: [String: Any] = [
                "id": question.id, "number": errors.number(of: name) ?? 0, "text": question.text.text(in: language),
                "options": question.options.map {
                    [
                        "name": name, "id": $0.id, "label": $0.label.text(in: language),
                        "checked": values.single[name] == $0.id,
                    ] as [String: Any]
                },
            ]
            fields["error"] = errors.beside(name)
            return fields
        }
        if let general = errors.general { context["generalError"] = general }
        context["errors"] = errors.summary
        context["hasErrors"] = !errors.summary.isEmpty
        return pages.page("survey", context, status: status)
    }

    /// The surveys a tablet may show, for the sign-in's list; `selected` is the one the link asked for.
    private func surveyChoices(_ language: String, selected: String?) -> [[String: Any]] {
        let texts = pages.texts(language)
        let chosen = selected.flatMap { catalog.current($0)?.id } ?? "sipas"
        return catalog.surveyIDs.compactMap { catalog.current($0) }.map { definition in
            let label =
                texts["survey" + definition.id.prefix(1).uppercased() + definition.id.dropFirst()]
                ?? definition.title.text(in: language)
            var option: [String: Any] = ["id": definition.id, "label": label]
            if definition.id == chosen { option["selected"] = true }
            return option
        }
    }

    /// The texts and language fields every page has.
    func base(_ language: String) -> [String: Any] {
        ["t": pages.texts(language), "lang": language, "otherLang": language == "en" ? "vi" : "en"]
    }

    private func message(_ language: String, _ key: String, status: HTTPResponse.Status) -> Response {
        var context = base(language)
        context["message"] = pages.texts(language)[key] ?? key
        return pages.page("message", context, status: status)
    }

    static func language(_ request: Request) -> String {
        // A query that cannot be decoded shows the page in Vietnamese; the route's own reading refuses it.
        (try? request.query())?.first["lang"] == "en" ? "en" : "vi"
    }

    /// A face for the quick rating's large buttons, drawn as SVG (no emoji font needed): a broad smile for the
    /// top of the scale, a smile for the other satisfied points, a frown for the bottom, a straight mouth between.
    static func face(_ value: Int, scale: AnswerScale) -> String {
        guard let range = scale.range else { return "" }
        let mouth: String
        if scale.satisfied.contains(value) {
            mouth = value == range.upperBound ? "M14 27 Q24 38 34 27" : "M16 29 Q24 35 32 29"
        } else {
            mouth = value == range.lowerBound ? "M16 33 Q24 25 32 33" : "M16 31 L32 31"
        }
        return
            #"<svg class="smiley" viewBox="0 0 48 48" aria-hidden="true"><circle cx="24" cy="24" r="21"/><circle cx="17" cy="19" r="2.5" class="eye"/><circle cx="31" cy="19" r="2.5" class="eye"/><path d="\#(mouth)"/></svg>"#
    }
}

extension ResponseSource {
    var ticketID: String? {
        if case .ticket(let ticket) = self { return ticket.id }
        return nil
    }
}

/// The fields of a submitted form: single values by name, and repeated ones (checkboxes).
struct FormValues {
    var single: [String: String] = [:]
    var multiple: [String: [String]] = [:]

    init() {}

    init(_ fields: [(name: String, value: String)]) {
        for (name, value) in fields {
            single[name] = value
            multiple[name, default: []].append(value)
        }
    }

    /// The submission the form describes; validation is the intake's, like every other response.
    func submission(id: String, definition: SurveyDefinition, now: Date) -> ResponseSubmission {
        var answers: [String: Int] = [:]
        for (name, value) in single where name.hasPrefix("answer.") && !value.isEmpty {
            answers[String(name.dropFirst("answer.".count))] = Int(value) ?? Int.min
        }
        var respondent: [String: String] = [:]
        for (name, value) in single where name.hasPrefix("respondent.") && !value.isEmpty {
            respondent[String(name.dropFirst("respondent.".count))] = value
        }
        return ResponseSubmission(
            id: id, survey: definition.id, surveyVersion: definition.version, answers: answers,
            expectations: multiple["expectation"] ?? [], comment: single["comment"], respondent: respondent,
            submittedAt: Timestamp.format(now))
    }
}
