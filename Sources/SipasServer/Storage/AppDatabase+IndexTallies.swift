import GRDB
import SipasDomain

// MARK: - Reading tallies

extension AppDatabase {
    /// The summed tallies per group key ("" when there is no breakdown). Whole years come from the yearly
    /// aggregates, whole months from the monthly ones, the days at the edges from the daily ones, so the
    /// cost follows the number of periods and units, not of responses. Filters on procedure, channel or desk
    /// read the fine daily aggregates.
    func sumTallies(_ fetch: TallyFetch) async throws -> [String: TallySheet] {
        try await writer.read { db in
            var groups: [String: TallySheet] = [:]
            for range in fetch.ranges where !range.units.isEmpty {
                guard fetch.canUseMonths else {
                    try Self.read(
                        db, fetch, range, table: "tally_day", column: "day", from: range.from.description,
                        to: range.to.description, into: &groups)
                    continue
                }
                let plan = PeriodPlan(from: range.from, to: range.to, years: fetch.grouping != .month)
                for (first, last) in plan.years {
                    try Self.read(
                        db, fetch, range, table: "tally_year", column: "year", from: first, to: last, into: &groups)
                }
                for (first, last) in plan.months {
                    try Self.read(
                        db, fetch, range, table: "tally_month", column: "month", from: first, to: last, into: &groups)
                }
                for (first, last) in plan.days {
                    try Self.read(
                        db, fetch, range, table: "tally_day_unit", column: "day", from: first, to: last, into: &groups)
                }
            }
            return groups
        }
    }

    private static func read(
        _ db: Database, _ fetch: TallyFetch, _ range: TallyFetch.Range, table: String, column: String, from: String,
        to: String,
        into groups: inout [String: TallySheet]
    ) throws {
        var conditions = [
            "survey = ?", "\(column) BETWEEN ? AND ?",
            "unitId IN (\(range.units.keys.map { _ in "?" }.joined(separator: ",")))",
        ]
        var arguments: [any DatabaseValueConvertible] = [fetch.survey, from, to]
        arguments += range.units.keys.map { $0 as any DatabaseValueConvertible }
        if let version = fetch.surveyVersion { conditions.append("surveyVersion = ?"); arguments.append(version) }
        // Names match in every spelling (InputText.spellings): the database compares bytes.
        func match(_ column: String, _ value: String) {
            let spellings = InputText.spellings(value)
            conditions.append("\(column) IN (\(spellings.map { _ in "?" }.joined(separator: ",")))")
            arguments += spellings.map { $0 as any DatabaseValueConvertible }
        }
        if let procedure = fetch.procedure { match("procedure", procedure) }
        if let channel = fetch.channel { conditions.append("channel = ?"); arguments.append(channel) }
        if let desk = fetch.desk { match("desk", desk) }
        let sql = """
            SELECT \(fetch.grouping.tallyColumn(period: column)) AS groupValue, key, SUM(count) AS count, SUM(sum) AS sum, SUM(sumOfSquares) AS sumOfSquares
            FROM \(table) WHERE \(conditions.joined(separator: " AND ")) GROUP BY 1, 2
            """
        let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(arguments))
        while let row = try rows.next() {
            guard let key = TallyKey(row["key"] as String) else { continue }
            let group = fetch.grouping.key(row["groupValue"], in: range)
            groups[group, default: [:]][key, default: Tally()] += Tally(
                count: row["count"], sum: row["sum"], sumOfSquares: row["sumOfSquares"])
        }
    }
}

// MARK: - Reading flagged responses

extension AppDatabase {
    /// The flagged responses that the fetch sums (same survey, unit versions, dates and filters), with
    /// their raw answers, so their contributions can be recomputed and subtracted: tallies add up, so the
    /// figures without them are exact. The caller refreshes stale flags first.
    func flaggedContributions(_ fetch: TallyFetch) async throws -> [FlaggedContribution] {
        try await writer.read { db in
            var result: [FlaggedContribution] = []
            for range in fetch.ranges where !range.units.isEmpty {
                var conditions = [
                    "r.survey = ?", "r.submittedDate BETWEEN ? AND ?",
                    "r.unitId IN (\(range.units.keys.map(String.init).joined(separator: ",")))",
                    "r.seq IN (SELECT responseSeq FROM response_flag)",
                ]
                var arguments: [any DatabaseValueConvertible] = [
                    fetch.survey, range.from.description, range.to.description,
                ]
                // The same filters as the tallies, which keep a missing procedure or desk as ''.
                if let version = fetch.surveyVersion {
                    conditions.append("r.surveyVersion = ?"); arguments.append(version)
                }
                // Names match in every spelling (InputText.spellings), as in the tallies' reader.
                func match(_ column: String, _ value: String) {
                    let spellings = InputText.spellings(value)
                    conditions.append(
                        "coalesce(\(column), '') IN (\(spellings.map { _ in "?" }.joined(separator: ",")))")
                    arguments += spellings.map { $0 as any DatabaseValueConvertible }
                }
                if let procedure = fetch.procedure { match("r.procedure", procedure) }
                if let channel = fetch.channel { conditions.append("r.channel = ?"); arguments.append(channel) }
                if let desk = fetch.desk { match("r.desk", desk) }
                let filter = conditions.joined(separator: " AND ")
                let statementArguments = StatementArguments(arguments.map(\.databaseValue))

                var answers: [Int64: [ValidResponse.Answer]] = [:]
                for row in try Row.fetchAll(
                    db,
                    sql:
                        "SELECT a.responseSeq, a.item, a.value FROM response_answer a JOIN response r ON r.seq = a.responseSeq WHERE \(filter)",
                    arguments: statementArguments)
                {
                    answers[row["responseSeq"], default: []].append(.init(item: row["item"], value: row["value"]))
                }
                var expectations: [Int64: [String]] = [:]
                for row in try Row.fetchAll(
                    db,
                    sql:
                        "SELECT e.responseSeq, e.option FROM response_expectation e JOIN response r ON r.seq = e.responseSeq WHERE \(filter)",
                    arguments: statementArguments)
                {
                    expectations[row["responseSeq"], default: []].append(row["option"])
                }
                // The dossier's columns first: `dossier(_:)` reads them by their plain names.
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT d.*, d.code AS knownDossier, r.seq AS responseSeq,
                               \(fetch.grouping.responseColumn) AS groupValue,
                               r.surveyVersion AS responseVersion, r.dossier AS responseDossier
                        FROM response r LEFT JOIN dossier d ON d.code = r.dossier WHERE \(filter)
                        """, arguments: statementArguments)
                for row in rows {
                    let seq: Int64 = row["responseSeq"]
                    let group = fetch.grouping.key(row["groupValue"], in: range)
                    result.append(
                        FlaggedContribution(
                            group: group, survey: fetch.survey, surveyVersion: row["responseVersion"],
                            answers: (answers[seq] ?? []).sorted { $0.item < $1.item },
                            expectations: (expectations[seq] ?? []).sorted(), dossierCode: row["responseDossier"],
                            dossier: (row["knownDossier"] as String?) == nil ? nil : Self.dossier(row)))
                }
            }
            return result
        }
    }
}
