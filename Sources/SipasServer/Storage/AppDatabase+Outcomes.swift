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

extension AppDatabase {
    /// The responses of a survey that name a dossier, for sets of unit versions over date ranges.
    func responsesNamingDossiers(survey: String, ranges: [TallyFetch.Range]) async throws -> [ResponseWithDossier] {
        try await writer.read { db in
            var result: [ResponseWithDossier] = []
            for range in ranges where !range.units.isEmpty {
                let units = range.units.keys.map(String.init).joined(separator: ",")
                let filter =
                    "r.survey = ? AND r.unitId IN (\(units)) AND r.submittedDate BETWEEN ? AND ? AND r.dossier IS NOT NULL"
                let arguments: StatementArguments = [survey, range.from.description, range.to.description]
                var answers: [Int64: [ValidResponse.Answer]] = [:]
                for row in try Row.fetchAll(
                    db,
                    sql:
                        "SELECT a.responseSeq, a.item, a.value FROM response_answer a JOIN response r ON r.seq = a.responseSeq WHERE \(filter)",
                    arguments: arguments)
                {
                    answers[row["responseSeq"], default: []].append(.init(item: row["item"], value: row["value"]))
                }
                var expectations: [Int64: [String]] = [:]
                for row in try Row.fetchAll(
                    db,
                    sql:
                        "SELECT e.responseSeq, e.option FROM response_expectation e JOIN response r ON r.seq = e.responseSeq WHERE \(filter)",
                    arguments: arguments)
                {
                    expectations[row["responseSeq"], default: []].append(row["option"])
                }
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT r.seq, r.surveyVersion, d.code AS dossierCode, d.* FROM response r LEFT JOIN dossier d ON d.code = r.dossier WHERE \(filter)
                        """, arguments: arguments)
                for row in rows {
                    let seq: Int64 = row["seq"]
                    let known = (row["dossierCode"] as String?) != nil
                    result.append(
                        ResponseWithDossier(
                            surveyVersion: row["surveyVersion"], answers: answers[seq] ?? [],
                            expectations: expectations[seq] ?? [],
                            dossier: known ? Self.dossier(row) : nil))
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
