import SipasDomain

/// Where a submitted response, dossier or ticket belongs (đơn vị tiếp nhận): the version of its unit in force on
/// its date, which must lie within what the submitter answers for. The one placement rule of every intake.
struct UnitPlacement {
    /// What the submitter answers for.
    enum Bound {
        /// Any unit (an admin).
        case anywhere
        /// A unit code and the units under it on the date (a device, a ticket's issuer); `whose` names it in errors.
        case subtree(of: String, whose: String)
        /// A token's unit version and what it covers: its units while in force, its predecessors before (an
        /// integration token); nil when the token's unit is not in the directory.
        case coverage(UnitCoverage?, root: String, whose: String)
    }

    let units: UnitSnapshot

    /// The unit version of `code` in force on `date` and its row id, or the problem (field `unit`): unknown,
    /// not in force on `date` (`dateMeaning` says what the date is, e.g. "the local date of submittedAt"), or
    /// outside `bound`.
    func place(_ code: String, on date: LocalDate, dateMeaning: String, within bound: Bound)
        -> Result<(unit: AdministrativeUnit, rowID: Int64), FieldProblem>
    {
        func refuse(_ message: String) -> Result<(unit: AdministrativeUnit, rowID: Int64), FieldProblem> {
            .failure(FieldProblem(field: "unit", message: message))
        }
        guard let (unit, rowID) = units.rowID(code, on: date) else {
            return units.directory.contains(code: code)
                ? refuse("unit \(code) is not in force on \(date), \(dateMeaning)") : refuse("unknown unit '\(code)'")
        }
        let inside: Bool
        let outside: String
        switch bound {
        case .anywhere:
            return .success((unit, rowID))
        case .subtree(let root, let whose):
            inside = units.directory.isWithin(unit.code, ancestor: root, on: date)
            outside = "\(whose) \(root)"
        case .coverage(let coverage, let root, let whose):
            inside = coverage?.covers(unit.key, from: date, to: date) == true
            outside = "\(whose) \(root)"
        }
        guard inside else {
            return refuse("unit \(code) (\(unit.name) on \(date)) is outside \(outside) and the units under it")
        }
        return .success((unit, rowID))
    }
}

extension Result where Failure == FieldProblem {
    /// The problem, when refused.
    var problem: FieldProblem? {
        if case .failure(let problem) = self { problem } else { nil }
    }
}
