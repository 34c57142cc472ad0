import Foundation
import GRDB
import SipasDomain

// MARK: - Scores entered for criteria sipas cannot measure

extension SQLiteDatabase {
    /// v10: entered scores, append-only (a correction is a new entry; the latest counts, the history stays).
    static func migrateScorecardEntries(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE scorecard_entry (
                    id INTEGER PRIMARY KEY,
                    ruleSet TEXT NOT NULL CHECK (ruleSet <> ''),
                    criterion TEXT NOT NULL CHECK (criterion <> ''),
                    unit TEXT NOT NULL CHECK (unit <> ''),
                    year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 9999),
                    points TEXT NOT NULL CHECK (points <> ''),
                    evidence TEXT NOT NULL CHECK (trim(evidence) <> ''),
                    actor TEXT NOT NULL CHECK (actor <> ''),
                    at TEXT NOT NULL
                ) STRICT;
                CREATE INDEX scorecard_entry_by_card ON scorecard_entry (ruleSet, unit, year, criterion);
                CREATE TRIGGER scorecard_entry_append_only_update BEFORE UPDATE ON scorecard_entry
                    BEGIN SELECT RAISE(ABORT, 'scorecard entries are append-only'); END;
                CREATE TRIGGER scorecard_entry_append_only_delete BEFORE DELETE ON scorecard_entry
                    BEGIN SELECT RAISE(ABORT, 'scorecard entries are append-only'); END;
                """)
    }

    /// Stores an entered score and its audit record in one transaction.
    func enterScore(_ entry: ScorecardEntry, ruleSet: String, unit: String, year: Int) async throws {
        try await writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO scorecard_entry (ruleSet, criterion, unit, year, points, evidence, actor, at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    ruleSet, entry.criterion, unit, year, "\(entry.points)", entry.evidence, entry.actor,
                    Timestamp.format(entry.at),
                ])
            try Self.audit(
                db, action: "scorecard.enter", actor: entry.actor,
                detail:
                    "\(ruleSet)/\(entry.criterion) unit \(unit) year \(year): \(Rounding.text(entry.points, places: 3)) điểm; \(entry.evidence)",
                now: entry.at)
        }
    }

    /// The latest entry of each criterion of a unit's scorecard for a year, by criterion id.
    func scorecardEntries(ruleSet: String, unit: String, year: Int) async throws -> [String: ScorecardEntry] {
        try await writer.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT criterion, points, evidence, actor, at FROM scorecard_entry
                    WHERE id IN (SELECT max(id) FROM scorecard_entry WHERE ruleSet = ? AND unit = ? AND year = ? GROUP BY criterion)
                    """,
                arguments: [ruleSet, unit, year])
            var entries: [String: ScorecardEntry] = [:]
            for row in rows {
                guard let points = Decimal(string: row["points"], locale: Locale(identifier: "en_US_POSIX")),
                    let at = Timestamp.parse(row["at"])
                else { continue }
                entries[row["criterion"]] = ScorecardEntry(
                    criterion: row["criterion"], points: points, evidence: row["evidence"], actor: row["actor"], at: at)
            }
            return entries
        }
    }
}
