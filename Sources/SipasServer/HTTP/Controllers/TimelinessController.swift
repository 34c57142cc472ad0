import Foundation
import Hummingbird
import SipasDomain

/// `GET /v1/timeliness`, `GET /v1/coverage` and `GET /v1/scorecard`: the CCHC figures of a unit's dossiers,
/// how many citizens are asked per resolved dossier, and the scorecard.
struct TimelinessController {
    let database: AppDatabase
    let timeliness: TimelinessService
    let scorecard: ScorecardService
    let now: @Sendable () -> Date

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/v1/timeliness") { request, _ in
            let reader = try await BearerCredential.reader(of: request, in: database, now: now())
            let query = try TimelinessService.query(request.queryValues(), today: LocalDate(now()))
            return try JSONResponse.make(try await timeliness.report(query, reader: reader))
        }
        router.get("/v1/coverage") { request, _ in
            let reader = try await BearerCredential.reader(of: request, in: database, now: now())
            let query = try TimelinessService.query(request.queryValues(), today: LocalDate(now()))
            return try JSONResponse.make(try await timeliness.coverage(unit: query.unit, from: query.from, to: query.to, reader: reader))
        }
        router.get("/v1/scorecard") { request, _ in
            let reader = try await BearerCredential.reader(of: request, in: database, now: now())
            let parameters = try request.queryValues()
            var problems: [FieldProblem] = []
            let unit = parameters["unit"] ?? ""
            if unit.isEmpty { problems.append(FieldProblem(field: "unit", message: "is required")) }
            let year = parameters["year"].flatMap(LocalDate.year)
            if let text = parameters["year"], year == nil {
                problems.append(FieldProblem(field: "year", message: "'\(text)' is not a year YYYY from 1900 to 9999"))
            } else if year == nil {
                problems.append(FieldProblem(field: "year", message: "is required, e.g. 2024"))
            }
            guard problems.isEmpty, let year else { throw Problem.invalid(InvalidResponse(problems)) }
            let report = try await scorecard.report(unit: unit, year: year, ruleSet: parameters["ruleset"], reader: reader, today: LocalDate(now()))
            return try JSONResponse.make(report)
        }
    }
}
