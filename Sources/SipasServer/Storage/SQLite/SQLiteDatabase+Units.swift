import GRDB
import SipasDomain

// MARK: - Administrative units

extension SQLiteDatabase {
    /// Imports a units file all or nothing: every row is checked against the file and the stored units
    /// inside the one write transaction, so two imports cannot interleave.
    public func importUnits(_ rows: [UnitRow], actor: String = AuditActor.commandLine) throws -> ImportSummary {
        try writer.write { db in try Self.importUnits(db, rows, actor: actor) }
    }

    /// ``importUnits(_:actor:)`` from async code (the demo's setup).
    func importUnits(_ rows: [UnitRow], actor: String = AuditActor.commandLine) async throws -> ImportSummary {
        try await writer.write { db in try Self.importUnits(db, rows, actor: actor) }
    }

    /// Every stored version of every unit.
    public func units() throws -> [AdministrativeUnit] {
        try writer.read { db in try Self.fetchUnits(db) }
    }

    /// ``units()`` from async code (the server's start).
    func units() async throws -> [AdministrativeUnit] {
        try await writer.read { db in try Self.fetchUnits(db) }
    }

    private static func importUnits(_ db: Database, _ rows: [UnitRow], actor: String) throws -> ImportSummary {
        let plan = try UnitImport.plan(rows: rows, existing: try fetchUnits(db)).get()
        for unit in plan.changes {
            // An upsert keeps the row id, which responses reference.
            try db.execute(
                sql: """
                    INSERT INTO unit (code, name, level, parent, validFrom, validTo, formedFrom, formedBy) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (code, validFrom) DO UPDATE SET
                        name = excluded.name, level = excluded.level, parent = excluded.parent, validTo = excluded.validTo,
                        formedFrom = excluded.formedFrom, formedBy = excluded.formedBy
                    """,
                arguments: [
                    unit.code, unit.name, unit.level.rawValue, unit.parent, unit.validFrom.description,
                    unit.validTo?.description,
                    encode(unit.formedFrom), unit.formedBy,
                ])
        }
        try audit(db, action: "units.import", actor: actor, detail: "\(plan.summary)")
        return plan.summary
    }

    /// The units with their row ids, and the revision they were read at.
    func unitSnapshot() async throws -> UnitSnapshot {
        try await writer.read { db in
            let revision = try Self.unitRevision(db)
            var ids: [String: Int64] = [:]
            var units: [AdministrativeUnit] = []
            for row in try Row.fetchAll(
                db, sql: "SELECT id, code, name, level, parent, validFrom, validTo, formedFrom, formedBy FROM unit")
            {
                let unit = try Self.unit(row)
                ids[UnitSnapshot.key(unit)] = row["id"]
                units.append(unit)
            }
            return UnitSnapshot(revision: revision, directory: UnitDirectory(units), rowIDs: ids)
        }
    }

    /// The current revision of the units, cheap enough to read on every request.
    func unitRevision() async throws -> Int {
        try await writer.read { db in try Self.unitRevision(db) }
    }

    /// The units revision in the caller's transaction: a trigger bumps it on every change to the unit table.
    static func unitRevision(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT revision FROM catalog_revision WHERE name = 'unit'") ?? 0
    }

    static func fetchUnits(_ db: Database) throws -> [AdministrativeUnit] {
        try Row.fetchAll(
            db,
            sql:
                "SELECT code, name, level, parent, validFrom, validTo, formedFrom, formedBy FROM unit ORDER BY code, validFrom"
        ).map(unit)
    }

    private static func unit(_ row: Row) throws -> AdministrativeUnit {
        let code: String = row["code"]
        guard let level = UnitLevel(rawValue: row["level"]), let validFrom = LocalDate(row["validFrom"] as String),
            let formedFrom = decodePredecessors(row["formedFrom"] ?? "")
        else {
            throw OperatorError("stored unit \(code) is unreadable")
        }
        let validTo: String? = row["validTo"]
        return AdministrativeUnit(
            code: code, name: row["name"], level: level, parent: row["parent"], validFrom: validFrom,
            validTo: validTo.flatMap(LocalDate.init), formedFrom: formedFrom, formedBy: row["formedBy"])
    }
}

/// The units as read at one revision, with the row id of each version (what responses reference).
struct UnitSnapshot: Sendable {
    let revision: Int
    let directory: UnitDirectory
    let rowIDs: [String: Int64]

    static func key(_ unit: AdministrativeUnit) -> String { "\(unit.code)@\(unit.validFrom)" }

    /// The label of a breakdown row under `root`: the name of the version the scope counted for that group (the
    /// last one, with the day it ended when that is before `date`), or for `root` itself its own desks; a
    /// predecessor's group (`CODE@validFrom`) is that version's name with the day it ended.
    func groupLabel(_ code: String, root: String, on date: LocalDate, scope: UnitScope? = nil) -> String {
        func named(_ version: AdministrativeUnit) -> String {
            version.name + (version.validTo.map { $0 < date ? " (đến \(IndexReport.vietnamese($0)))" : "" } ?? "")
        }
        if let reference = UnitReference(code), let validFrom = reference.validFrom,
            let version = directory.version(reference.code, from: validFrom)
        {
            return version.name + (version.validTo.map { " (đến \(IndexReport.vietnamese($0)))" } ?? "")
        }
        // A reused code: the version counted, not the one in force at the end of the period.
        if let counted = scope?.segments.filter({ $0.group == code && $0.code == code }).max(by: { $0.to < $1.to }),
            let version = directory.version(counted.code, from: counted.validFrom)
        {
            return code == root ? "\(version.name) (trực tiếp)" : named(version)
        }
        let name = directory.name(of: code, on: date) ?? code
        return code == root ? "\(name) (trực tiếp)" : name
    }

    /// The row id of the version of `code` in force on `date`.
    func rowID(_ code: String, on date: LocalDate) -> (unit: AdministrativeUnit, id: Int64)? {
        guard let unit = directory.unit(code, on: date), let id = rowIDs[Self.key(unit)] else { return nil }
        return (unit, id)
    }
}
