import Foundation
import SipasDomain

// The command line's index report needs no reference files, so it is made from the index service alone.
extension Assembly {
    /// The satisfaction index of a unit over a period (`sipas report index`), as a table, JSON or CSV.
    public func indexReport(
        database: SQLiteDatabase, unit: String, period: Period, survey: String, groupBy: String?,
        format: Reports.Format
    ) async throws -> String {
        var request = IndexRequest(unit: unit, period: period)
        request.survey = survey
        if let groupBy {
            guard let grouping = Breakdown(rawValue: groupBy) else {
                throw OperatorError("--group-by must be one of \(Breakdown.words)")
            }
            request.groupBy = grouping
        }
        let service = AppServices.index(
            configuration: configuration, database: database, catalog: try await database.surveyCatalog(),
            units: UnitCache(database: database))
        let report = try await AppServices.operatorErrors { try await service.report(request, reader: .admin) }
        switch format {
        case .table: return report.table
        case .csv: return report.csv
        case .json: return try AppServices.json(report)
        }
    }
}
