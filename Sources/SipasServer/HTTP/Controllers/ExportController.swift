import Foundation
import Hummingbird
import SipasDomain

/// `GET /v1/export/responses.csv`: a row per response, a column per item, for a unit and period.
struct ExportController {
    let database: AppDatabase
    let index: IndexService
    let now: @Sendable () -> Date

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/v1/export/responses.csv") { request, _ in
            let reader = try await BearerCredential.reader(of: request, in: database, now: now())
            let query = try IndexRequest(parameters: request.queryValues(), now: LocalDate(now()))
            guard let definition = index.catalog.current(query.survey) else {
                throw Problem.invalid(InvalidResponse([FieldProblem(field: "survey", message: "unknown survey '\(query.survey)'")]))
            }
            let snapshot = try await index.units.current()
            let scope = try index.authorisedScope(query, reader: reader, snapshot: snapshot)
            let responses = try await database.exportResponses(survey: query.survey, ranges: IndexService.ranges(scope, snapshot: snapshot))
            // A handful of rows can identify the people who gave them.
            if !reader.isAdmin, let reason = index.policy.withholding(responses.count) {
                throw Problem(status: .forbidden, detail: "export withheld: \(reason) in this unit and period (\(responses.count))")
            }
            return try IndexController.csvResponse(
                Self.csv(responses, definition: definition, withPersonalText: reader.isAdmin), name: "responses")
        }
    }

    /// Free comments and dossier numbers can point at a person, so only admins get them.
    static func csv(_ responses: [ExportedResponse], definition: SurveyDefinition, withPersonalText: Bool) -> String {
        let items = definition.items.map(\.id)
        let profile = (definition.respondent ?? []).map(\.id)
        var writer = CSVWriter()
        var header = ["id", "surveyVersion", "unit", "unitValidFrom", "procedure", "channel", "desk", "submittedAt", "submittedDate", "receivedAt"]
        header += items + ["expectations"] + profile
        if withPersonalText { header += ["dossier", "comment"] }
        writer.row(header)
        let decoder = JSONDecoder()
        for response in responses {
            let answers = response.respondent.flatMap { try? decoder.decode([String: String].self, from: Data($0.utf8)) } ?? [:]
            var row = [
                response.id, String(response.surveyVersion), response.unit, response.unitValidFrom, response.procedure ?? "", response.channel,
                response.desk ?? "",
                response.submittedAt, response.submittedDate, response.receivedAt,
            ]
            row += items.map { response.answers[$0].map(String.init) ?? "" }
            row.append(response.expectations.sorted().joined(separator: ";"))
            row += profile.map { answers[$0] ?? "" }
            if withPersonalText { row += [response.dossier ?? "", response.comment ?? ""] }
            writer.row(row)
        }
        return writer.text
    }
}
