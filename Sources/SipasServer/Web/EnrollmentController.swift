import Foundation
import Hummingbird
import SipasDomain

/// `/e/{code}`: a desk tablet opens the link of an enrollment code (typed, or scanned from the admin's screen),
/// confirms which device it becomes, and is signed in with a key it never shows: the same `sipas_device` cookie
/// the `/device` page sets.
struct EnrollmentController {
    let database: AppDatabase
    let pages: WebPages
    let units: UnitCache
    let now: @Sendable () -> Date

    func addRoutes(to router: Router<AppRequestContext>) {
        // Opening the link only shows what it would do. Redeeming takes the POST of the page's button, because
        // chat apps fetch links to preview them and some QR scanners fetch what they read: if a GET used the
        // code, such a fetch would spend it and the tablet would find it used.
        router.get("/e/:code") { request, context in
            let language = SurveyFormController.language(request)
            let typed = try context.pathParameter("code")
            guard let code = EnrollmentCode(typed: typed) else {
                return refused(.unknown, language: language, typed: typed)
            }
            let device: Device
            do {
                device = try await database.enrollmentTarget(code, now: now())
            } catch let refusal as EnrollmentRefusal {
                return refused(refusal, language: language, typed: typed)
            }
            let csrf = SecretKey.randomToken()
            var page = base(language, code: code)
            page["csrf"] = csrf
            page["device"] = try await describe(device)
            return pages.page(
                "enroll", page,
                headers: [.setCookie: HTTPForm.setCookie(SurveyFormController.csrfCookie, csrf, maxAge: 3600)])
        }

        // The button: the code is used, the tablet gets the device's new key in its cookie and opens the form. The
        // cookie is SameSite=Strict: set by this same-site POST's answer, it is sent with the redirect that follows.
        router.post("/e/:code") { request, context in
            let language = SurveyFormController.language(request)
            let typed = try context.pathParameter("code")
            let values = FormValues(try await HTTPForm.fields(of: request))
            // The CSRF cookie (set by the confirmation page) keeps another site from signing a tablet in as a
            // device of its choosing with a code it holds.
            guard let csrf = values.single["csrf"],
                csrf == HTTPForm.cookie(SurveyFormController.csrfCookie, in: request)
            else {
                var page = base(language)
                page["message"] = pages.texts(language)["formExpired"]
                return pages.page("message", page, status: .forbidden)
            }
            guard let code = EnrollmentCode(typed: typed) else {
                return refused(.unknown, language: language, typed: typed)
            }
            do {
                let (_, key) = try await database.redeemEnrollmentCode(code, via: "the web page /e", now: now())
                return WebPages.redirect(
                    "/s/sipas?lang=\(language)",
                    headers: [
                        .setCookie: HTTPForm.setCookie(SurveyFormController.deviceCookie, key, maxAge: 400 * 24 * 3600)
                    ])
            } catch let refusal as EnrollmentRefusal {
                return refused(refusal, language: language, typed: typed)
            }
        }
    }

    // MARK: - Parts

    /// The page saying why the code does not work and what to do: 404 for an unknown code, 410 for one that
    /// expired, was used or was voided.
    private func refused(_ refusal: EnrollmentRefusal, language: String, typed: String) -> Response {
        let texts = pages.texts(language)
        var page = base(language)
        page["otherLanguageURL"] = "/e/\(URLEncoding.encodeFormComponent(typed))?lang=\(language == "en" ? "vi" : "en")"
        page["refusal"] = texts[refusal.textKey]
        return pages.page("enroll", page, status: refusal.status)
    }

    private func base(_ language: String, code: EnrollmentCode) -> [String: Any] {
        var page = base(language)
        page["code"] = code.description
        page["otherLanguageURL"] = "/e/\(code)?lang=\(language == "en" ? "vi" : "en")"
        return page
    }

    private func base(_ language: String) -> [String: Any] {
        [
            "t": pages.texts(language), "lang": language, "otherLang": language == "en" ? "vi" : "en",
            "title": pages.texts(language)["enrollTitle"] ?? "sipas",
        ]
    }

    /// The device as the confirmation names it.
    private func describe(_ device: Device) async throws -> [String: Any] {
        let name = try await units.current().directory.name(of: device.unit, on: LocalDate(now()))
        var fields: [String: Any] = ["unit": device.unit, "unitName": name ?? "", "name": DevicesPage.name(of: device)]
        fields["desk"] = device.desk
        fields["label"] = device.label
        return fields
    }
}
