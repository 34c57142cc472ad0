import Foundation
import GRDB
import SipasDomain

/// A one-time survey ticket.
struct Ticket: Sendable, Hashable {
    let id: String
    let unit: String
    let procedure: String?
    let dossier: String
    let expiresAt: String
    let responseID: String?
}

// MARK: - Tickets and sessions

extension SQLiteDatabase {
    func createTicket(unit: String, procedure: String?, dossier: String, now: Date, lifetime: TimeInterval) async throws
        -> Ticket
    {
        let id = SecretKey.randomToken()
        let expires = Timestamp.format(now.addingTimeInterval(lifetime))
        try await writer.write { db in
            try db.execute(
                sql:
                    "INSERT INTO ticket (id, unit, procedure, dossier, createdAt, expiresAt) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [id, unit, procedure, dossier, Timestamp.format(now), expires])
        }
        return Ticket(id: id, unit: unit, procedure: procedure, dossier: dossier, expiresAt: expires, responseID: nil)
    }

    func ticket(_ id: String) async throws -> Ticket? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM ticket WHERE id = ?", arguments: [id]).map {
                Ticket(
                    id: $0["id"], unit: $0["unit"], procedure: $0["procedure"], dossier: $0["dossier"],
                    expiresAt: $0["expiresAt"], responseID: $0["responseId"])
            }
        }
    }

    /// Opens a dashboard session for an active official or admin token; nil for anything else.
    func openSession(tokenKey: String, now: Date, lifetime: TimeInterval) async throws -> (id: String, csrf: String)? {
        guard let token = try await activeToken(key: tokenKey), token.role != .integration else { return nil }
        let id = SecretKey.randomToken(), csrf = SecretKey.randomToken()
        try await writer.write { db in
            try db.execute(
                sql: "INSERT INTO web_session (id, tokenId, csrf, createdAt, expiresAt) VALUES (?, ?, ?, ?, ?)",
                arguments: [
                    SecretKey.hash(id), token.id, csrf, Timestamp.format(now),
                    Timestamp.format(now.addingTimeInterval(lifetime)),
                ])
        }
        return (id, csrf)
    }

    /// The token and CSRF secret behind a live session; nil once it expired or its token was revoked.
    func session(_ id: String, now: Date) async throws -> (token: AccessToken, csrf: String)? {
        try await writer.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT s.csrf, t.* FROM web_session s JOIN access_token t ON t.id = s.tokenId
                        WHERE s.id = ? AND s.expiresAt > ? AND t.revokedAt IS NULL
                        """, arguments: [SecretKey.hash(id), Timestamp.format(now)])
            else { return nil }
            return (try AccessToken(row: row), row["csrf"])
        }
    }

    func closeSession(_ id: String) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM web_session WHERE id = ?", arguments: [SecretKey.hash(id)])
        }
    }
}

// MARK: - Where the dashboard opens

extension SQLiteDatabase {
    /// The years holding responses or dossiers, latest first: where a dashboard opened without a year looks for
    /// figures. Read from the yearly tallies and the dossiers' date index, so it costs a few index lookups per unit.
    func yearsWithData() async throws -> [Int] {
        try await writer.read { db in
            // Tally rows exist only where responses were counted (tallies are only ever added to).
            let responses = try Row.fetchOne(
                db,
                sql: """
                    SELECT min(period), max(period) FROM tally_unit
                    WHERE survey IN (SELECT survey FROM survey_version) AND grain = 'year'
                    """)
            let dossiers = try Row.fetchOne(
                db, sql: "SELECT substr(min(receivedDate), 1, 4), substr(max(receivedDate), 1, 4) FROM dossier")
            let bounds = [responses, dossiers].compactMap { row -> ClosedRange<Int>? in
                guard let row, let first = Int(row[0] as String? ?? ""), let last = Int(row[1] as String? ?? ""),
                    first <= last
                else { return nil }
                return first...last
            }
            guard let first = bounds.map(\.lowerBound).min(), let last = bounds.map(\.upperBound).max() else {
                return []
            }
            return Array((first...last).reversed())
        }
    }

    /// Whether any response or dossier is filed under the unit versions of `ranges` within their dates.
    func hasData(in ranges: [TallyFetch.Range]) async throws -> Bool {
        try await writer.read { db in
            for range in ranges where !range.units.isEmpty {
                let units = range.units.keys.map(String.init).joined(separator: ",")
                let arguments: StatementArguments = [range.from.description, range.to.description]
                // The survey list lets SQLite use the primary key (survey, grain, unitId, period, …).
                let responses = try Bool.fetchOne(
                    db,
                    sql: """
                        SELECT EXISTS (SELECT 1 FROM tally_unit WHERE survey IN (SELECT survey FROM survey_version)
                            AND grain = 'day' AND unitId IN (\(units)) AND period BETWEEN ? AND ?)
                        """, arguments: arguments)
                let dossiers = try Bool.fetchOne(
                    db,
                    sql:
                        "SELECT EXISTS (SELECT 1 FROM dossier WHERE receivedDate BETWEEN ? AND ? AND unitId IN (\(units)))",
                    arguments: arguments)
                if responses == true || dossiers == true { return true }
            }
            return false
        }
    }
}
