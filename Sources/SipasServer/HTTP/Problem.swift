import Foundation
import Hummingbird
import SipasDomain

/// An error answered as `application/problem+json` (RFC 9457): every error of the API takes this form,
/// with a `detail` that says what was wrong and, for validation errors, the fields in `errors`.
struct Problem: HTTPResponseError, Sendable {
    let status: HTTPResponse.Status
    let detail: String
    var errors: [FieldProblem] = []
    var headers: HTTPFields = [:]

    /// 422 for a request whose content breaks the rules, naming each field.
    static func invalid(_ invalid: InvalidInput) -> Problem {
        Problem(status: .unprocessableContent, detail: invalid.description, errors: invalid.problems)
    }

    /// 401, with the challenge clients expect.
    static func unauthorized(_ detail: String) -> Problem {
        Problem(status: .unauthorized, detail: detail, headers: [.wwwAuthenticate: "Bearer"])
    }

    /// 405 for a method the path does not answer, with the `Allow` header naming those it does.
    static func methodNotAllowed(_ method: HTTPRequest.Method, path: String, allowed: [HTTPRequest.Method]) -> Problem {
        let list = allowed.map(\.rawValue).joined(separator: ", ")
        return Problem(
            status: .methodNotAllowed, detail: "\(path) does not answer \(method); it answers \(list)",
            headers: [.allow: list])
    }

    /// The problem as its JSON says it (RFC 9457).
    struct Body: Codable {
        var type = "about:blank"
        let title: String
        let status: Int
        let detail: String
        let errors: [FieldError]?
    }

    /// Written by the API's one encoder, as every reply is, with the problem's own media type.
    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(
            title: status.reasonPhrase, status: status.code, detail: detail,
            errors: errors.isEmpty ? nil : errors.map(FieldError.init))
        var response = try APIJSON.encoder.encode(body, from: request, context: context)
        response.status = status
        response.headers[.contentType] = "application/problem+json"
        for field in headers { response.headers.append(field) }
        return response
    }
}
