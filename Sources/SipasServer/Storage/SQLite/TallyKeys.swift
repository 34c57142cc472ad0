import GRDB
import SipasDomain
import Synchronization

/// The tally keys (`i:a1:5`, `s:a1`, `e:access`, `o`, `x:…`) by their row id in `tally_key`, which the stored
/// ``TallyVector``s use instead of the text. Ids are only ever added, never changed or removed, so what this
/// process has read stays true; an id it has not seen is read from the table again (another process, such as
/// `sipas demo seed`, may have added it).
final class TallyKeys: Sendable {
    private struct State {
        var ids: [TallyKey: Int64] = [:]
        /// nil for a key text this release cannot read (a later release's key is left out, not misread).
        var keys: [Int64: TallyKey?] = [:]
    }

    private let state = Mutex(State())

    /// The id of each key of `sheets`, adding the keys not yet in the table.
    ///
    /// Call it at the top level of the writing transaction, never inside a savepoint that may roll back alone: an
    /// id remembered here must be committed with the transaction. A rolled-back transaction forgets what it
    /// added.
    func intern(_ keys: some Sequence<TallyKey>, _ db: Database) throws {
        let known = state.withLock { $0.ids }
        let missing = Set(keys).filter { known[$0] == nil }
        guard !missing.isEmpty else { return }
        let insert = try db.cachedStatement(sql: "INSERT INTO tally_key (key) VALUES (?) ON CONFLICT (key) DO NOTHING")
        let select = try db.cachedStatement(sql: "SELECT id FROM tally_key WHERE key = ?")
        var found: [TallyKey: Int64] = [:]
        for key in missing {
            try insert.execute(arguments: [key.description])
            guard let id = try Int64.fetchOne(select, arguments: [key.description]) else {
                throw DatabaseError(resultCode: .SQLITE_INTERNAL, message: "tally key \(key) was not stored")
            }
            found[key] = id
        }
        state.withLock { state in
            for (key, id) in found {
                state.ids[key] = id
                state.keys[id] = key
            }
        }
        db.afterNextTransaction(onCommit: { _ in }, onRollback: { [weak self] _ in self?.forget() })
    }

    /// The vector of a sheet whose keys were interned (``intern(_:_:)``) in this transaction.
    func vector(_ sheet: TallySheet) throws -> TallyVector {
        let ids = state.withLock { $0.ids }
        return TallyVector(
            try sheet.map { key, tally in
                guard let id = ids[key] else {
                    throw DatabaseError(resultCode: .SQLITE_INTERNAL, message: "tally key \(key) was not interned")
                }
                return TallyVector.Entry(key: id, tally: tally)
            })
    }

    /// The sheet of a stored vector; reads the table again for ids this process has not seen.
    func sheet(_ vector: TallyVector, _ db: Database) throws -> TallySheet {
        var keys = state.withLock { $0.keys }
        if vector.entries.contains(where: { keys[$0.key] == nil }) {
            try reload(db)
            keys = state.withLock { $0.keys }
        }
        var sheet: TallySheet = [:]
        for entry in vector.entries {
            guard case .some(.some(let key)) = keys[entry.key] else {
                guard keys[entry.key] != nil else {
                    throw DatabaseError(
                        resultCode: .SQLITE_CORRUPT,
                        message: "a stored tally names key id \(entry.key), not in tally_key")
                }
                continue
            }
            sheet[key, default: Tally()] += entry.tally
        }
        return sheet
    }

    private func reload(_ db: Database) throws {
        var ids: [TallyKey: Int64] = [:]
        var keys: [Int64: TallyKey?] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT id, key FROM tally_key")
        while let row = try rows.next() {
            let id: Int64 = row[0]
            let key = TallyKey(row[1] as String)
            keys[id] = .some(key)
            if let key { ids[key] = id }
        }
        state.withLock { $0 = State(ids: ids, keys: keys) }
    }

    private func forget() {
        state.withLock { $0 = State() }
    }
}
