import Foundation
import Hummingbird
import SipasDomain

/// `/admin/devices`: an admin registers desk tablets and kiosks, revokes them and replaces their keys, through
/// the dashboard's session (its CSRF secret guards every form). Registering and replacing show a one-time
/// enrollment code (QR code and link) instead of a key: no key is ever shown on a screen.
///
/// "Last seen" is the latest `receivedAt` of the device's responses, and "this month" counts responses received
/// since the 1st, Vietnam time: both exact, read from the index on (deviceId, receivedAt) (migration v13).
struct DevicesAdminController {
    let database: AppDatabase
    let pages: WebPages
    let units: UnitCache
    /// `--public-url`, for the enrollment links; without it, the address the admin's browser used.
    let publicURL: String?
    /// The address served, for a request without a usable Host header.
    let baseURL: String
    let now: @Sendable () -> Date
    /// Register forms already sent, so that reloading the code's page registers nothing more.
    let submittedForms = SubmittedForms()

    static let path = "/admin/devices"

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/admin/devices") { request, context in
            try await asAdmin(request, context, form: false) { admin, language, _ in
                try await page(request, admin, language: language)
            }
        }

        // Register: the device is stored with a key no one holds, and its enrollment code is shown.
        router.post("/admin/devices") { request, context in
            try await asAdmin(request, context, form: true) { admin, language, values in
                var typed = DevicesPage.Typed(
                    unit: values.single["unit"] ?? "", desk: values.single["desk"] ?? "",
                    label: values.single["label"] ?? "")
                let texts = pages.texts(language)
                let desk = InputText.optional(typed.desk, field: texts["desk"] ?? "desk")
                let label = InputText.optional(
                    typed.label, field: texts["label"] ?? "label", maximumLength: InputText.maximumNameLength)
                let inForce = try await units.current().directory.unit(typed.unit, on: LocalDate(now())) != nil
                // The page showing the code answers this POST; reloading it sends the form again.
                let formID = values.single["formId"] ?? ""
                if !formID.isEmpty, case .alreadySent(let device) = submittedForms.claim(formID, now: now()) {
                    let message = (texts["formAlreadySent"] ?? "").replacingOccurrences(
                        of: "{device}", with: device.map(String.init) ?? "…")
                    return try await page(request, admin, language: language, notice: message, status: .conflict)
                }
                switch (desk, label) {
                case (.success(let desk), .success(let label)) where inForce:
                    let issued: IssuedEnrollment
                    do {
                        issued = try await database.addDeviceForEnrollment(
                            unit: typed.unit, desk: desk, label: label, now: now(),
                            actor: AuditActor.adminToken(admin.token.id))
                    } catch {
                        submittedForms.release(formID)
                        throw error
                    }
                    if !formID.isEmpty { submittedForms.registered(formID, device: issued.device.id, now: now()) }
                    return try await page(request, admin, language: language, issued: issued)
                case (.failure(let problem), _), (_, .failure(let problem)):
                    typed.error = problem.description
                default:
                    typed.error = texts["unitNotInForce"]
                }
                // Refused: the same form, corrected, may be sent again.
                submittedForms.release(formID)
                return try await page(request, admin, language: language, typed: typed, status: .unprocessableContent)
            }
        }

        router.post("/admin/devices/:id/revoke") { request, context in
            try await asAdmin(request, context, form: true) { admin, language, values in
                guard let id = Int64(try context.pathParameter("id")),
                    try await database.revokeDevice(id: id, now: now(), actor: AuditActor.adminToken(admin.token.id))
                else {
                    return try await page(
                        request, admin, language: language, error: "deviceNotActive", status: .notFound)
                }
                // Nothing secret to show: back to the list, so a reload does not send the form again.
                return WebPages.redirect("\(Self.path)?lang=\(language)#device-\(id)")
            }
        }

        // Replace the key: the old key stops at once, and a code gives the device its new one.
        router.post("/admin/devices/:id/rekey") { request, context in
            try await asAdmin(request, context, form: true) { admin, language, values in
                guard let id = Int64(try context.pathParameter("id")),
                    let issued = try await database.rekeyDeviceForEnrollment(
                        id: id, now: now(), actor: AuditActor.adminToken(admin.token.id))
                else {
                    return try await page(request, admin, language: language, error: "deviceMissing", status: .notFound)
                }
                return try await page(request, admin, language: language, issued: issued, rekeyed: true)
            }
        }
    }

    // MARK: - Who may

    /// Answers as `body` does for a signed-in admin (with the posted form's values when `form`), or with the refusal
    /// ``access(_:_:language:form:)`` shows.
    private func asAdmin(
        _ request: Request, _ context: AppRequestContext, form: Bool,
        _ body: (Admin, String, FormValues) async throws -> Response
    ) async throws -> Response {
        let language = SurveyFormController.language(request)
        let values = form ? FormValues(try await HTTPForm.fields(of: request)) : FormValues()
        switch try await access(request, context, language: language, form: form ? values : nil) {
        case .refused(let response): return response
        case .granted(let admin): return try await body(admin, language, values)
        }
    }

    /// A signed-in admin: the session's token and its CSRF secret.
    private struct Admin {
        let token: AccessToken
        let csrf: String
    }

    private enum Access {
        case granted(Admin)
        case refused(Response)
    }

    /// An admin's session, and for a form its CSRF secret; otherwise the answer: the sign-in page (which comes
    /// back here), 403 for an official, or the page again with "the form expired" for a form without the secret.
    private func access(_ request: Request, _ context: AppRequestContext, language: String, form: FormValues?)
        async throws -> Access
    {
        guard let (token, csrf) = context.session.map({ ($0.token, $0.csrf) }) else {
            let next = URLEncoding.encodeFormComponent(Self.path)
            return .refused(WebPages.redirect("/dashboard/signin?next=\(next)&lang=\(language)"))
        }
        guard token.role == .admin else {
            var context = base(language)
            context["message"] = pages.texts(language)["adminDevicesOnly"]
            return .refused(pages.page("message", context, status: .forbidden))
        }
        let admin = Admin(token: token, csrf: csrf)
        if let form, form.single["csrf"] != csrf {
            return .refused(
                try await page(request, admin, language: language, error: "formExpired", status: .forbidden))
        }
        return .granted(admin)
    }

    // MARK: - The page

    private func page(
        _ request: Request, _ admin: Admin, language: String, issued: IssuedEnrollment? = nil, rekeyed: Bool = false,
        typed: DevicesPage.Typed = .init(), error: String? = nil, notice: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let texts = pages.texts(language)
        let view = DevicesPage(texts: texts, directory: try await units.current().directory, today: LocalDate(now()))
        var context = base(language)
        context["title"] = texts["devicesTitle"]
        context["csrf"] = admin.csrf
        context["tokenLabel"] = admin.token.label
        context["devices"] = view.rows(try await database.deviceOverview(now: now()))
        context["units"] = view.units(selected: typed.unit)
        context["typed"] = ["desk": typed.desk, "label": typed.label]
        context["formError"] = typed.error
        context["error"] = error.flatMap { texts[$0] } ?? notice
        // A new id for every register form shown: the form sent twice is recognised by it.
        context["formId"] = SecretKey.randomToken()
        if let issued {
            context["issued"] = view.issued(
                issued, base: LinkBase.of(request, publicURL: publicURL, fallback: baseURL), rekeyed: rekeyed)
        }
        return pages.page("admin-devices", context, status: status)
    }

    private func base(_ language: String) -> [String: Any] {
        ["t": pages.texts(language), "lang": language, "otherLang": language == "en" ? "vi" : "en"]
    }
}
