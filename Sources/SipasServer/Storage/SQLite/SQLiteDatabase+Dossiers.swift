import Foundation
import GRDB
import SipasDomain

/// A dossier with the row id of the unit version that received it.
struct PlacedDossier: Sendable {
    let dossier: Dossier
    let unitID: Int64
}

/// What happened to one dossier of an upsert.
enum DossierOutcomeOfUpsert: Sendable {
    case stored(DossierChange)
    case invalid(InvalidInput)
}

// MARK: - Procedures and dossiers

extension SQLiteDatabase {
    /// Imports a procedures catalogue all or nothing, in one transaction.
    public func importProcedures(_ rows: [(line: Int, fields: [String])], actor: String = AuditActor.commandLine) throws
        -> ImportSummary
    {
        try writer.write { db in try Self.importProcedures(db, rows, actor: actor) }
    }

    /// ``importProcedures(_:actor:)`` from async code (the demo's setup).
    func importProcedures(_ rows: [(line: Int, fields: [String])], actor: String = AuditActor.commandLine)
        async throws -> ImportSummary
    {
        try await writer.write { db in try Self.importProcedures(db, rows, actor: actor) }
    }

    private static func importProcedures(_ db: Database, _ rows: [(line: Int, fields: [String])], actor: String) throws
        -> ImportSummary
    {
        let plan = try ProcedureImport.plan(rows: rows, existing: try fetchProcedures(db)).get()
        for procedure in plan.changes {
            try db.execute(
                sql: """
                    INSERT INTO procedure (code, name, field, level, legalDays, fullOnlineEligible, feeBearing) VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (code) DO UPDATE SET name = excluded.name, field = excluded.field, level = excluded.level,
                        legalDays = excluded.legalDays, fullOnlineEligible = excluded.fullOnlineEligible, feeBearing = excluded.feeBearing
                    """,
                arguments: [
                    procedure.code, procedure.name, procedure.field, procedure.level.rawValue, procedure.legalDays,
                    procedure.fullOnlineEligible, procedure.feeBearing,
                ])
        }
        try audit(db, action: "procedures.import", actor: actor, detail: "\(plan.summary)")
        return plan.summary
    }

    /// The procedures catalogue, by code.
    public func procedures() throws -> [String: Procedure] {
        try writer.read { db in try Self.proceduresByCode(db) }
    }

    /// ``procedures()`` for the server's requests.
    func procedures() async throws -> [String: Procedure] {
        try await writer.read { db in try Self.proceduresByCode(db) }
    }

    private static func proceduresByCode(_ db: Database) throws -> [String: Procedure] {
        Dictionary(uniqueKeysWithValues: try fetchProcedures(db).map { ($0.code, $0) })
    }

    static func fetchProcedures(_ db: Database) throws -> [Procedure] {
        try Row.fetchAll(db, sql: "SELECT * FROM procedure ORDER BY code").map { row in
            Procedure(
                code: row["code"], name: row["name"], field: row["field"],
                level: UnitLevel(rawValue: row["level"]) ?? .commune,
                legalDays: row["legalDays"], fullOnlineEligible: row["fullOnlineEligible"],
                feeBearing: row["feeBearing"])
        }
    }

    /// Upserts dossiers by code in one transaction. Each is compared with the stored one inside the
    /// transaction, so concurrent pushes of the same dossier cannot interleave. With `allOrNothing`, any
    /// refused dossier rolls the whole set back (file imports); otherwise each stands on its own (the API).
    func upsertDossiers(_ dossiers: [Result<PlacedDossier, InvalidInput>], allOrNothing: Bool, now: Date)
        async throws -> [DossierOutcomeOfUpsert]
    {
        try await writer.write { db in
            var outcomes: [DossierOutcomeOfUpsert] = []
            for item in dossiers {
                switch item {
                case .failure(let invalid): outcomes.append(.invalid(invalid))
                case .success(let placed):
                    let stored = try Self.fetchDossier(code: placed.dossier.code, db)
                    switch DossierRules.change(from: stored, to: placed.dossier) {
                    case .failure(let refused): outcomes.append(.invalid(refused))
                    case .success(let change):
                        // What is saved is what the rules decided (a given due date kept), not the submission as sent.
                        switch change {
                        case .created(let dossier), .updated(let dossier):
                            try Self.save(PlacedDossier(dossier: dossier, unitID: placed.unitID), now: now, db)
                        case .unchanged: break
                        }
                        outcomes.append(.stored(change))
                    }
                }
            }
            if allOrNothing, outcomes.contains(where: { if case .invalid = $0 { true } else { false } }) {
                throw DossierImportRefused(outcomes: outcomes)
            }
            return outcomes
        }
    }

    private static func save(_ placed: PlacedDossier, now: Date, _ db: Database) throws {
        let d = placed.dossier
        try db.execute(
            sql: """
                INSERT INTO dossier (code, procedure, unitId, unit, resolvingUnit, channel, receivedAt, receivedDate, dueDate, dueDateBasis,
                                     resolvedAt, status, fullOnline, paidOnline, feeBearing, digitised, apologyIssued, updatedAt)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (code) DO UPDATE SET dueDate = excluded.dueDate, dueDateBasis = excluded.dueDateBasis, resolvingUnit = excluded.resolvingUnit, resolvedAt = excluded.resolvedAt,
                    status = excluded.status, fullOnline = excluded.fullOnline, paidOnline = excluded.paidOnline,
                    feeBearing = excluded.feeBearing, digitised = excluded.digitised, apologyIssued = excluded.apologyIssued,
                    updatedAt = excluded.updatedAt
                """,
            arguments: [
                d.code, d.procedure, placed.unitID, d.unit, d.resolvingUnit, d.channel.rawValue,
                Timestamp.format(d.receivedAt),
                d.receivedDate.description, d.dueDate.description, d.dueDateBasis.rawValue,
                d.resolvedAt.map(Timestamp.format), d.status.rawValue, d.fullOnline,
                d.paidOnline, d.feeBearing, d.digitised, d.apologyIssued, Timestamp.format(now),
            ])
    }

    /// The stored dossier `code`, if any.
    static func fetchDossier(code: String, _ db: Database) throws -> Dossier? {
        try StoredDossier.filter(StoredDossier.Columns.code == code).fetchOne(db)?.dossier
    }

    /// The dossiers received by sets of unit versions over date ranges, each with its group key.
    func dossiers(in ranges: [TallyFetch.Range]) async throws -> [(dossier: Dossier, group: String)] {
        try await writer.read { db in
            var result: [(Dossier, String)] = []
            for range in ranges where !range.units.isEmpty {
                let stored = try StoredDossier.filter(
                    range.units.keys.contains(StoredDossier.Columns.unitID)
                        && StoredDossier.Columns.receivedDate >= range.from.description
                        && StoredDossier.Columns.receivedDate <= range.to.description
                ).fetchCursor(db)
                while let row = try stored.next() {
                    result.append((row.dossier, range.units[row.unitID] ?? ""))
                }
            }
            return result
        }
    }

    /// Number of stored dossiers.
    public func dossierCount() throws -> Int {
        try writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM dossier") ?? 0 }
    }
}

/// A file import refused because some dossiers were invalid; nothing was stored.
struct DossierImportRefused: Error {
    let outcomes: [DossierOutcomeOfUpsert]
}
