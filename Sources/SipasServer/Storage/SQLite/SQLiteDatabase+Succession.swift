import GRDB
import SipasDomain

// MARK: - Units across the 2025 reform

extension SQLiteDatabase {
    /// v11: what each unit version was formed from, and the unit version each token was issued for.
    ///
    /// Tokens stored before are bound to the version of their unit in force on the day they were created (Vietnam
    /// time); one whose unit had no version that day keeps NULL and means the version a bare code means.
    static func migrateSuccession(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE unit ADD COLUMN formedFrom TEXT NOT NULL DEFAULT '';
                ALTER TABLE unit ADD COLUMN formedBy TEXT;
                ALTER TABLE access_token ADD COLUMN unitValidFrom TEXT CHECK (unitValidFrom IS NULL OR date(unitValidFrom) IS unitValidFrom);
                UPDATE access_token SET unitValidFrom = (
                    SELECT unit.validFrom FROM unit
                    WHERE unit.code = access_token.unit AND unit.validFrom <= date(access_token.createdAt, '+7 hours')
                        AND (unit.validTo IS NULL OR unit.validTo >= date(access_token.createdAt, '+7 hours')))
                WHERE unit IS NOT NULL;
                """)
    }

    /// `30169@2004-01-01;30193@2004-01-01:part`, as the unit table keeps `formedFrom`.
    static func encode(_ predecessors: [Predecessor]) -> String {
        predecessors.map { $0.key + ($0.part ? ":part" : "") }.joined(separator: ";")
    }

    /// The predecessors of a stored `formedFrom`; nil when it is unreadable.
    static func decodePredecessors(_ text: String) -> [Predecessor]? {
        var predecessors: [Predecessor] = []
        for item in text.split(separator: ";") {
            let parts = item.split(separator: ":")
            guard let reference = UnitReference(String(parts[0])), let validFrom = reference.validFrom else {
                return nil
            }
            predecessors.append(
                Predecessor(code: reference.code, validFrom: validFrom, part: parts.count == 2 && parts[1] == "part"))
        }
        return predecessors
    }
}
