import GRDB
import SipasDomain

/// A response that names a dossier, with what it said and the dossier if it is known.
struct ResponseWithDossier: Sendable {
    let surveyVersion: Int
    let answers: [ValidResponse.Answer]
    let expectations: [String]
    let dossier: Dossier?
}

/// Responses and resolved dossiers of one unit version and desk.
struct CoverageCount: Sendable {
    let unitID: Int64
    let desk: String
    let responses: Int
    let responsesWithDossier: Int
}

extension SQLiteDatabase {
    /// The responses of a survey that name a dossier, for sets of unit versions over date ranges.
    func responsesNamingDossiers(_ fetch: TallyFetch) async throws -> [ResponseWithDossier] {
        try await writer.read { db in
            var result: [ResponseWithDossier] = []
            for range in fetch.ranges where !range.units.isEmpty {
                // The fetch's filters too (procedure, channel, desk, version), as the sums these groups share out.
                let filter =
                    ([
                        "r.survey = \(fetch.survey)", "r.unitId IN \(Array(range.units.keys))",
                        // `+`: the date index is not used, so SQLite reads the (partial) index of responses naming a
                        // dossier instead of every response of the period.
                        "+r.submittedDate BETWEEN \(range.from.description) AND \(range.to.description)",
                        "r.dossier IS NOT NULL",
                    ] + Self.responseFilters(fetch)).joined(separator: " AND ")
                let contents = try ResponseContents.load(db, where: filter)
                let dossiers = try StoredDossier.named(where: filter, db)
                for response in try FiledResponse.fetchAll(db, where: filter) {
                    result.append(
                        ResponseWithDossier(
                            surveyVersion: response.surveyVersion, answers: contents.answers(of: response.seq),
                            expectations: contents.expectations(of: response.seq),
                            dossier: response.dossier.flatMap { dossiers[$0] }))
                }
            }
            return result
        }
    }

    /// Responses (any survey) per unit version and desk, and resolved dossiers per unit version, over ranges.
    func coverage(ranges: [TallyFetch.Range]) async throws -> (responses: [CoverageCount], resolved: [Int64: Int]) {
        try await writer.read { db in
            var responses: [CoverageCount] = []
            var resolved: [Int64: Int] = [:]
            for range in ranges where !range.units.isEmpty {
                let units = range.units.keys.map(String.init).joined(separator: ",")
                let arguments: StatementArguments = [range.from.description, range.to.description]
                for row in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT unitId, coalesce(desk, '') AS desk, count(*) AS responses, count(dossier) AS withDossier FROM response
                        WHERE unitId IN (\(units)) AND submittedDate BETWEEN ? AND ? GROUP BY unitId, desk
                        """, arguments: arguments)
                {
                    responses.append(
                        CoverageCount(
                            unitID: row["unitId"], desk: row["desk"], responses: row["responses"],
                            responsesWithDossier: row["withDossier"]))
                }
                for row in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT unitId, count(*) AS resolved FROM dossier
                        WHERE unitId IN (\(units)) AND receivedDate BETWEEN ? AND ? AND status IN ('resolved', 'returned') GROUP BY unitId
                        """, arguments: arguments)
                {
                    resolved[row["unitId"], default: 0] += row["resolved"]
                }
            }
            return (responses, resolved)
        }
    }
}
