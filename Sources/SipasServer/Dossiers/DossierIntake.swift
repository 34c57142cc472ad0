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
        let bound: UnitPlacement.Bound =
            root.map { root in
                let grant = UnitReference(root).flatMap { snapshot.directory.resolve($0, on: LocalDate(now)) }
                return .coverage(
                    grant.map { UnitCoverage(directory: snapshot.directory, grant: $0) }, root: root,
                    whose: "this token's unit")
            } ?? .anywhere
        let placement = UnitPlacement(units: snapshot)
        let placed = submissions.map { submission in
            submission.flatMap { rules.validate($0, now: now) }.flatMap { place($0, within: bound, placement) }
        }
        return try await database.upsertDossiers(placed, allOrNothing: allOrNothing, now: now)
    }

    private func place(_ dossier: Dossier, within bound: UnitPlacement.Bound, _ placement: UnitPlacement)
        -> Result<PlacedDossier, InvalidInput>
    {
        let placed = placement.place(
            dossier.unit, on: dossier.receivedDate, dateMeaning: "the local date of receivedAt", within: bound)
        guard case .success(let (_, rowID)) = placed else { return .failure(InvalidInput([placed.problem!])) }
        if let resolving = dossier.resolvingUnit, !placement.units.directory.contains(code: resolving) {
            return .failure(
                InvalidInput([FieldProblem(field: "resolvingUnit", message: "unknown unit '\(resolving)'")]))
        }
        return .success(PlacedDossier(dossier: dossier, unitID: rowID))
    }
}
