import Foundation
import GRDB

// MARK: - v2, frozen
// What migration v2 counted when it shipped (767fc8d: SQLiteDatabase.rebuildTallies, addTallies,
// talliesFromResponses and ResponseContribution.tallies of that commit), copied here with types of its own so
// that no later change of the tally code, the tally keys or the survey types can change what v2 writes.
// Never edit: a different count is a new migration.

/// Migration v2's own copy of the tally code it shipped with.
enum MigrationV2 {
    /// Counts the responses stored before v2 into `tally_day` and `tally_month`, the two grains v2 creates.
    static func rebuildTallies(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM tally_day; DELETE FROM tally_month")
        try addTallies(try talliesFromResponses(db), db)
    }

    // MARK: - Types of its own

    /// The dimensions of a `tally_day` row, apart from its key.
    private struct Cell: Hashable {
        let survey: String
        let day: String
        let unitID: Int64
        let surveyVersion: Int
        let procedure: String
        let channel: String
        let desk: String
    }

    /// The dimensions of a `tally_month` row, apart from its key.
    private struct MonthCell: Hashable {
        let survey: String
        let month: String
        let unitID: Int64
        let surveyVersion: Int
    }

    /// A count, and for per-respondent shares their sum and sum of squares.
    private struct Tally {
        var count = 0
        var sum = 0.0
        var sumOfSquares = 0.0

        mutating func add(_ other: Tally) {
            count += other.count
            sum += other.sum
            sumOfSquares += other.sumOfSquares
        }
    }

    /// Tallies by stored key text (`i:a1:5`, `s:a1`, `e:access`, `o`, `x:shorter-time`).
    private typealias Sheet = [String: Tally]

    /// What v2 reads of a stored survey definition: the satisfied values and which items each element has.
    /// (The shipped code decoded the whole definition; the releases before v2 stored only definitions they had
    /// decoded themselves, so reading less reads the same.)
    private struct Definition: Decodable {
        struct Scale: Decodable { let satisfied: [Int] }
        struct Element: Decodable {
            struct Item: Decodable { let id: String }
            let id: String
            let items: [Item]
        }
        let id: String
        let version: Int
        let scale: Scale
        let elements: [Element]
    }

    // MARK: - Writing

    /// Adds tallies into both grains, summed first so each row is touched once.
    private static func addTallies(_ cells: [Cell: Sheet], _ db: Database) throws {
        let day = try db.makeStatement(
            sql: """
                INSERT INTO tally_day (survey, day, unitId, surveyVersion, procedure, channel, desk, key, count, sum, sumOfSquares)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT DO UPDATE SET count = count + excluded.count, sum = sum + excluded.sum,
                    sumOfSquares = sumOfSquares + excluded.sumOfSquares
                """)
        let month = try db.makeStatement(
            sql: """
                INSERT INTO tally_month (survey, month, unitId, surveyVersion, key, count, sum, sumOfSquares)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT DO UPDATE SET count = count + excluded.count, sum = sum + excluded.sum,
                    sumOfSquares = sumOfSquares + excluded.sumOfSquares
                """)
        var months: [MonthCell: Sheet] = [:]
        for (cell, sheet) in cells {
            for (key, tally) in sheet {
                try day.execute(arguments: [
                    cell.survey, cell.day, cell.unitID, cell.surveyVersion, cell.procedure, cell.channel, cell.desk,
                    key, tally.count, tally.sum, tally.sumOfSquares,
                ])
            }
            let monthCell = MonthCell(
                survey: cell.survey, month: String(cell.day.prefix(7)), unitID: cell.unitID,
                surveyVersion: cell.surveyVersion)
            add(sheet, into: &months[monthCell, default: [:]])
        }
        for (cell, sheet) in months {
            for (key, tally) in sheet {
                try month.execute(arguments: [
                    cell.survey, cell.month, cell.unitID, cell.surveyVersion, key, tally.count, tally.sum,
                    tally.sumOfSquares,
                ])
            }
        }
    }

    private static func add(_ sheet: Sheet, into total: inout Sheet) {
        for (key, tally) in sheet { total[key, default: Tally()].add(tally) }
    }

    // MARK: - Counting

    /// The tallies the stored responses add up to, computed from the raw rows.
    private static func talliesFromResponses(_ db: Database) throws -> [Cell: Sheet] {
        var definitions: [String: Definition] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT definition FROM survey_version") {
            let definition = try JSONDecoder().decode(Definition.self, from: Data((row["definition"] as String).utf8))
            definitions["\(definition.id)@\(definition.version)"] = definition
        }
        var answers: [Int64: [(item: String, value: Int)]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT responseSeq, item, value FROM response_answer") {
            answers[row["responseSeq"], default: []].append((item: row["item"], value: row["value"]))
        }
        var expectations: [Int64: [String]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT responseSeq, option FROM response_expectation") {
            expectations[row["responseSeq"], default: []].append(row["option"])
        }
        var cells: [Cell: Sheet] = [:]
        let rows = try Row.fetchCursor(
            db, sql: "SELECT seq, survey, surveyVersion, submittedDate, unitId, procedure, channel, desk FROM response")
        while let row = try rows.next() {
            let seq: Int64 = row["seq"]
            let survey: String = row["survey"], version: Int = row["surveyVersion"]
            guard let definition = definitions["\(survey)@\(version)"] else { continue }
            let cell = Cell(
                survey: survey, day: row["submittedDate"], unitID: row["unitId"], surveyVersion: version,
                procedure: row["procedure"] ?? "", channel: row["channel"], desk: row["desk"] ?? "")
            add(
                tallies(answers: answers[seq] ?? [], expectations: expectations[seq] ?? [], definition: definition),
                into: &cells[cell, default: [:]])
        }
        return cells
    }

    /// One response's tallies: its answers, satisfied answers, per-element and overall shares (an element's
    /// share is the fraction of its answered items that are satisfied, the overall share the mean of the
    /// element shares), and its expectations.
    private static func tallies(
        answers: [(item: String, value: Int)], expectations: [String], definition: Definition
    ) -> Sheet {
        var sheet: Sheet = [:]
        let satisfiedValues = Set(definition.scale.satisfied)
        let given = Dictionary(answers.map { ($0.item, $0.value) }, uniquingKeysWith: { first, _ in first })
        for answer in answers {
            sheet["i:\(answer.item):\(answer.value)"] = Tally(count: 1)
            if satisfiedValues.contains(answer.value) { sheet["s:\(answer.item)"] = Tally(count: 1) }
        }
        var elementShares: [Double] = []
        for element in definition.elements {
            let values = element.items.compactMap { given[$0.id] }
            guard !values.isEmpty else { continue }
            let share = Double(values.filter(satisfiedValues.contains).count) / Double(values.count)
            sheet["e:\(element.id)"] = Tally(count: 1, sum: share, sumOfSquares: share * share)
            elementShares.append(share)
        }
        if !elementShares.isEmpty {
            let share = elementShares.reduce(0, +) / Double(elementShares.count)
            sheet["o"] = Tally(count: 1, sum: share, sumOfSquares: share * share)
        }
        for option in expectations { sheet["x:\(option)"] = Tally(count: 1) }
        return sheet
    }
}
