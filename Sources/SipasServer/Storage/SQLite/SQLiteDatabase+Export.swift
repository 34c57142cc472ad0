import GRDB
import SipasDomain

/// One response as exported.
struct ExportedResponse: Decodable, FetchableRecord, Sendable {
    /// The columns read, each named once (the answers and expectations are read from their tables).
    enum CodingKeys: String, CodingKey {
        case seq, id, surveyVersion, unit, unitValidFrom, procedure, dossier, channel, desk, submittedAt, submittedDate
        case receivedAt, comment, respondent
    }

    /// Arrival order: the export's order and the key its pages are read by.
    let seq: Int64
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

/// What one export holds, read once at its start: the responses of each unit version, and the last response
/// then stored, so every page reads the same set however many responses arrive meanwhile.
struct ExportPlan: Sendable {
    /// One unit version with responses in the export's scope and period.
    struct UnitCount: Sendable {
        let id: Int64
        let code: String
        let validFrom: String
        let responses: Int
        /// `CODE@YYYY-MM-DD`, as the API names a unit version.
        var key: String { "\(code)@\(validFrom)" }
    }

    /// In code and version order.
    let units: [UnitCount]
    /// The lowest `seq` of the export, where its pages start (0 when it is empty).
    let firstSeq: Int64
    /// The highest `seq` of the export, where they stop (0 when it is empty).
    let lastSeq: Int64

    var responses: Int { units.reduce(0) { $0 + $1.responses } }
}

extension SQLiteDatabase {
    /// Rows read at a time by ``exportPage(survey:ranges:after:through:limit:)``.
    static let exportPageSize = 1_000

    /// The responses per unit version that an export of these ranges holds, and where it ends.
    func exportPlan(survey: String, ranges: [TallyFetch.Range]) async throws -> ExportPlan {
        try await writer.read { db in
            var counts: [Int64: (code: String, validFrom: String, responses: Int)] = [:]
            var firstSeq = Int64.max, lastSeq: Int64 = 0
            for range in ranges where !range.units.isEmpty {
                let units = range.units.keys.map(String.init).joined(separator: ",")
                let rows = try Row.fetchCursor(
                    db,
                    sql: """
                        SELECT r.unitId, u.code, u.validFrom, COUNT(*) AS responses,
                               MIN(r.seq) AS firstSeq, MAX(r.seq) AS lastSeq
                        FROM response r JOIN unit u ON u.id = r.unitId
                        WHERE r.survey = ? AND r.unitId IN (\(units)) AND r.submittedDate BETWEEN ? AND ?
                        GROUP BY r.unitId
                        """,
                    arguments: [survey, range.from.description, range.to.description])
                while let row = try rows.next() {
                    let id: Int64 = row["unitId"], code: String = row["code"], validFrom: String = row["validFrom"]
                    let responses: Int = row["responses"], first: Int64 = row["firstSeq"], last: Int64 = row["lastSeq"]
                    counts[id, default: (code, validFrom, 0)].responses += responses
                    firstSeq = min(firstSeq, first)
                    lastSeq = max(lastSeq, last)
                }
            }
            let units = counts.map { id, unit in
                ExportPlan.UnitCount(id: id, code: unit.code, validFrom: unit.validFrom, responses: unit.responses)
            }
            return ExportPlan(
                units: units.sorted { ($0.code, $0.validFrom) < ($1.code, $1.validFrom) },
                firstSeq: units.isEmpty ? 0 : firstSeq, lastSeq: lastSeq)
        }
    }

    /// Up to `limit` responses of the ranges after `seq` and up to `last`, in arrival order: one page of an export,
    /// read in its own short transaction, so an export of any size never holds more than a page in memory nor keeps
    /// a read open (and the WAL from being checkpointed) while the client downloads.
    func exportPage(
        survey: String, ranges: [TallyFetch.Range], after seq: Int64, through last: Int64, limit: Int = exportPageSize
    ) async throws -> [ExportedResponse] {
        let scopes = ranges.filter { !$0.units.isEmpty }
        guard !scopes.isEmpty, seq < last else { return [] }
        // `+submittedDate` keeps SQLite off the date index: the pages walk the primary key from `seq`, so each costs
        // its own rows, not a sort of the whole period.
        let filter = scopes.map { range -> String in
            let units = range.units.keys.map(String.init).joined(separator: ",")
            return "(unitId IN (\(units)) AND +submittedDate BETWEEN ? AND ?)"
        }.joined(separator: " OR ")
        var arguments: StatementArguments = [seq, last, survey]
        for range in scopes { arguments += [range.from.description, range.to.description] }
        arguments += [limit]
        return try await writer.read { [arguments] db in
            var page = try ExportedResponse.fetchAll(
                db,
                sql: """
                    SELECT response.*,
                           coalesce((SELECT validFrom FROM unit WHERE unit.id = response.unitId), '') AS unitValidFrom
                    FROM response
                    WHERE seq > ? AND seq <= ? AND survey = ? AND (\(filter))
                    ORDER BY seq LIMIT ?
                    """,
                arguments: arguments)
            let contents = try ResponseContents.load(db, seqs: page.map(\.seq))
            for position in page.indices {
                let seq = page[position].seq
                page[position].answers = Dictionary(
                    uniqueKeysWithValues: contents.answers(of: seq).map { ($0.item, $0.value) })
                page[position].expectations = contents.expectations(of: seq)
            }
            return page
        }
    }
}
