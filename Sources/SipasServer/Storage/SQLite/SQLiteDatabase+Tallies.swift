import Foundation
import GRDB
import SipasDomain

/// The dimensions of a day tally row, apart from its key.
struct TallyCell: Hashable, Sendable {
    let survey: String
    let day: String
    let unitID: Int64
    let surveyVersion: Int
    let procedure: String
    let channel: String
    let desk: String

    var month: String { String(day.prefix(7)) }
}

/// One row of `tally_unit`: a unit version's tallies over one period of one grain.
struct TallyUnitRow: Hashable, Sendable {
    let survey: String
    let grain: TallyGrain
    let period: String
    let unitID: Int64
    let surveyVersion: Int
}

/// One row of `tally_cell`: the same, for one procedure, channel and desk.
struct TallyCellRow: Hashable, Sendable {
    let unit: TallyUnitRow
    let procedure: String
    let channel: String
    let desk: String
}

extension TallyCell {
    /// The rows of both tables, at every grain, that this day cell is counted in.
    var rows: [(unit: TallyUnitRow, cell: TallyCellRow)] {
        TallyGrain.allCases.map { grain in
            let unit = TallyUnitRow(
                survey: survey, grain: grain, period: grain.period(ofDay: day), unitID: unitID,
                surveyVersion: surveyVersion)
            return (unit, TallyCellRow(unit: unit, procedure: procedure, channel: channel, desk: desk))
        }
    }
}

// MARK: - Writing tallies

extension SQLiteDatabase {
    /// Adds the tallies of day cells into every row that counts them: per unit (`tally_unit`) and per procedure,
    /// channel and desk (`tally_cell`), each at the year, month, dekad and day grains. The cells are summed first,
    /// so a group touches each row once, with one upsert that adds the blobs (``TallyVector/addFunction``).
    /// The keys must have been interned in this transaction (``TallyKeys/intern(_:_:)``).
    static func addTallies(_ cells: [TallyCell: TallySheet], keys: TallyKeys, _ db: Database) throws {
        var units: [TallyUnitRow: TallyVector] = [:]
        var fine: [TallyCellRow: TallyVector] = [:]
        for (cell, sheet) in cells {
            let vector = try keys.vector(sheet)
            for (unit, row) in cell.rows {
                units[unit, default: TallyVector()].add(vector)
                fine[row, default: TallyVector()].add(vector)
            }
        }
        let unitStatement = try db.cachedStatement(
            sql: """
                INSERT INTO tally_unit (survey, grain, unitId, period, surveyVersion, sheet) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT DO UPDATE SET sheet = sipas_tally_add(sheet, excluded.sheet)
                """)
        for (row, vector) in units {
            try unitStatement.execute(arguments: [
                row.survey, row.grain.rawValue, row.unitID, row.period, row.surveyVersion, vector.blob,
            ])
        }
        let cellStatement = try db.cachedStatement(
            sql: """
                INSERT INTO tally_cell (survey, grain, unitId, period, surveyVersion, procedure, channel, desk, sheet)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT DO UPDATE SET sheet = sipas_tally_add(sheet, excluded.sheet)
                """)
        for (row, vector) in fine {
            let unit = row.unit
            try cellStatement.execute(arguments: [
                unit.survey, unit.grain.rawValue, unit.unitID, unit.period, unit.surveyVersion, row.procedure,
                row.channel, row.desk, vector.blob,
            ])
        }
    }

    /// The tallies the stored responses add up to, computed from the raw rows; with a `filter` (a condition on
    /// `response` as `r`), of the responses it selects.
    static func talliesFromResponses(_ db: Database, where filter: SQL = "1") throws -> [TallyCell: TallySheet] {
        var definitions: [String: SurveyDefinition] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT survey, version, definition FROM survey_version") {
            let definition = try JSONDecoder().decode(
                SurveyDefinition.self, from: Data((row["definition"] as String).utf8))
            definitions["\(definition.id)@\(definition.version)"] = definition
        }
        let contents = try ResponseContents.load(db, where: filter)
        var cells: [TallyCell: TallySheet] = [:]
        for response in try FiledResponse.fetchAll(db, where: filter) {
            guard let definition = definitions["\(response.survey)@\(response.surveyVersion)"] else { continue }
            let cell = TallyCell(
                survey: response.survey, day: response.submittedDate, unitID: response.unitID,
                surveyVersion: response.surveyVersion, procedure: response.procedure ?? "", channel: response.channel,
                desk: response.desk ?? "")
            cells[cell, default: [:]].add(
                ResponseContribution.tallies(
                    answers: contents.answers(of: response.seq), expectations: contents.expectations(of: response.seq),
                    definition: definition))
        }
        return cells
    }
}
