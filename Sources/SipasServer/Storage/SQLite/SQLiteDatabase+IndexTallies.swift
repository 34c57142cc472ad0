import GRDB
import SipasDomain

// MARK: - Reading tallies

extension SQLiteDatabase {
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

extension SQLiteDatabase {
    /// Responses read per page when summing flagged ones: memory stays flat however many are flagged.
    static let flaggedPage = 1_000

    /// The flagged responses that the fetch sums (same survey, unit versions, dates and filters), each with its raw
    /// answers, given to `contribution`, which recomputes its tallies and names its group (nil: leave it out); the
    /// results are added up per group. Tallies add up, so subtracting these sums leaves exact figures. Read a page
    /// of `page` responses at a time in one snapshot. The caller refreshes stale flags first.
    func sumFlagged(
        _ fetch: TallyFetch, page pageSize: Int = flaggedPage,
        _ contribution: @escaping @Sendable (FlaggedContribution) -> (String, TallySheet)?
    ) async throws -> FlaggedSums {
        try await writer.read { db in
            var sums = FlaggedSums()
            for range in fetch.ranges where !range.units.isEmpty {
                let conditions: [SQL] =
                    [
                        "r.survey = \(fetch.survey)",
                        "r.submittedDate BETWEEN \(range.from.description) AND \(range.to.description)",
                        "r.unitId IN \(Array(range.units.keys))", "r.seq IN (SELECT responseSeq FROM response_flag)",
                    ]
                    + Self.responseFilters(fetch)
                let seqs = try SQLRequest<Int64>(
                    literal:
                        "SELECT r.seq FROM response r WHERE \(conditions.joined(separator: " AND ")) ORDER BY r.seq"
                ).fetchAll(db)
                for start in stride(from: 0, to: seqs.count, by: pageSize) {
                    let page = seqs[start..<min(start + pageSize, seqs.count)]
                    // Integers written out: nothing to inject, and a page is not held to SQLite's limit on bound values.
                    let filter: SQL = "r.seq IN (\(sql: page.map(String.init).joined(separator: ",")))"
                    let contents = try ResponseContents.load(db, where: filter)
                    let dossiers = try StoredDossier.named(where: filter, db)
                    for response in try FiledResponse.fetchAll(db, where: filter) {
                        let flagged = FlaggedContribution(
                            group: fetch.grouping.key(of: response, in: range), survey: fetch.survey,
                            surveyVersion: response.surveyVersion, answers: contents.answers(of: response.seq),
                            expectations: contents.expectations(of: response.seq), dossierCode: response.dossier,
                            dossier: response.dossier.flatMap { dossiers[$0] })
                        guard let (group, tallies) = contribution(flagged) else { continue }
                        sums.sheets[group, default: [:]].add(tallies)
                        sums.count += 1
                    }
                }
            }
            return sums
        }
    }
}
