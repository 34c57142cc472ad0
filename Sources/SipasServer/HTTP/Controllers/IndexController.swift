import Foundation
import Hummingbird
import SipasDomain

/// Satisfaction figures for officials: `GET /v1/index` (JSON, or CSV with `Accept: text/csv`),
/// `GET /v1/index.csv`, and `GET /v1/index/compare` for two periods.
struct IndexController {
    let database: AppDatabase
    let service: IndexService
    let now: @Sendable () -> Date

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/v1/index") { request, context in
            let report = try await report(for: request, context: context)
            let wantsCSV = request.headers[.accept]?.contains("text/csv") == true
            return try wantsCSV
                ? Self.csvResponse(report.csv, name: "index") : Reply(report).response()
        }
        router.get("/v1/index.csv") { request, context in
            try Self.csvResponse(await report(for: request, context: context).csv, name: "index")
        }
        router.get("/v1/index/compare") { request, context in
            let reader = try context.requireFigureReader()
            var parameters = try request.query()
            // The first period may be written without its number (from, to, year), but not both ways at once.
            let spelled = Set(parameters.pairs.map(\.name))
            let twice = ["from1", "to1", "year1"].filter {
                spelled.contains($0) && spelled.contains(String($0.dropLast()))
            }
            for name in ["from1", "to1", "year1"] {
                parameters = parameters.adding(name, from: String(name.dropLast()))
            }
            let given = Set(parameters.pairs.map(\.name))
            var query = ParameterReader(parameters, accepted: Self.compareParameters, endpoint: "/v1/index/compare")
            for name in twice {
                let bare = String(name.dropLast())
                query.report(bare, "the first period is given as \(name) too; give one of \(bare) and \(name)")
            }
            var first = IndexRequest(reading: &query, now: LocalDate(now()), periodSuffix: "1")
            var second = first
            second.period = query.period(today: LocalDate(now()), suffix: "2")
            if !given.contains("from2") && !given.contains("year2") {
                query.report("from2", "the second period is required (from2 and to2, or year2)")
            }
            try query.check()
            // Both periods report the same unit version: the one the later period means. A period before that version
            // existed counts its predecessors, so the comparison covers the same territory (or says it cannot).
            let later = try await service.report(first.to > second.to ? first : second, reader: reader)
            if let version = later.unitVersion {
                first.unit = "\(version.code)@\(version.validFrom)"
                second.unit = first.unit
            }
            return Comparison(
                first: try await service.report(first, reader: reader),
                second: try await service.report(second, reader: reader))
        }
    }

    /// The parameters of `GET /v1/index/compare`: the index's filters and two periods, without a breakdown.
    static let compareParameters =
        ["unit"] + IndexRequest.filterNames
        + ["from1", "to1", "year1", "from2", "to2", "year2", "from", "to", "year", "excludeFlagged"]

    private func report(for request: Request, context: AppRequestContext) async throws -> IndexReport {
        let reader = try context.requireFigureReader()
        return try await service.report(
            IndexRequest(parameters: request.query(), now: LocalDate(now())), reader: reader)
    }

    static func csvResponse(_ text: String, name: String) throws -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name).csv\"",
            ],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
