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

extension AppDatabase {
    func createTicket(unit: String, procedure: String?, dossier: String, now: Date, lifetime: TimeInterval) async throws -> Ticket {
        let id = SecretKey.randomToken()
        let expires = Timestamp.format(now.addingTimeInterval(lifetime))
        try await writer.write { db in
            try db.execute(
                sql: "INSERT INTO ticket (id, unit, procedure, dossier, createdAt, expiresAt) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [id, unit, procedure, dossier, Timestamp.format(now), expires])
        }
        return Ticket(id: id, unit: unit, procedure: procedure, dossier: dossier, expiresAt: expires, responseID: nil)
    }

    func ticket(_ id: String) async throws -> Ticket? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM ticket WHERE id = ?", arguments: [id]).map {
                Ticket(id: $0["id"], unit: $0["unit"], procedure: $0["procedure"], dossier: $0["dossier"], expiresAt: $0["expiresAt"], responseID: $0["responseId"])
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
                arguments: [SecretKey.hash(id), token.id, csrf, Timestamp.format(now), Timestamp.format(now.addingTimeInterval(lifetime))])
        }
        return (id, csrf)
    }

    /// The token and CSRF secret behind a live session; nil once it expired or its token was revoked.
    func session(_ id: String, now: Date) async throws -> (token: AccessToken, csrf: String)? {
        try await writer.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT s.csrf, t.* FROM web_session s JOIN access_token t ON t.id = s.tokenId
                WHERE s.id = ? AND s.expiresAt > ? AND t.revokedAt IS NULL
                """, arguments: [SecretKey.hash(id), Timestamp.format(now)])
            else { return nil }
            return (try AccessToken(row: row), row["csrf"])
        }
    }

    func closeSession(_ id: String) async throws {
        try await writer.write { db in try db.execute(sql: "DELETE FROM web_session WHERE id = ?", arguments: [SecretKey.hash(id)]) }
    }
}
