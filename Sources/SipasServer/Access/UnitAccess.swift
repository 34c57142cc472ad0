import SipasDomain

/// What a reader may see of a unit over a period (phạm vi được xem): the one access rule for figures, used by the
/// index, timeliness, coverage, flags, export and the dashboard.
enum UnitAccess {
    /// The unit's scope over the period, after checking the reader may see every part of it.
    ///
    /// `unit` is a code or one version of it (`CODE@YYYY-MM-DD`); a bare code means the version the official's token
    /// was issued for when it is a version of that code, else the version in force at the end of the period. An
    /// official sees what the scope of their own version covers, over all time: its units while it is in force,
    /// and its predecessors (and what was under them) before.
    ///
    /// - Throws: ``InvalidInput`` naming `unit` when it is malformed, unknown or has no such version;
    ///   ``AccessRefused/forbidden(_:)`` when any part of the scope is outside the official's.
    static func scope(unit: String, period: Period, reader: FigureReader, snapshot: UnitSnapshot) throws -> UnitScope {
        let directory = snapshot.directory
        func invalid(_ message: String) -> InvalidInput {
            InvalidInput([FieldProblem(field: "unit", message: message)])
        }
        guard let reference = UnitReference(unit) else {
            throw invalid("'\(unit)' is not a unit code or CODE@YYYY-MM-DD")
        }
        guard directory.contains(code: reference.code) else { throw invalid("unknown unit '\(reference.code)'") }
        var granted: AdministrativeUnit?
        if case .official(let allowed) = reader, let grant = UnitReference(allowed) {
            granted = directory.resolve(grant, on: period.to)
        }
        guard let version = directory.resolve(reference, on: period.to, preferring: granted) else {
            let known = directory.versions(of: reference.code).map(\.key).joined(separator: ", ")
            throw invalid("unit \(reference.code) has no version \(reference) (known: \(known))")
        }
        let scope = UnitScope(directory: directory, version: version, from: period.from, to: period.to)
        guard case .official(let allowed) = reader else { return scope }
        guard let granted else { throw AccessRefused.forbidden("this token's unit \(allowed) is not a known unit") }
        let coverage = UnitCoverage(directory: directory, grant: granted)
        let detail =
            "this token answers for unit \(granted.name) (\(granted.key)) and the units under it, with its predecessors before it started"
        if let outside = scope.segments.first(where: { !coverage.covers($0.key, from: $0.from, to: $0.to) }) {
            throw AccessRefused.forbidden(
                "\(detail); unit \(version.key) (\(outside.code) on \(outside.from)) is outside it")
        }
        // A version with nothing in the period: allowed only if the official's coverage holds it at some time.
        if scope.segments.isEmpty, !coverage.holds(version.key) { throw AccessRefused.forbidden(detail) }
        return scope
    }

    /// The scope's segments as tally ranges: unit row ids grouped by identical date ranges.
    static func ranges(_ scope: UnitScope, snapshot: UnitSnapshot) -> [TallyFetch.Range] {
        var byRange: [String: (LocalDate, LocalDate, [Int64: String])] = [:]
        for segment in scope.segments {
            guard let id = snapshot.rowIDs[segment.key] else { continue }
            let key = "\(segment.from)|\(segment.to)"
            byRange[key, default: (segment.from, segment.to, [:])].2[id] = segment.group
        }
        return byRange.values.map { TallyFetch.Range(from: $0.0, to: $0.1, units: $0.2) }
    }

    /// The scope, checked, and its tally ranges: what every figure reads.
    static func ranges(unit: String, period: Period, reader: FigureReader, snapshot: UnitSnapshot) throws
        -> [TallyFetch.Range]
    {
        ranges(try scope(unit: unit, period: period, reader: reader, snapshot: snapshot), snapshot: snapshot)
    }
}
