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

    /// Adds the sums of one tally table over `from...to` (keys of its period `column`) into `groups`.
    private static func read(
        _ db: Database, _ fetch: TallyFetch, _ range: TallyFetch.Range, table: String, column: String, from: String,
        to: String, into groups: inout [String: TallySheet]
    ) throws {
        let dimension = SQL(sql: fetch.grouping.tallyColumn(period: column))
        let conditions: [SQL] =
            [
                "survey = \(fetch.survey)", "\(sql: column) BETWEEN \(from) AND \(to)",
                "unitId IN \(Array(range.units.keys))",
            ] + filters(fetch) { SQL(sql: $0) }
        let request: SQLRequest<SummedTally> = """
            SELECT \(dimension) AS \(SummedTally.Columns.dimension), key AS \(SummedTally.Columns.key),
                   SUM(count) AS \(SummedTally.Columns.count), SUM(sum) AS \(SummedTally.Columns.sum),
                   SUM(sumOfSquares) AS \(SummedTally.Columns.sumOfSquares)
            FROM \(sql: table) WHERE \(conditions.joined(separator: " AND ")) GROUP BY 1, 2
            """
        let sums = try request.fetchCursor(db)
        while let sum = try sums.next() {
            guard let key = TallyKey(sum.key) else { continue }
            let group = fetch.grouping.key(sum.dimension, in: range)
            groups[group, default: [:]][key, default: Tally()] += sum.tally
        }
    }

    /// The fetch's filters on `response r`, matching as the tallies do (they keep a missing procedure or desk as '').
    static func responseFilters(_ fetch: TallyFetch) -> [SQL] {
        filters(fetch) { name in
            name == "procedure" || name == "desk" ? "coalesce(r.\(sql: name), '')" : "r.\(sql: name)"
        }
    }

    /// The fetch's conditions besides survey, dates and units, on the columns `column` names: the survey version,
    /// the procedure, the channel and the desk.
    private static func filters(_ fetch: TallyFetch, column: (String) -> SQL) -> [SQL] {
        var conditions: [SQL] = []
        if let version = fetch.surveyVersion { conditions.append("\(column("surveyVersion")) = \(version)") }
        // Names match in every spelling (InputText.spellings): the database compares bytes.
        if let procedure = fetch.procedure {
            conditions.append("\(column("procedure")) IN \(InputText.spellings(procedure))")
        }
        if let channel = fetch.channel { conditions.append("\(column("channel")) = \(channel)") }
        if let desk = fetch.desk { conditions.append("\(column("desk")) IN \(InputText.spellings(desk))") }
        return conditions
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
                let conditions: [SQL] =
                    [
                        "r.survey = \(fetch.survey)",
                        "r.submittedDate BETWEEN \(range.from.description) AND \(range.to.description)",
                        "r.unitId IN \(Array(range.units.keys))", "r.seq IN (SELECT responseSeq FROM response_flag)",
                    ]
                    + Self.responseFilters(fetch)
                let filter = conditions.joined(separator: " AND ")
                let contents = try ResponseContents.load(db, where: filter)
                let dossiers = try StoredDossier.named(where: filter, db)
                for response in try FiledResponse.fetchAll(db, where: filter) {
                    let group = fetch.grouping.key(of: response, in: range)
                    result.append(
                        FlaggedContribution(
                            group: group, survey: fetch.survey, surveyVersion: response.surveyVersion,
                            answers: contents.answers(of: response.seq),
                            expectations: contents.expectations(of: response.seq), dossierCode: response.dossier,
                            dossier: response.dossier.flatMap { dossiers[$0] }))
                }
            }
            return result
        }
    }
}

// MARK: - Rows

extension AppDatabase {
    /// One group's sum for one tally key, as ``sumTallies(_:)`` reads it.
    private struct SummedTally: FetchableRecord {
        /// The columns of the query, each named once.
        enum Columns {
            static let dimension = Column("dimension")
            static let key = Column("key")
            static let count = Column("count")
            static let sum = Column("sum")
            static let sumOfSquares = Column("sumOfSquares")
        }

        /// The group: a unit version's row id, or a procedure, channel or month; '' without a breakdown.
        let dimension: DatabaseValue
        let key: String
        let tally: Tally

        init(row: Row) throws {
            dimension = row[Columns.dimension]
            key = row[Columns.key]
            tally = Tally(count: row[Columns.count], sum: row[Columns.sum], sumOfSquares: row[Columns.sumOfSquares])
        }
    }
}
