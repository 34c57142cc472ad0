import GRDB

/// Where a stored response is filed: its survey version, unit version, day, procedure, channel, desk and dossier,
/// what the index, the outcomes and the tallies place it by (its answers are in ``ResponseContents``).
struct FiledResponse: Decodable, FetchableRecord, TableRecord, Sendable {
    static let databaseTableName = "response"
    /// Only the columns below, not the whole row (comments, respondents).
    static var databaseSelection: [any SQLSelectable] { CodingKeys.allCases.map { Column($0) } }

    /// The columns read, each named once.
    enum CodingKeys: String, CodingKey, CaseIterable {
        case seq, survey, surveyVersion, unitID = "unitId", submittedDate, procedure, channel, desk, dossier
    }

    let seq: Int64
    let survey: String
    let surveyVersion: Int
    /// The row id of the unit version it is filed under.
    let unitID: Int64
    /// `YYYY-MM-DD`, Vietnam time.
    let submittedDate: String
    let procedure: String?
    let channel: String
    let desk: String?
    /// The dossier code it names, known or not.
    let dossier: String?

    /// The responses `filter` selects, a condition on `response` as `r`, in seq order.
    static func fetchAll(_ db: Database, where filter: SQL) throws -> [FiledResponse] {
        try SQLRequest<FiledResponse>(
            literal:
                "SELECT \(columnsOf: FiledResponse.self, tableAlias: "r") FROM response r WHERE \(filter) ORDER BY r.seq"
        ).fetchAll(db)
    }
}
