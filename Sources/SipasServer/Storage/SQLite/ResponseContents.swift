import GRDB
import SipasDomain

/// What stored responses said: their answers (`response_answer`) and expectations (`response_expectation`), by
/// the response's seq. The one reader of those two tables: the index, the outcomes, the export, the chain, the
/// stuffing flags and the 409 of a differing resend all load them here.
struct ResponseContents: Sendable {
    /// In item order, per response.
    private var answers: [Int64: [ValidResponse.Answer]] = [:]
    /// In option order, per response.
    private var expectations: [Int64: [String]] = [:]

    /// The answers of response `seq`, in item order; none when it has none or was not loaded.
    func answers(of seq: Int64) -> [ValidResponse.Answer] { answers[seq] ?? [] }

    /// The expectations of response `seq`, in option order.
    func expectations(of seq: Int64) -> [String] { expectations[seq] ?? [] }

    /// The contents of the responses `filter` selects, a condition on `response` as `r` (nil: every response): one
    /// query per table, whatever the number of responses.
    static func load(_ db: Database, where filter: SQL? = nil) throws -> ResponseContents {
        var contents = ResponseContents()
        for row in try request(filter, AnswerRow.self, AnswerRow.Columns.item).fetchAll(db) {
            contents.answers[row.responseSeq, default: []].append(.init(item: row.item, value: row.value))
        }
        for row in try request(filter, ExpectationRow.self, ExpectationRow.Columns.option).fetchAll(db) {
            contents.expectations[row.responseSeq, default: []].append(row.option)
        }
        return contents
    }

    /// The contents of the responses numbered `seqs`.
    static func load(_ db: Database, seqs: some Collection<Int64>) throws -> ResponseContents {
        guard !seqs.isEmpty else { return ResponseContents() }
        // Written out, not bound: integers cannot inject anything, and a page of seqs is not held to SQLite's
        // limit on bound values.
        return try load(db, where: "r.seq IN (\(sql: seqs.map(String.init).joined(separator: ",")))")
    }

    /// Every row of `table` whose response `filter` selects, in key order (responseSeq, then `key`), so that each
    /// response's answers and expectations read in one order however SQLite walks the join.
    private static func request<Record: FetchableRecord & TableRecord>(
        _ filter: SQL?, _ table: Record.Type, _ key: Column
    ) -> SQLRequest<Record> {
        var responses: SQL = ""
        // The responses first, then their rows by primary key: with a join, SQLite walks the whole answer table in
        // key order to avoid sorting (ten million rows at a million responses) even when the filter selects ten.
        if let filter { responses = "WHERE t.responseSeq IN (SELECT r.seq FROM response r WHERE \(filter))" }
        return "SELECT t.* FROM \(table) t \(responses) ORDER BY t.responseSeq, t.\(key)"
    }
}

// MARK: - Rows

extension ResponseContents {
    /// One row of `response_answer`: its columns are named once, by its properties.
    private struct AnswerRow: Decodable, FetchableRecord, TableRecord {
        static let databaseTableName = "response_answer"
        /// The columns a query names.
        enum Columns {
            static let item = Column(CodingKeys.item)
        }

        let responseSeq: Int64
        let item: String
        let value: Int
    }

    /// One row of `response_expectation`.
    private struct ExpectationRow: Decodable, FetchableRecord, TableRecord {
        static let databaseTableName = "response_expectation"
        /// The columns a query names.
        enum Columns {
            static let option = Column(CodingKeys.option)
        }

        let responseSeq: Int64
        let option: String
    }
}
