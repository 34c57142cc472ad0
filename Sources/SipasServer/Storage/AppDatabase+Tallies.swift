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

// MARK: - Writing tallies

extension AppDatabase {
    /// Adds tallies into every grain: the fine day cells as given, and the coarse day, month and year cells
    /// summed first, so a batch touches each row once.
    static func addTallies(_ cells: [TallyCell: TallySheet], coarseTables: [String] = coarseTables, _ db: Database)
        throws
    {
        let fine = try db.cachedStatement(
            sql: """
                INSERT INTO tally_day (survey, day, unitId, surveyVersion, procedure, channel, desk, key, count, sum, sumOfSquares)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT DO UPDATE SET count = count + excluded.count, sum = sum + excluded.sum,
                    sumOfSquares = sumOfSquares + excluded.sumOfSquares
                """)
        struct Coarse: Hashable { let survey: String, period: String, unitID: Int64, version: Int }
        var days: [Coarse: TallySheet] = [:], months: [Coarse: TallySheet] = [:], years: [Coarse: TallySheet] = [:]
        for (cell, sheet) in cells {
            for (key, tally) in sheet {
                try fine.execute(arguments: [
                    cell.survey, cell.day, cell.unitID, cell.surveyVersion, cell.procedure, cell.channel, cell.desk,
                    key.description, tally.count, tally.sum, tally.sumOfSquares,
                ])
            }
            days[
                Coarse(survey: cell.survey, period: cell.day, unitID: cell.unitID, version: cell.surveyVersion),
                default: [:]
            ].add(sheet)
            months[
                Coarse(survey: cell.survey, period: cell.month, unitID: cell.unitID, version: cell.surveyVersion),
                default: [:]
            ].add(sheet)
            years[
                Coarse(
                    survey: cell.survey, period: String(cell.day.prefix(4)), unitID: cell.unitID,
                    version: cell.surveyVersion), default: [:]
            ].add(sheet)
        }
        let grains = [("tally_day_unit", "day", days), ("tally_month", "month", months), ("tally_year", "year", years)]
        for (table, column, sheets) in grains where coarseTables.contains(table) {
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO \(table) (survey, \(column), unitId, surveyVersion, key, count, sum, sumOfSquares) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT DO UPDATE SET count = count + excluded.count, sum = sum + excluded.sum,
                        sumOfSquares = sumOfSquares + excluded.sumOfSquares
                    """)
            for (cell, sheet) in sheets {
                for (key, tally) in sheet {
                    try statement.execute(arguments: [
                        cell.survey, cell.period, cell.unitID, cell.version, key.description, tally.count, tally.sum,
                        tally.sumOfSquares,
                    ])
                }
            }
        }
    }

    /// The coarse grains, in the order of the migrations that created them.
    static let coarseTables = ["tally_month", "tally_day_unit", "tally_year"]

    /// The tallies the stored responses add up to, computed from the raw rows.
    static func talliesFromResponses(_ db: Database) throws -> [TallyCell: TallySheet] {
        var definitions: [String: SurveyDefinition] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT survey, version, definition FROM survey_version") {
            let definition = try JSONDecoder().decode(
                SurveyDefinition.self, from: Data((row["definition"] as String).utf8))
            definitions["\(definition.id)@\(definition.version)"] = definition
        }
        let contents = try ResponseContents.load(db)
        var cells: [TallyCell: TallySheet] = [:]
        let responses = try FiledResponse.fetchCursor(db)
        while let response = try responses.next() {
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
