import Foundation
import SipasDomain

/// The one way dossiers get in (API batch or file): validation with the procedures catalogue and the
/// working calendar, the unit version in force on the receipt date, then the upsert.
struct DossierIntake: Sendable {
    let database: AppDatabase
    let units: UnitCache
    let calendar: WorkingCalendar
    let now: @Sendable () -> Date

    /// - Parameters:
    ///   - root: the unit an integration token is bound to; dossiers outside it are refused. nil: any unit.
    ///   - allOrNothing: refuse the whole set if one dossier is refused (file imports).
    func submit(
        _ submissions: [Result<DossierSubmission, InvalidInput>], within root: String?, allOrNothing: Bool
    ) async throws -> [DossierOutcomeOfUpsert] {
        let procedures = try await database.procedures()
        let rules = DossierRules(procedures: procedures, calendar: calendar)
        let snapshot = try await units.current()
        let now = self.now()
        // What an integration token's unit version covers: its units while in force, its predecessors before.
        var coverage: UnitCoverage?
        var unknownRoot = false
        if let root {
            if let reference = UnitReference(root),
                let grant = snapshot.directory.resolve(reference, on: LocalDate(now))
            {
                coverage = UnitCoverage(directory: snapshot.directory, grant: grant)
            } else {
                unknownRoot = true
            }
        }
        let placed = submissions.map { submission in
            submission.flatMap { rules.validate($0, now: now) }.flatMap {
                place($0, within: root, coverage: coverage, unknownRoot: unknownRoot, units: snapshot)
            }
        }
        return try await database.upsertDossiers(placed, allOrNothing: allOrNothing, now: now)
    }

    private func place(
        _ dossier: Dossier, within root: String?, coverage: UnitCoverage?, unknownRoot: Bool, units: UnitSnapshot
    ) -> Result<PlacedDossier, InvalidInput> {
        let date = dossier.receivedDate
        func refuse(_ field: String, _ message: String) -> Result<PlacedDossier, InvalidInput> {
            .failure(InvalidInput([FieldProblem(field: field, message: message)]))
        }
        guard let (unit, rowID) = units.rowID(dossier.unit, on: date) else {
            return units.directory.contains(code: dossier.unit)
                ? refuse("unit", "unit \(dossier.unit) is not in force on \(date), the local date of receivedAt")
                : refuse("unit", "unknown unit '\(dossier.unit)'")
        }
        if let root, unknownRoot || coverage?.covers(unit.key, from: date, to: date) == false {
            return refuse("unit", "unit \(dossier.unit) (\(unit.name) on \(date)) is outside this token's unit \(root)")
        }
        if let resolving = dossier.resolvingUnit, !units.directory.contains(code: resolving) {
            return refuse("resolvingUnit", "unknown unit '\(resolving)'")
        }
        return .success(PlacedDossier(dossier: dossier, unitID: rowID))
    }
}
