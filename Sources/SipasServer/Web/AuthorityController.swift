import Foundation
import Hummingbird

/// The office authority for the tablets to install: `GET /tls` explains how, step by step, with the fingerprint
/// to compare; `GET /tls/ca.crt` (DER, what Android's and browsers' installers open) and `GET /tls/ca.pem` hand
/// out its certificate. Public: the certificate is no secret, and a tablet asks before it trusts the server.
struct AuthorityController {
    /// Nil when the server uses the operator's certificate or plain HTTP.
    let authority: OfficeAuthority?
    let pages: WebPages

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/tls") { request, _ in
            let language = SurveyFormController.language(request)
            var context: [String: Any] = [
                "t": pages.texts(language), "lang": language, "otherLang": language == "en" ? "vi" : "en",
            ]
            context["title"] = pages.texts(language)["tlsTitle"]
            // Only present keys: the templates treat any present value, even "", as true.
            if let authority { context["fingerprint"] = authority.fingerprint }
            return pages.page("tls", context)
        }
        router.get("/tls/ca.pem") { _, _ in
            download(
                ByteBuffer(string: try certificate().certificatePEM), type: "application/x-pem-file",
                file: "sipas-ca.pem")
        }
        router.get("/tls/ca.crt") { _, _ in
            download(
                ByteBuffer(bytes: try certificate().certificateDER), type: "application/x-x509-ca-cert",
                file: "sipas-ca.crt")
        }
    }

    /// The authority, or 404 saying why there is none.
    private func certificate() throws -> OfficeAuthority {
        guard let authority else {
            throw Problem(
                status: .notFound,
                detail:
                    "there is no office certificate authority: the server uses the operator's certificate (or plain HTTP behind a proxy); "
                    + "tablets need install nothing from it")
        }
        return authority
    }

    /// A file to save, named as the installers expect it.
    private func download(_ body: ByteBuffer, type: String, file: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: type, .contentDisposition: "attachment; filename=\"\(file)\"", .cacheControl: "no-cache",
            ],
            body: .init(byteBuffer: body))
    }
}
