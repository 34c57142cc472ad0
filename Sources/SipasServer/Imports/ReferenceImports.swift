import Foundation
import SipasDomain

/// File imports of the command line: procedures catalogue and dossiers, all or nothing, errors by line.
public enum ReferenceImports {
    /// `sipas procedures import FILE.csv`.
    public static func procedures(path: String, database: SQLiteDatabase) throws -> ImportSummary {
        try database.importProcedures(procedureRows(path: path))
    }

    /// ``procedures(path:database:)`` from async code (the demo's setup).
    public static func procedures(path: String, database: SQLiteDatabase) async throws -> ImportSummary {
        try await database.importProcedures(procedureRows(path: path))
    }

    /// The rows of a procedures catalogue file, numbered by line.
    private static func procedureRows(path: String) throws -> [(line: Int, fields: [String])] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw OperatorError("\(path): cannot be read as UTF-8 text")
        }
        return try CSVReader.table(text, header: ProcedureImport.header).map { (line: $0.line, fields: $0.fields) }
    }

    /// `sipas dossiers import FILE.csv`: the same rules as `POST /v1/dossiers`, but nothing is stored if
    /// any row is refused.
    public static func dossiers(path: String, database: SQLiteDatabase, calendar: WorkingCalendar) async throws
        -> ImportSummary
    {
        let rows = try DossiersFile.submissions(path: path)
        let intake = DossierIntake(
            database: database, units: UnitCache(database: database), calendar: calendar, now: { Date() })
        do {
            let outcomes = try await intake.submit(rows.map(\.submission), within: nil, allOrNothing: true)
            var summary = ImportSummary()
            for outcome in outcomes {
                switch outcome {
                case .stored(.created): summary.created += 1
                case .stored(.updated): summary.updated += 1
                case .stored(.unchanged): summary.unchanged += 1
                case .invalid: break
                }
            }
            try await database.audit(
                action: "dossiers.import", actor: AuditActor.commandLine, detail: "\(path): \(summary)")
            return summary
        } catch let refused as DossierImportRefused {
            var problems: [LineProblem] = []
            for (index, outcome) in refused.outcomes.enumerated() {
                if case .invalid(let invalid) = outcome {
                    problems += invalid.problems.map { LineProblem(line: rows[index].line, message: $0.description) }
                }
            }
            throw ImportRefused(problems)
        }
    }
}
