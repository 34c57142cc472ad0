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
        router.get("/v1/timeliness") { request, context in
            let reader = try context.requireFigureReader()
            let query = try TimelinessService.query(request.query(), today: LocalDate(now()))
            return Reply(try await timeliness.report(query, reader: reader))
        }
        router.get("/v1/coverage") { request, context in
            let reader = try context.requireFigureReader()
            let query = try TimelinessService.query(
                request.query(), today: LocalDate(now()),
                accepted: TimelinessService.coverageParameterNames,
                endpoint: "/v1/coverage")
            return try await timeliness.coverage(unit: query.unit, period: query.period, reader: reader)
        }
        router.get("/v1/scorecard") { request, context in
            let reader = try context.requireFigureReader()
            var query = try ParameterReader(
                request.query(), accepted: ["unit", "year", "ruleset"], endpoint: "/v1/scorecard")
            let unit = query["unit"] ?? ""
            if unit.isEmpty { query.report("unit", "is required (the code of the unit, e.g. 875)") }
            let year = query.year("year")
            if query["year"] == nil { query.report("year", "is required, e.g. 2024") }
            try query.check()
            guard let year else { throw Problem(status: .unprocessableContent, detail: "year: is required") }
            let report = try await scorecard.report(
                unit: unit, year: year, ruleSet: query["ruleset"], reader: reader, today: LocalDate(now()))
            return ScorecardReply(report)
        }
    }
}
