import Foundation
import GRDB
import SipasDomain

// MARK: - Due dates counted on the working calendar

extension SQLiteDatabase {
    /// v9: where each dossier's due date comes from. Rows stored before are marked `given`: whether the source
    /// gave their date or sipas counted it was not recorded, and a date the source gave must never change.
    static func migrateDueDateBasis(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE dossier ADD COLUMN dueDateBasis TEXT NOT NULL DEFAULT 'given'
                    CHECK (dueDateBasis IN ('given', 'computed', 'provisional'));
                CREATE INDEX dossier_provisional_due ON dossier (dueDateBasis) WHERE dueDateBasis = 'provisional';
                """)
    }

    /// Recounts every provisional due date on `calendar`, in one transaction: run at start-up, so a notice file
    /// added for a year (or a day confirmed) settles the dossiers counted across it.
    ///
    /// - Returns: how many provisional dates there were, and how many of them changed date or became settled.
    func refreshProvisionalDueDates(calendar: WorkingCalendar) async throws -> (provisional: Int, changed: Int) {
        // Most starts have nothing provisional: no write transaction then.
        let pending = try await writer.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM dossier WHERE dueDateBasis = 'provisional')")
                ?? false
        }
        guard pending else { return (0, 0) }
        return try await writer.write { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT dossier.id, dossier.receivedAt, dossier.dueDate, procedure.legalDays
                    FROM dossier JOIN procedure ON procedure.code = dossier.procedure
                    WHERE dossier.dueDateBasis = 'provisional'
                    """)
            var changed = 0
            for row in rows {
                guard let receivedAt = Timestamp.parse(row["receivedAt"]) else { continue }
                let due = try calendar.dueDate(receivedAt: receivedAt, workingDays: row["legalDays"])
                guard due.date.description != row["dueDate"] as String || !due.provisional else { continue }
                try db.execute(
                    sql: "UPDATE dossier SET dueDate = ?, dueDateBasis = ? WHERE id = ?",
                    arguments: [due.date.description, due.provisional ? "provisional" : "computed", row["id"] as Int64])
                changed += 1
            }
            return (rows.count, changed)
        }
    }
}
