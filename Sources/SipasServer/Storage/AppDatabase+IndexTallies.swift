import GRDB
import SipasDomain

// MARK: - Reading tallies

extension AppDatabase {
    /// The summed tallies per group key ("" when there is no breakdown). A period is read as whole years, whole
    /// months, whole dekads and the days at its edges (``PeriodPlan``), one row per unit version and period from
    /// `tally_unit`, or per procedure, channel and desk as well from `tally_cell` when a filter or the breakdown
    /// needs them; so the cost follows the number of periods, units and cells, not of responses.
    func sumTallies(_ fetch: TallyFetch) async throws -> [String: TallySheet] {
        try await writer.read { db in
            var groups: [String: TallyAccumulator] = [:]
            for range in fetch.ranges where !range.units.isEmpty {
                let plan = PeriodPlan(from: range.from, to: range.to, years: fetch.grouping != .month)
                for run in plan.runs {
                    try Self.read(db, fetch, range, run, into: &groups)
                }
            }
            return try groups.mapValues { try tallyKeys.sheet($0.vector, db) }
        }
    }

    /// Adds the rows of one run of periods into `groups`.
    private static func read(
        _ db: Database, _ fetch: TallyFetch, _ range: TallyFetch.Range, _ run: PeriodPlan.Run,
        into groups: inout [String: TallyAccumulator]
    ) throws {
        let dimension = SQL(sql: fetch.grouping.tallyColumn)
        // The unit list first: the primary key is (survey, grain, unitId, period, …), so each unit is one seek.
        let conditions: [SQL] =
            [
                "survey = \(fetch.survey)", "grain = \(run.grain.rawValue)", "unitId IN \(Array(range.units.keys))",
                "period BETWEEN \(run.first) AND \(run.last)",
            ] + filters(fetch) { SQL(sql: $0) }
        let request: SQLRequest<Row> = """
            SELECT \(dimension), sheet FROM \(sql: fetch.needsCells ? "tally_cell" : "tally_unit")
            WHERE \(conditions.joined(separator: " AND "))
            """
        let rows = try request.fetchCursor(db)
        while let row = try rows.next() {
            let group = fetch.grouping.key(row[0], in: range)
            try row.withUnsafeData(atIndex: 1) { data in
                guard let data else { throw TallyVector.Malformed(reason: "no sheet") }
                try groups[group, default: TallyAccumulator()].add(blob: data)
            }
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
