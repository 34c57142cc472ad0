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
            return try wantsCSV ? Self.csvResponse(report.csv, name: "index") : JSONResponse.make(report)
        }
        router.get("/v1/index.csv") { request, context in
            try Self.csvResponse(await report(for: request, context: context).csv, name: "index")
        }
        router.get("/v1/index/compare") { request, context in
            let reader = try context.requireFigureReader()
            var parameters = try request.query()
            // The first period may be written without its number (from, to, year).
            for name in ["from1", "to1", "year1"] {
                parameters = parameters.adding(name, from: String(name.dropLast()))
            }
            let given = Set(parameters.pairs.map(\.name))
            var query = ParameterReader(parameters, accepted: Self.compareParameters, endpoint: "/v1/index/compare")
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
            return try JSONResponse.make(
                ComparisonReport(
                    first: try await service.report(first, reader: reader),
                    second: try await service.report(second, reader: reader)))
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

/// The answer of `GET /v1/index/compare`.
struct ComparisonReport: Encodable {
    let first: IndexReport
    let second: IndexReport

    struct Change: Encodable {
        let id: String
        let first: Double?
        let second: Double?
        let difference: Double?
        let ci95: [Double]?
        let pValue: Double?
        let significant: Bool?
        let test: String

        init(_ change: FigureChange, test: String) {
            func round(_ value: Double) -> Double { Rounding.double(value, places: Rounding.percentPlaces) }
            func print(_ value: Decimal) -> Double { Rounding.double(value, places: Rounding.percentPlaces) }
            id = change.id
            first = change.firstExact.map(print)
            second = change.secondExact.map(print)
            difference = change.exactDifference.map(print)
            ci95 = change.ci95.map { [round($0.lowerBound), round($0.upperBound)] }
            pValue = change.pValue.map { Rounding.double($0, places: 6) }
            significant = change.significant
            self.test = test
        }
    }

    struct Changes: Encodable {
        let sipas: Change
        let elements: [Change]
        let items: [Change]
    }

    private enum Keys: String, CodingKey { case survey, unit, first, second, changes, sameTerritory, territoryNote }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(first.request.survey, forKey: .survey)
        try container.encode(first.request.unit, forKey: .unit)
        let same = UnitVersionBody.sameTerritory(first.unitVersion, second.unitVersion)
        try container.encode(same, forKey: .sameTerritory)
        if !same {
            try container.encode(
                "the two periods do not cover the same territory: a predecessor taken over only in part is counted whole, "
                    + "the unit versions differ, or the unit is not in force in one of the periods",
                forKey: .territoryNote)
        }
        try container.encode(first, forKey: .first)
        try container.encode(second, forKey: .second)
        let interval = "difference of indices with a 95 % interval ±1.96·√(SE₁²+SE₂²)"
        let proportions = "two-proportion z-test (pooled), 95 %"
        try container.encode(
            Changes(
                sipas: Change(
                    IndexComparison.overall(first.figures, second.figures, id: first.request.survey), test: interval),
                elements: IndexComparison.elements(first.figures, second.figures).map { Change($0, test: interval) },
                items: IndexComparison.items(first.figures, second.figures).map { Change($0, test: proportions) }),
            forKey: .changes)
    }
}
