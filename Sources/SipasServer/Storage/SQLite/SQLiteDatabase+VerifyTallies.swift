import Foundation
import GRDB
import SipasDomain

// MARK: - Aggregates against the responses

extension SQLiteDatabase {
    /// Compares every row of `tally_unit` and `tally_cell`, at every grain, with the tallies recomputed from the raw
    /// responses. A month of responses is recomputed at a time (the years are carried over its months), so the
    /// memory needed follows a month's responses, not the whole file's.
    static func tallyCheck(_ db: Database) throws -> IntegrityCheck {
        // Read afresh: the check trusts nothing this process remembers.
        let keys = TallyKeys()
        var comparison = TallyComparison()
        let months = try String.fetchAll(
            db, sql: "SELECT DISTINCT substr(submittedDate, 1, 7) FROM response ORDER BY 1")
        var year: (key: String, units: [TallyUnitRow: TallySheet], cells: [TallyCellRow: TallySheet])?
        for month in months {
            if let current = year, current.key != month.prefix(4) {
                try comparison.compare(
                    current.units, current.cells, grain: .year, periods: (current.key, current.key), keys, db)
                year = nil
            }
            if year == nil { year = (String(month.prefix(4)), [:], [:]) }
            var units: [TallyUnitRow: TallySheet] = [:], cells: [TallyCellRow: TallySheet] = [:]
            for (cell, sheet) in try talliesFromResponses(
                db, where: "r.submittedDate BETWEEN \(month + "-01") AND \(month + "-31")")
            {
                for (unit, row) in cell.rows {
                    if unit.grain == .year {
                        year!.units[unit, default: [:]].add(sheet)
                        year!.cells[row, default: [:]].add(sheet)
                    } else {
                        units[unit, default: [:]].add(sheet)
                        cells[row, default: [:]].add(sheet)
                    }
                }
            }
            for grain in [TallyGrain.month, .dekad, .day] {
                try comparison.compare(
                    units.filter { $0.key.grain == grain }, cells.filter { $0.key.unit.grain == grain }, grain: grain,
                    periods: (month, month + "-99"), keys, db)
            }
        }
        if let current = year {
            try comparison.compare(
                current.units, current.cells, grain: .year, periods: (current.key, current.key), keys, db)
        }
        // Rows of periods without any response were not compared above.
        for table in ["tally_unit", "tally_cell"] {
            let stored = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0
            let compared = comparison.compared[table, default: 0]
            if stored > compared {
                comparison.faults.append("\(table): \(stored - compared) rows count tallies of no stored response")
                comparison.differing += 1
            }
        }
        var faults = comparison.faults
        if comparison.differing > faults.count { faults.append("… \(comparison.differing) rows differ in all") }
        return IntegrityCheck(
            name: "aggregates",
            summary: "\(comparison.compared.values.reduce(0, +)) tally rows at 4 grains against the responses",
            faults: faults)
    }
}

/// The rows compared so far and the faults found.
private struct TallyComparison {
    var compared: [String: Int] = [:]
    var faults: [String] = []
    var differing = 0

    /// Compares the stored rows of one grain whose period is within `periods` with the expected rows of both tables.
    mutating func compare(
        _ units: [TallyUnitRow: TallySheet], _ cells: [TallyCellRow: TallySheet], grain: TallyGrain,
        periods: (String, String), _ keys: TallyKeys, _ db: Database
    ) throws {
        try compare(
            "tally_unit", columns: "survey, unitId, period, surveyVersion", grain: grain, periods: periods,
            expected: Dictionary(uniqueKeysWithValues: units.map { (Self.name($0.key), $0.value) }), keys, db)
        try compare(
            "tally_cell", columns: "survey, unitId, period, surveyVersion, procedure, channel, desk", grain: grain,
            periods: periods,
            expected: Dictionary(uniqueKeysWithValues: cells.map { (Self.name($0.key), $0.value) }), keys, db)
    }

    private mutating func compare(
        _ table: String, columns: String, grain: TallyGrain, periods: (String, String),
        expected: [String: TallySheet], _ keys: TallyKeys, _ db: Database
    ) throws {
        var remaining = expected
        // Survey and unit lists, so each lookup seeks along the primary key (survey, grain, unitId, period, …).
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT \(columns), sheet FROM \(table)
                WHERE survey IN (SELECT DISTINCT survey FROM survey_version) AND grain = ?
                    AND unitId IN (SELECT id FROM unit) AND period BETWEEN ? AND ?
                """, arguments: [grain.rawValue, periods.0, periods.1])
        while let row = try rows.next() {
            compared[table, default: 0] += 1
            let name = Self.name(table: table, grain: grain, row: row)
            let stored = try keys.sheet(TallyVector(blob: row["sheet"]), db)
            let wanted = remaining.removeValue(forKey: name) ?? [:]
            if !Self.sameTallies(stored, wanted) { fault("\(name): stored tallies differ from the responses") }
        }
        for name in remaining.keys.sorted() where !Self.sameTallies([:], remaining[name]!) {
            fault("\(name): the responses add up to tallies that are not stored")
        }
    }

    private mutating func fault(_ text: String) {
        differing += 1
        if faults.count < 10 { faults.append(text) }
    }

    /// How a fault names a row: the table, grain and key columns.
    private static func name(_ row: TallyUnitRow) -> String {
        "tally_unit \(row.grain.rawValue) (survey \(row.survey), unitId \(row.unitID), period \(row.period), surveyVersion \(row.surveyVersion))"
    }

    private static func name(_ row: TallyCellRow) -> String {
        let unit = row.unit
        return
            "tally_cell \(unit.grain.rawValue) (survey \(unit.survey), unitId \(unit.unitID), period \(unit.period), surveyVersion \(unit.surveyVersion), procedure \(dash(row.procedure)), channel \(row.channel), desk \(dash(row.desk)))"
    }

    private static func name(table: String, grain: TallyGrain, row: Row) -> String {
        let survey: String = row["survey"], unitID: Int64 = row["unitId"], period: String = row["period"]
        let version: Int = row["surveyVersion"]
        let unit = TallyUnitRow(survey: survey, grain: grain, period: period, unitID: unitID, surveyVersion: version)
        guard table == "tally_cell" else { return name(unit) }
        return name(TallyCellRow(unit: unit, procedure: row["procedure"], channel: row["channel"], desk: row["desk"]))
    }

    private static func dash(_ text: String) -> String { text.isEmpty ? "–" : text }

    /// Equal counts, and sums equal up to rounding (they were added in another order).
    private static func sameTallies(_ a: TallySheet, _ b: TallySheet) -> Bool {
        for key in Set(a.keys).union(b.keys) {
            let x = a[key] ?? Tally(), y = b[key] ?? Tally()
            func close(_ u: Double, _ v: Double) -> Bool { abs(u - v) <= 1e-6 * max(1, abs(u), abs(v)) }
            guard x.count == y.count, close(x.sum, y.sum), close(x.sumOfSquares, y.sumOfSquares) else { return false }
        }
        return true
    }
}
