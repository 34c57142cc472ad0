import Foundation
import GRDB
import SipasDomain

/// A registered desk tablet or kiosk.
public struct Device: Codable, Sendable, Hashable, FetchableRecord {
    public var id: Int64
    public var unit: String
    public var desk: String?
    public var label: String?
    public var createdAt: String
    public var revokedAt: String?
}

/// An official's, admin's or integration's bearer token.
public struct AccessToken: Codable, Sendable, Hashable, FetchableRecord {
    /// What the token may do.
    public enum Role: String, Codable, Sendable, CaseIterable {
        /// Everything, every unit.
        case admin
        /// Read the figures of one unit and everything under it.
        case official
        /// Push dossiers for one unit subtree (the TTHC information system).
        case integration
    }

    public var id: Int64
    public var role: Role
    public var unit: String?
    /// The start of the unit version the token was issued for; nil for tokens issued before versions were recorded
    /// (they mean the version in force when they were created).
    public var unitValidFrom: String?
    public var label: String
    public var createdAt: String
    public var revokedAt: String?

    /// The unit version the token answers for, `CODE@YYYY-MM-DD`; the bare code for a token of an unknown version.
    public var unitReference: String? {
        guard let unit else { return nil }
        return unitValidFrom.map { "\(unit)@\($0)" } ?? unit
    }
}

// MARK: - Devices and tokens

extension AppDatabase {
    /// Registers a device and returns it with its key (the only time the key exists outside the device).
    public func addDevice(unit: String, desk: String?, label: String?, now: Date, actor: String = AuditActor.commandLine) throws -> (device: Device, key: String) {
        let key = SecretKey.generate(.device)
        let device = try writer.write { db in
            try Self.requireUnit(unit, db)
            let device = try Device.fetchOne(
                db,
                sql: "INSERT INTO device (keyHash, unit, desk, label, createdAt) VALUES (?, ?, ?, ?, ?) RETURNING *",
                arguments: [SecretKey.hash(key), unit, desk, label, Timestamp.format(now)])!
            try Self.audit(db, action: "device.add", actor: actor, detail: "device \(device.id), unit \(unit)\(desk.map { ", desk \($0)" } ?? "")", now: now)
            return device
        }
        return (device, key)
    }

    public func devices() throws -> [Device] {
        try writer.read { db in try Device.fetchAll(db, sql: "SELECT * FROM device ORDER BY id") }
    }

    /// Revokes a device at once: its next request gets 401. False when there is no such active device.
    public func revokeDevice(id: Int64, now: Date, actor: String = AuditActor.commandLine) throws -> Bool {
        try writer.write { db in
            try db.execute(sql: "UPDATE device SET revokedAt = ? WHERE id = ? AND revokedAt IS NULL", arguments: [Timestamp.format(now), id])
            guard db.changesCount > 0 else { return false }
            try Self.audit(db, action: "device.revoke", actor: actor, detail: "device \(id)", now: now)
            return true
        }
    }

    /// The active device holding `key`, if any.
    func activeDevice(key: String) async throws -> Device? {
        try await writer.read { db in
            try Device.fetchOne(db, sql: "SELECT * FROM device WHERE keyHash = ? AND revokedAt IS NULL", arguments: [SecretKey.hash(key)])
        }
    }

    /// Creates a token and returns it with its secret.
    public func addToken(
        role: AccessToken.Role, unit: String?, label: String, now: Date, actor: String = AuditActor.commandLine
    ) throws -> (token: AccessToken, key: String) {
        let key = SecretKey.generate(.token)
        let token = try writer.write { db in
            // The token answers for one version of the unit: the one named (CODE@YYYY-MM-DD), else the one in force now.
            var version: AdministrativeUnit?
            if let unit {
                guard let reference = UnitReference(unit) else { throw OperatorError("unit '\(unit)' is not a code or CODE@YYYY-MM-DD") }
                try Self.requireUnit(reference.code, db)
                version = UnitDirectory(try Self.fetchUnits(db)).resolve(reference, on: LocalDate(now))
                guard version != nil else { throw OperatorError("unit \(reference.code) has no version starting \(reference.validFrom.map(\.description) ?? "")") }
            }
            let token = try AccessToken.fetchOne(
                db,
                sql: "INSERT INTO access_token (keyHash, role, unit, unitValidFrom, label, createdAt) VALUES (?, ?, ?, ?, ?, ?) RETURNING *",
                arguments: [SecretKey.hash(key), role.rawValue, version?.code, version?.validFrom.description, label, Timestamp.format(now)])!
            try Self.audit(
                db, action: "token.add", actor: actor, detail: "token \(token.id), \(role.rawValue)\(version.map { ", unit \($0.key)" } ?? "")", now: now)
            return token
        }
        return (token, key)
    }

    public func tokens() throws -> [AccessToken] {
        try writer.read { db in try AccessToken.fetchAll(db, sql: "SELECT * FROM access_token ORDER BY id") }
    }

    public func revokeToken(id: Int64, now: Date, actor: String = AuditActor.commandLine) throws -> Bool {
        try writer.write { db in
            try db.execute(sql: "UPDATE access_token SET revokedAt = ? WHERE id = ? AND revokedAt IS NULL", arguments: [Timestamp.format(now), id])
            guard db.changesCount > 0 else { return false }
            try Self.audit(db, action: "token.revoke", actor: actor, detail: "token \(id)", now: now)
            return true
        }
    }

    /// The active token holding `key`, if any.
    func activeToken(key: String) async throws -> AccessToken? {
        try await writer.read { db in
            try AccessToken.fetchOne(
                db, sql: "SELECT * FROM access_token WHERE keyHash = ? AND revokedAt IS NULL", arguments: [SecretKey.hash(key)])
        }
    }

    private static func requireUnit(_ code: String, _ db: Database) throws {
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM unit WHERE code = ?)", arguments: [code]) == true else {
            throw OperatorError("unit \(code) is not a known unit; import the units file first (sipas units import)")
        }
    }
}
