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
    /// Registered or re-keyed for enrollment, and no code redeemed since: it holds no usable key yet.
    public var awaitingEnrollment: Bool

    /// What the admin page shows.
    public var status: DeviceStatus {
        if revokedAt != nil { return .revoked }
        return awaitingEnrollment ? .awaitingEnrollment : .active
    }
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

extension SQLiteDatabase {
    /// Registers a device and returns it with its key (the only time the key exists outside the device).
    ///
    /// The desk and label are kept in the one text form (NFC, no control characters): the desk is a filter of
    /// the index, so two spellings of one desk must be one value.
    public func addDevice(
        unit: String, desk: String?, label: String?, now: Date, actor: String = AuditActor.commandLine
    ) throws -> (device: Device, key: String) {
        let key = SecretKey.generate(.device)
        let fields = try DeviceFields(unit: unit, desk: desk, label: label)
        let device = try writer.write { db in try Self.addDevice(db, fields, key: key, now: now, actor: actor) }
        return (device, key)
    }

    /// ``addDevice(unit:desk:label:now:actor:)`` from async code (the demo's generator).
    func addDevice(
        unit: String, desk: String?, label: String?, now: Date, actor: String = AuditActor.commandLine
    ) async throws -> (device: Device, key: String) {
        let key = SecretKey.generate(.device)
        let fields = try DeviceFields(unit: unit, desk: desk, label: label)
        let device = try await writer.write { db in try Self.addDevice(db, fields, key: key, now: now, actor: actor) }
        return (device, key)
    }

    private static func addDevice(_ db: Database, _ fields: DeviceFields, key: String, now: Date, actor: String) throws
        -> Device
    {
        let device = try insertDevice(db, fields, keyHash: SecretKey.hash(key), awaitingEnrollment: false, now: now)
        try audit(db, action: "device.add", actor: actor, detail: fields.description(device.id), now: now)
        return device
    }

    /// Inserts a device inside the caller's transaction; its unit must exist.
    static func insertDevice(
        _ db: Database, _ fields: DeviceFields, keyHash: String, awaitingEnrollment: Bool, now: Date
    ) throws -> Device {
        try requireUnit(fields.unit, db)
        return try Device.fetchOne(
            db,
            sql: """
                INSERT INTO device (keyHash, unit, desk, label, createdAt, awaitingEnrollment) VALUES (?, ?, ?, ?, ?, ?)
                RETURNING *
                """,
            arguments: [keyHash, fields.unit, fields.desk, fields.label, Timestamp.format(now), awaitingEnrollment])!
    }

    /// The stored hash of device `id`'s key (what a request's key is compared with); nil for no such device.
    func keyHash(ofDevice id: Int64) async throws -> String? {
        try await writer.read { db in
            try String.fetchOne(db, sql: "SELECT keyHash FROM device WHERE id = ?", arguments: [id])
        }
    }

    public func devices() throws -> [Device] {
        try writer.read { db in try Device.fetchAll(db, sql: "SELECT * FROM device ORDER BY id") }
    }

    /// Revokes a device at once: its next request gets 401, and its unused enrollment codes are voided. False when
    /// there is no such active device.
    public func revokeDevice(id: Int64, now: Date, actor: String = AuditActor.commandLine) throws -> Bool {
        try writer.write { db in try Self.revoke(db, id: id, now: now, actor: actor) }
    }

    /// ``revokeDevice(id:now:actor:)`` for the server's requests.
    func revokeDevice(id: Int64, now: Date, actor: String) async throws -> Bool {
        try await writer.write { db in try Self.revoke(db, id: id, now: now, actor: actor) }
    }

    private static func revoke(_ db: Database, id: Int64, now: Date, actor: String) throws -> Bool {
        try db.execute(
            sql: "UPDATE device SET revokedAt = ? WHERE id = ? AND revokedAt IS NULL",
            arguments: [Timestamp.format(now), id])
        guard db.changesCount > 0 else { return false }
        let voided = try voidCodes(db, deviceID: id, now: now)
        let codes = voided > 0 ? "; \(voided) unused enrollment code\(voided == 1 ? "" : "s") voided" : ""
        try audit(db, action: "device.revoke", actor: actor, detail: "device \(id)\(codes)", now: now)
        return true
    }

    /// Gives device `id` a new key and returns it; the old key stops working at once. The device stays the
    /// same (its id, unit and desk), so responses it queued before are recognised as its resends. A revoked
    /// device is brought back with the new key (its lost key stays useless), and unused enrollment codes of the
    /// device are voided (they would replace the key given here). Nil when there is no device `id`.
    public func rekeyDevice(id: Int64, now: Date, actor: String = AuditActor.commandLine) throws -> (
        device: Device, key: String
    )? {
        let key = SecretKey.generate(.device)
        let device: Device? = try writer.write { db in
            guard let before = try Device.fetchOne(db, sql: "SELECT * FROM device WHERE id = ?", arguments: [id]) else {
                return nil
            }
            let device = try Device.fetchOne(
                db,
                sql: "UPDATE device SET keyHash = ?, revokedAt = NULL, awaitingEnrollment = 0 WHERE id = ? RETURNING *",
                arguments: [SecretKey.hash(key), id])!
            _ = try Self.voidCodes(db, deviceID: id, now: now)
            let revived = before.revokedAt.map { " (was revoked at \($0))" } ?? ""
            try Self.audit(
                db, action: "device.rekey", actor: actor,
                detail: "device \(id): new key, the old one no longer works\(revived)", now: now)
            return device
        }
        return device.map { ($0, key) }
    }

    /// The active device holding `key`, if any.
    func activeDevice(key: String) async throws -> Device? {
        try await activeDevice(keyHash: SecretKey.hash(key))
    }

    /// The active device holding the key whose stored form is `keyHash`, if any.
    func activeDevice(keyHash: String) async throws -> Device? {
        try await writer.read { db in
            try Device.fetchOne(
                db, sql: "SELECT * FROM device WHERE keyHash = ? AND revokedAt IS NULL AND awaitingEnrollment = 0",
                arguments: [keyHash])
        }
    }

    /// Creates a token and returns it with its secret.
    public func addToken(
        role: AccessToken.Role, unit: String?, label: String, now: Date, actor: String = AuditActor.commandLine
    ) throws -> (token: AccessToken, key: String) {
        let key = SecretKey.generate(.token)
        let (unit, label) = try Self.tokenFields(unit: unit, label: label)
        let token = try writer.write { db in
            try Self.addToken(db, role: role, unit: unit, label: label, key: key, now: now, actor: actor)
        }
        return (token, key)
    }

    /// ``addToken(role:unit:label:now:actor:)`` from async code (the demo's setup).
    func addToken(
        role: AccessToken.Role, unit: String?, label: String, now: Date, actor: String = AuditActor.commandLine
    ) async throws -> (token: AccessToken, key: String) {
        let key = SecretKey.generate(.token)
        let (unit, label) = try Self.tokenFields(unit: unit, label: label)
        let token = try await writer.write { db in
            try Self.addToken(db, role: role, unit: unit, label: label, key: key, now: now, actor: actor)
        }
        return (token, key)
    }

    /// The unit and label as given, in the one text form; the label is required.
    private static func tokenFields(unit: String?, label: String) throws -> (unit: String?, label: String) {
        guard let label = try OperatorError.text(label, option: "--label", maximumLength: InputText.maximumNameLength)
        else {
            throw OperatorError("--label is required")
        }
        return (try OperatorError.text(unit, option: "--unit"), label)
    }

    private static func addToken(
        _ db: Database, role: AccessToken.Role, unit: String?, label: String, key: String, now: Date, actor: String
    ) throws -> AccessToken {
        // The token answers for one version of the unit: the one named (CODE@YYYY-MM-DD), else the one in force now.
        var version: AdministrativeUnit?
        if let unit {
            guard let reference = UnitReference(unit) else {
                throw OperatorError("unit '\(unit)' is not a code or CODE@YYYY-MM-DD")
            }
            try requireUnit(reference.code, db)
            version = UnitDirectory(try fetchUnits(db)).resolve(reference, on: LocalDate(now))
            guard version != nil else {
                throw OperatorError(
                    "unit \(reference.code) has no version starting \(reference.validFrom.map(\.description) ?? "")")
            }
        }
        let token = try AccessToken.fetchOne(
            db,
            sql:
                "INSERT INTO access_token (keyHash, role, unit, unitValidFrom, label, createdAt) VALUES (?, ?, ?, ?, ?, ?) RETURNING *",
            arguments: [
                SecretKey.hash(key), role.rawValue, version?.code, version?.validFrom.description, label,
                Timestamp.format(now),
            ])!
        try audit(
            db, action: "token.add", actor: actor,
            detail: "token \(token.id), \(role.rawValue)\(version.map { ", unit \($0.key)" } ?? "")", now: now)
        return token
    }

    public func tokens() throws -> [AccessToken] {
        try writer.read { db in try AccessToken.fetchAll(db, sql: "SELECT * FROM access_token ORDER BY id") }
    }

    public func revokeToken(id: Int64, now: Date, actor: String = AuditActor.commandLine) throws -> Bool {
        try writer.write { db in
            try db.execute(
                sql: "UPDATE access_token SET revokedAt = ? WHERE id = ? AND revokedAt IS NULL",
                arguments: [Timestamp.format(now), id])
            guard db.changesCount > 0 else { return false }
            try Self.audit(db, action: "token.revoke", actor: actor, detail: "token \(id)", now: now)
            return true
        }
    }

    /// The active token holding `key`, if any.
    func activeToken(key: String) async throws -> AccessToken? {
        try await writer.read { db in
            try AccessToken.fetchOne(
                db, sql: "SELECT * FROM access_token WHERE keyHash = ? AND revokedAt IS NULL",
                arguments: [SecretKey.hash(key)])
        }
    }

    private static func requireUnit(_ code: String, _ db: Database) throws {
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM unit WHERE code = ?)", arguments: [code]) == true
        else {
            throw OperatorError("unit \(code) is not a known unit; import the units file first (sipas units import)")
        }
    }
}

// MARK: - One text form

extension SQLiteDatabase {
    /// v12: desks and labels typed before the one text form (``InputText``) was enforced are rewritten in NFC,
    /// so new responses of a device registered in decomposed form carry the same desk as its neighbours'.
    /// Responses already stored keep their desk as sent: it is part of their chained record.
    static func migrateTextForm(_ db: Database) throws {
        for table in ["device", "access_token"] {
            let columns = table == "device" ? ["desk", "label"] : ["label"]
            for column in columns {
                let rows = try Row.fetchAll(
                    db, sql: "SELECT id, \(column) AS value FROM \(table) WHERE \(column) IS NOT NULL")
                for row in rows {
                    let value: String = row["value"]
                    let normal = value.precomposedStringWithCanonicalMapping
                    // Compared as bytes: Swift's == would call the two forms equal.
                    if Array(normal.utf8) != Array(value.utf8) {
                        try db.execute(
                            sql: "UPDATE \(table) SET \(column) = ? WHERE id = ?",
                            arguments: [normal, row["id"] as Int64])
                    }
                }
            }
        }
    }
}
