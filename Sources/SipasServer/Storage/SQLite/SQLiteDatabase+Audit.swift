import Foundation
import GRDB
import SipasDomain

/// One administrative action, as the audit log keeps it.
public struct AuditEntry: Sendable, Codable, Hashable, FetchableRecord {
    // Read by its coding keys: each column is named once, by its property.
    public let id: Int64
    public let at: String
    /// e.g. `device.add`, `token.revoke`, `units.import`, `restore`, `comments.erase`.
    public let action: String
    /// Who did it: `cli` (the operator at the server's console), `admin token 3`, `server` (scheduled work).
    public let actor: String
    /// What it touched, without secrets or personal data.
    public let detail: String
}

/// Who did an action, as the audit log names it.
public enum AuditActor {
    /// The operator at the server's console, by login name (commands run as the `sipas` user show that).
    public static var commandLine: String { "cli:\(ProcessInfo.processInfo.userName)" }
    /// Scheduled work of the running server (backups, retention).
    public static let server = "server"

    /// An admin acting through the web pages, by the id of the token the session was opened with (labels change
    /// and repeat; the id names one token for good).
    public static func adminToken(_ id: Int64) -> String { "admin token \(id)" }
}

extension SQLiteDatabase {
    /// v8: the audit log of administrative actions; rows are only ever added.
    static func migrateAuditLog(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE audit_log (
                    id INTEGER PRIMARY KEY,
                    at TEXT NOT NULL,
                    action TEXT NOT NULL CHECK (action <> ''),
                    actor TEXT NOT NULL CHECK (actor <> ''),
                    detail TEXT NOT NULL
                ) STRICT;
                CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                """)
    }

    /// Records an action inside the caller's transaction, so the action and its record commit together.
    static func audit(_ db: Database, action: String, actor: String, detail: String, now: Date = Date()) throws {
        try db.execute(
            sql: "INSERT INTO audit_log (at, action, actor, detail) VALUES (?, ?, ?, ?)",
            arguments: [Timestamp.format(now), action, actor, detail])
    }

    /// Records an action in a transaction of its own.
    public func audit(action: String, actor: String, detail: String, now: Date = Date()) throws {
        try writer.write { db in try Self.audit(db, action: action, actor: actor, detail: detail, now: now) }
    }

    /// ``audit(action:actor:detail:now:)`` from async code, which must not block its thread on the writer.
    func audit(action: String, actor: String, detail: String, now: Date = Date()) async throws {
        try await writer.write { db in try Self.audit(db, action: action, actor: actor, detail: detail, now: now) }
    }

    /// The most recent entries first, optionally only since a time (RFC 3339 text as stored).
    public func auditEntries(since: String? = nil, limit: Int = 1_000) throws -> [AuditEntry] {
        try writer.read { db in try Self.auditEntries(db, since: since, limit: limit) }
    }

    /// ``auditEntries(since:limit:)`` for the server's requests (`GET /v1/audit`).
    func auditEntries(since: String? = nil, limit: Int = 1_000) async throws -> [AuditEntry] {
        try await writer.read { db in try Self.auditEntries(db, since: since, limit: limit) }
    }

    private static func auditEntries(_ db: Database, since: String?, limit: Int) throws -> [AuditEntry] {
        try AuditEntry.fetchAll(
            db, sql: "SELECT * FROM audit_log WHERE at >= ? ORDER BY id DESC LIMIT ?", arguments: [since ?? "", limit])
    }
}
