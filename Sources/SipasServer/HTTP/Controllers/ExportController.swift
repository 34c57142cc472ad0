import Foundation
import HTTPTypes
import Hummingbird
import SipasDomain

/// `GET /v1/export/responses.csv`: a row per response, a column per item, for a unit and period.
///
/// The rows are streamed: read a page at a time (``AppDatabase/exportPage(survey:ranges:after:through:limit:)``) and
/// written to the response body as they are produced, each write waiting for the client to take the previous ones, so
/// the server's memory does not grow with the export.
struct ExportController {
    let database: AppDatabase
    let index: IndexService
    let now: @Sendable () -> Date

    /// The parameters of `GET /v1/export/responses.csv`: the unit, the period and the survey. The index's other
    /// filters are refused, not ignored: the privacy minimum is counted over what the export would hold.
    static let parameterNames = ["unit", "from", "to", "year", "survey"]

    /// The units an official's export leaves out because they are under the privacy minimum.
    static let withheldUnitsHeader = HTTPField.Name("Withheld-Units")!
    /// The units an official's export leaves out so that those cannot be derived (complementary suppression).
    static let suppressedUnitsHeader = HTTPField.Name("Suppressed-Units")!

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/v1/export/responses.csv") { request, context in try await export(request, context: context) }
        // Its own HEAD route: Hummingbird's generated one would announce `Content-Length: 0` for a streamed body
        // (HeadMiddleware keeps the length unknown, as on GET).
        router.head("/v1/export/responses.csv") { request, context in try await export(request, context: context) }
    }

    private func export(_ request: Request, context: AppRequestContext) async throws -> Response {
        let reader = try context.requireFigureReader()
        let query = try IndexRequest(
            parameters: request.query(), now: LocalDate(now()), accepted: Self.parameterNames,
            endpoint: "/v1/export/responses.csv")
        let definition = try index.definition(survey: query.survey, version: nil)
        let snapshot = try await index.units.current()
        var ranges = try UnitAccess.ranges(unit: query.unit, period: query.period, reader: reader, snapshot: snapshot)
        let plan = try await database.exportPlan(survey: query.survey, ranges: ranges)
        var headers: HTTPFields = [
            .contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"responses.csv\"",
        ]
        if !reader.isAdmin {
            // A handful of rows can identify the people who gave them: the rows of a unit under the privacy
            // minimum are left out, and so are those of the unit chosen to protect it, or the figures published for
            // the whole scope minus this export would give them back.
            let left = index.policy.suppression(of: plan.units.map(\.responses))
            if let reason = index.policy.withholding(plan.responses)
                ?? (left.total ? index.policy.reason(.belowMinimum) : nil)
            {
                throw Problem(
                    status: .forbidden,
                    detail: "export withheld: \(reason) in this unit and period (\(plan.responses))")
            }
            let leftOut = Set(left.suppressed.map { plan.units[$0].id })
            ranges = ranges.map { range in
                TallyFetch.Range(
                    from: range.from, to: range.to, units: range.units.filter { !leftOut.contains($0.key) })
            }
            let withheld = left.withheld.sorted().map { plan.units[$0].key }
            let suppressed = left.complementary.sorted().map { plan.units[$0].key }
            if !withheld.isEmpty { headers[Self.withheldUnitsHeader] = withheld.joined(separator: ", ") }
            if !suppressed.isEmpty { headers[Self.suppressedUnitsHeader] = suppressed.joined(separator: ", ") }
        }
        let csv = ResponsesCSV(definition: definition, withPersonalText: reader.isAdmin)
        let survey = query.survey, first = plan.firstSeq, last = plan.lastSeq, logger = context.logger
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { [database, ranges] writer in
                var rows = 0
                do {
                    try await writer.write(ByteBuffer(string: csv.header))
                    var after = first - 1
                    while true {
                        let page = try await database.exportPage(
                            survey: survey, ranges: ranges, after: after, through: last)
                        guard let end = page.last?.seq else { break }
                        try await writer.write(ByteBuffer(string: csv.rows(page)))
                        rows += page.count
                        after = end
                    }
                    try await writer.finish(nil)
                } catch {
                    // The status is sent: the connection is closed, and the client sees a truncated body,
                    // not a whole file.
                    logger.warning(
                        "response export stopped half-way",
                        metadata: ["rows": "\(rows)", "error": "\(String(reflecting: error))"])
                    throw error
                }
            })
    }
}
