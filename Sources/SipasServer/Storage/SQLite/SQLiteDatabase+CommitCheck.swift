import GRDB

// MARK: - What a group commit confirms

extension SQLiteDatabase {
    /// What changed of each premise, read in the caller's transaction (the group commit's): nil where it holds.
    ///
    /// Two reads for the whole group, whatever its size: the units revision, and the rows of the group's devices.
    /// A device holds its premise while its row still has the key the request came with, is not revoked or awaiting
    /// enrollment (the very test of ``activeDevice(keyHash:)``), and files its responses under the same unit and
    /// desk; the units hold theirs while the revision is the one the responses were resolved at.
    static func changes(of premises: [CommitPremise], _ db: Database) throws -> [CommitPremise.Change?] {
        let revision = try unitRevision(db)
        let ids = Array(Set(premises.compactMap { $0.device?.device.id }))
        var rows: [Int64: (device: Device, keyHash: String)] = [:]
        if !ids.isEmpty {
            for row in try Row.fetchAll(
                db, sql: "SELECT * FROM device WHERE id IN (\(databaseQuestionMarks(count: ids.count)))",
                arguments: StatementArguments(ids))
            {
                let device = try Device(row: row)
                rows[device.id] = (device, row["keyHash"])
            }
        }
        return premises.map { premise in
            var changed: Device?
            if let claimed = premise.device {
                guard let row = rows[claimed.device.id], row.keyHash == claimed.keyHash,
                    row.device.revokedAt == nil, !row.device.awaitingEnrollment
                else { return .keyRefused }
                let now = row.device
                // Compared as bytes: Swift's == would call two spellings of one desk equal, and the stored
                // response keeps the spelling it was filed with.
                if !sameText(now.unit, claimed.device.unit) || !sameText(now.desk, claimed.device.desk) {
                    changed = now
                }
            }
            let units = premise.unitRevision != revision
            return changed == nil && !units ? nil : .outdated(device: changed, units: units)
        }
    }
}

/// The same text, byte for byte (or both absent).
private func sameText(_ a: String?, _ b: String?) -> Bool {
    switch (a, b) {
    case (nil, nil): true
    case (let a?, let b?): a.utf8.elementsEqual(b.utf8)
    default: false
    }
}
