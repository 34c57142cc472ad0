import GRDB
import SipasDomain

/// One response as exported.
struct ExportedResponse: Sendable {
    let id: String
    let surveyVersion: Int
    let unit: String
    /// The start of the unit version the response is filed under (a reused code is two units).
    let unitValidFrom: String
    let procedure: String?
    let dossier: String?
    let channel: String
    let desk: String?
    let submittedAt: String
    let submittedDate: String
    let receivedAt: String
    let comment: String?
    let respondent: String?
    var answers: [String: Int] = [:]
    var expectations: [String] = []
}

extension AppDatabase {
    /// The responses of a survey for sets of unit versions over date ranges, in arrival order.
    func exportResponses(survey: String, ranges: [TallyFetch.Range]) async throws -> [ExportedResponse] {
        try await writer.read { db in
            var bySeq: [Int64: ExportedResponse] = [:]
            var order: [Int64] = []
            for range in ranges where !range.units.isEmpty {
                let units = range.units.keys.map(String.init).joined(separator: ",")
                let filter = "survey = ? AND unitId IN (\(units)) AND submittedDate BETWEEN ? AND ?"
                let arguments: StatementArguments = [survey, range.from.description, range.to.description]
                let versioned = "SELECT response.*, (SELECT validFrom FROM unit WHERE unit.id = response.unitId) AS unitValidFrom FROM response"
                for row in try Row.fetchAll(db, sql: "\(versioned) WHERE \(filter)", arguments: arguments) {
                    let seq: Int64 = row["seq"]
                    order.append(seq)
                    bySeq[seq] = ExportedResponse(
                        id: row["id"], surveyVersion: row["surveyVersion"], unit: row["unit"], unitValidFrom: row["unitValidFrom"] ?? "",
                        procedure: row["procedure"],
                        dossier: row["dossier"], channel: row["channel"], desk: row["desk"], submittedAt: row["submittedAt"],
                        submittedDate: row["submittedDate"], receivedAt: row["receivedAt"], comment: row["comment"],
                        respondent: row["respondent"])
                }
                let seqs = "SELECT seq FROM response WHERE \(filter)"
                for row in try Row.fetchAll(db, sql: "SELECT responseSeq, item, value FROM response_answer WHERE responseSeq IN (\(seqs))", arguments: arguments) {
                    bySeq[row["responseSeq"]]?.answers[row["item"]] = row["value"]
                }
                for row in try Row.fetchAll(db, sql: "SELECT responseSeq, option FROM response_expectation WHERE responseSeq IN (\(seqs))", arguments: arguments) {
                    bySeq[row["responseSeq"]]?.expectations.append(row["option"])
                }
            }
            return order.sorted().compactMap { bySeq[$0] }
        }
    }
}
