import Foundation
import GRDB
import SipasDomain

// MARK: - Schema

extension SQLiteDatabase {
    /// v13: one-time enrollment codes, and what the admin page of devices reads.
    static func migrateEnrollmentCodes(_ db: Database) throws {
        try db.execute(
            sql: """
                -- A device registered or re-keyed for enrollment holds the hash of a random key that no one has,
                -- until a code is redeemed: this says it waits for one (the hash alone cannot tell).
                ALTER TABLE device ADD COLUMN awaitingEnrollment INTEGER NOT NULL DEFAULT 0
                    CHECK (awaitingEnrollment IN (0, 1));

                -- Only the SHA-256 of a code is kept, as for keys. A code is used at most once: redeeming sets
                -- usedAt in one UPDATE … WHERE usedAt IS NULL, and a used or voided code never comes back.
                CREATE TABLE enrollment_code (
                    id INTEGER PRIMARY KEY,
                    codeHash TEXT NOT NULL UNIQUE CHECK (length(codeHash) = 64),
                    deviceId INTEGER NOT NULL REFERENCES device (id),
                    issuedBy TEXT NOT NULL CHECK (issuedBy <> ''),
                    createdAt TEXT NOT NULL,
                    expiresAt TEXT NOT NULL CHECK (expiresAt > createdAt),
                    usedAt TEXT CHECK (usedAt IS NULL OR usedAt >= createdAt),
                    -- Set when a newer code, a new key or a revocation makes the code useless before its time.
                    voidedAt TEXT CHECK (voidedAt IS NULL OR voidedAt >= createdAt),
                    CHECK (usedAt IS NULL OR voidedAt IS NULL)
                ) STRICT;
                CREATE INDEX enrollment_code_open ON enrollment_code (deviceId)
                    WHERE usedAt IS NULL AND voidedAt IS NULL;

                -- The admin page's "last seen" (latest receivedAt) and "this month" count of each device, exact and
                -- read from this index alone: a seek, and a range over the month's rows.
                CREATE INDEX response_by_device_received ON response (deviceId, receivedAt) WHERE deviceId IS NOT NULL;
                """)
    }
}

// MARK: - Issuing codes

extension SQLiteDatabase {
    /// Registers a device without a usable key and issues its first enrollment code: the key is made only when
    /// the code is redeemed, and given only to the device that redeems it.
    public func addDeviceForEnrollment(
        unit: String, desk: String?, label: String?, now: Date, actor: String = AuditActor.commandLine
    ) throws -> IssuedEnrollment {
        let fields = try DeviceFields(unit: unit, desk: desk, label: label)
        return try writer.write { db in try Self.addForEnrollment(db, fields, now: now, actor: actor) }
    }

    /// ``addDeviceForEnrollment(unit:desk:label:now:actor:)`` for the server's requests.
    func addDeviceForEnrollment(unit: String, desk: String?, label: String?, now: Date, actor: String) async throws
        -> IssuedEnrollment
    {
        let fields = try DeviceFields(unit: unit, desk: desk, label: label)
        return try await writer.write { db in try Self.addForEnrollment(db, fields, now: now, actor: actor) }
    }

    /// Replaces device `id`'s key with one no one holds (the old key stops at once, as `rekeyDevice` does) and
    /// issues a code that gives it a new key. A revoked device comes back, awaiting enrollment. Nil when there is
    /// no device `id`.
    public func rekeyDeviceForEnrollment(id: Int64, now: Date, actor: String = AuditActor.commandLine) throws
        -> IssuedEnrollment?
    {
        try writer.write { db in try Self.rekeyForEnrollment(db, id: id, now: now, actor: actor) }
    }

    /// ``rekeyDeviceForEnrollment(id:now:actor:)`` for the server's requests.
    func rekeyDeviceForEnrollment(id: Int64, now: Date, actor: String) async throws -> IssuedEnrollment? {
        try await writer.write { db in try Self.rekeyForEnrollment(db, id: id, now: now, actor: actor) }
    }

    private static func addForEnrollment(_ db: Database, _ fields: DeviceFields, now: Date, actor: String) throws
        -> IssuedEnrollment
    {
        let device = try insertDevice(
            db, fields, keyHash: SecretKey.hash(SecretKey.generate(.device)), awaitingEnrollment: true, now: now)
        try audit(
            db, action: "device.add", actor: actor, detail: "\(fields.description(device.id)), awaiting enrollment",
            now: now)
        return try issueCode(db, for: device, actor: actor, now: now)
    }

    private static func rekeyForEnrollment(_ db: Database, id: Int64, now: Date, actor: String) throws
        -> IssuedEnrollment?
    {
        guard let before = try Device.fetchOne(db, sql: "SELECT * FROM device WHERE id = ?", arguments: [id]) else {
            return nil
        }
        // The hash of a key that is thrown away: nothing can sign in with it.
        let device = try Device.fetchOne(
            db, sql: "UPDATE device SET keyHash = ?, revokedAt = NULL, awaitingEnrollment = 1 WHERE id = ? RETURNING *",
            arguments: [SecretKey.hash(SecretKey.generate(.device)), id])!
        let revived = before.revokedAt.map { " (was revoked at \($0))" } ?? ""
        try audit(
            db, action: "device.rekey", actor: actor,
            detail: "device \(id): key replaced, the old one no longer works; awaiting enrollment\(revived)", now: now)
        return try issueCode(db, for: device, actor: actor, now: now)
    }

    /// Voids the device's open codes, then stores a new one, inside the caller's transaction.
    private static func issueCode(_ db: Database, for device: Device, actor: String, now: Date) throws
        -> IssuedEnrollment
    {
        let voided = try voidCodes(db, deviceID: device.id, now: now)
        let expiresAt = now.addingTimeInterval(IssuedEnrollment.lifetime)
        // Two codes with the same 40 bits are rare but possible over the years: the UNIQUE index refuses the
        // second, and another code is drawn.
        var attempt = 0
        while true {
            attempt += 1
            let code = EnrollmentCode.generate()
            do {
                try db.execute(
                    sql: """
                        INSERT INTO enrollment_code (codeHash, deviceId, issuedBy, createdAt, expiresAt)
                        VALUES (?, ?, ?, ?, ?)
                        """,
                    arguments: [code.hash, device.id, actor, Timestamp.format(now), Timestamp.format(expiresAt)])
            } catch let error as DatabaseError
                where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE && attempt < 8
            {
                continue
            }
            let replaced = voided > 0 ? "; \(voided) older unused code\(voided == 1 ? "" : "s") voided" : ""
            let until = Timestamp.format(expiresAt)
            try audit(
                db, action: "device.enroll.code", actor: actor,
                detail: "device \(device.id): enrollment code issued, valid until \(until)\(replaced)", now: now)
            return IssuedEnrollment(code: code, device: device, expiresAt: expiresAt)
        }
    }

    /// Voids device `deviceID`'s codes still usable; returns how many. Expired ones stay as they are (expired).
    static func voidCodes(_ db: Database, deviceID: Int64, now: Date) throws -> Int {
        let time = Timestamp.format(now)
        try db.execute(
            sql: """
                UPDATE enrollment_code SET voidedAt = ?
                WHERE deviceId = ? AND usedAt IS NULL AND voidedAt IS NULL AND expiresAt > ?
                """, arguments: [time, deviceID, time])
        return db.changesCount
    }
}

// MARK: - Redeeming codes

extension SQLiteDatabase {
    /// Redeems a code: the device gets a fresh key, returned here and nowhere else, and its previous key (if any)
    /// stops working. Throws ``EnrollmentRefusal`` for a code that is unknown, expired, used or voided.
    ///
    /// "Used once" is one UPDATE … WHERE usedAt IS NULL AND expiresAt > now inside the transaction: of two
    /// simultaneous redemptions, the second finds no row to change, whatever either read before.
    /// - Parameter via: how it was redeemed, for the audit log (`the web page`, `POST /v1/enroll`).
    func redeemEnrollmentCode(_ code: EnrollmentCode, via: String, now: Date) async throws -> (
        device: Device, key: String
    ) {
        // Guesses (unknown codes, anyone may send them) are answered from a reader, so they never queue on the
        // one writer the responses' commits need. This read only filters: the UPDATE below decides.
        _ = try await enrollmentTarget(code, now: now)
        let key = SecretKey.generate(.device)
        let device = try await writer.write { db -> Device in
            let time = Timestamp.format(now)
            guard
                let claimed = try Row.fetchOne(
                    db,
                    sql: """
                        UPDATE enrollment_code SET usedAt = ?
                        WHERE codeHash = ? AND usedAt IS NULL AND voidedAt IS NULL AND expiresAt > ?
                        RETURNING deviceId, issuedBy
                        """, arguments: [time, code.hash, time])
            else { throw try Self.refusal(db, code: code) }
            let deviceID: Int64 = claimed["deviceId"]
            let issuer: String = claimed["issuedBy"]
            // Revoking voids the device's codes, so a claimed code's device is never revoked; if it were, the
            // error rolls the claim back rather than bringing the device back.
            guard
                let device = try Device.fetchOne(
                    db,
                    sql: """
                        UPDATE device SET keyHash = ?, awaitingEnrollment = 0 WHERE id = ? AND revokedAt IS NULL
                        RETURNING *
                        """,
                    arguments: [SecretKey.hash(key), deviceID])
            else { throw EnrollmentRefusal.voided }
            try Self.audit(
                db, action: "device.enroll", actor: "device \(deviceID)",
                detail:
                    "device \(deviceID) enrolled through \(via) with the code issued by \(issuer); it has a new key",
                now: now)
            return device
        }
        return (device, key)
    }

    /// The device a code would enroll, for the page that asks to confirm; reads only, so opening the link uses
    /// nothing up. Throws ``EnrollmentRefusal`` as redeeming would.
    func enrollmentTarget(_ code: EnrollmentCode, now: Date) async throws -> Device {
        try await writer.read { db in
            guard
                let device = try Device.fetchOne(
                    db,
                    sql: """
                        SELECT d.* FROM enrollment_code c JOIN device d ON d.id = c.deviceId
                        WHERE c.codeHash = ? AND c.usedAt IS NULL AND c.voidedAt IS NULL AND c.expiresAt > ?
                        """, arguments: [code.hash, Timestamp.format(now)])
            else { throw try Self.refusal(db, code: code) }
            return device
        }
    }

    /// Why a code did not match a usable one.
    private static func refusal(_ db: Database, code: EnrollmentCode) throws -> EnrollmentRefusal {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT usedAt, voidedAt FROM enrollment_code WHERE codeHash = ?", arguments: [code.hash])
        else { return .unknown }
        if (row["usedAt"] as String?) != nil { return .used }
        if (row["voidedAt"] as String?) != nil { return .voided }
        return .expired
    }
}

// MARK: - The admin page

extension SQLiteDatabase {
    /// Every device with its last response's arrival and its count of responses received in the calendar month of
    /// `now` (Vietnam time, UTC+7: a response received at 00:30 on the 1st counts in the new month). Both come from
    /// the index on (deviceId, receivedAt), so the page costs a seek and a short range a device.
    func deviceOverview(now: Date) async throws -> [DeviceOverview] {
        let today = LocalDate(now)
        let first = LocalDate(year: today.year, month: today.month, day: 1)!
        let next =
            today.month == 12
            ? LocalDate(year: today.year + 1, month: 1, day: 1)!
            : LocalDate(year: today.year, month: today.month + 1, day: 1)!
        let arguments: StatementArguments = [
            Timestamp.format(first.startOfDay), Timestamp.format(next.startOfDay), Timestamp.format(now),
        ]
        return try await writer.read { db in
            try DeviceOverview.fetchAll(
                db,
                sql: """
                    SELECT d.*,
                        (SELECT max(r.receivedAt) FROM response r WHERE r.deviceId = d.id) AS lastSeenAt,
                        (SELECT count(*) FROM response r
                            WHERE r.deviceId = d.id AND r.receivedAt >= ?1 AND r.receivedAt < ?2)
                            AS thisMonth,
                        (SELECT max(c.expiresAt) FROM enrollment_code c
                            WHERE c.deviceId = d.id AND c.usedAt IS NULL AND c.voidedAt IS NULL AND c.expiresAt > ?3)
                            AS openCodeExpiresAt
                    FROM device d ORDER BY d.id
                    """, arguments: arguments)
        }
    }
}
