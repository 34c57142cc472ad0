import Synchronization
import SipasDomain

/// The units as last read, shared by every request; reloaded only when an import (possibly by another
/// process, such as `sipas units import` while the server runs) bumped the units revision.
final class UnitCache: Sendable {
    private let database: AppDatabase
    private let snapshot = Mutex<UnitSnapshot?>(nil)

    init(database: AppDatabase) {
        self.database = database
    }

    /// The current units: one small read to check the revision, a full read only after a change.
    func current() async throws -> UnitSnapshot {
        let revision = try await database.unitRevision()
        if let cached = snapshot.withLock({ $0 }), cached.revision == revision { return cached }
        let fresh = try await database.unitSnapshot()
        snapshot.withLock { $0 = fresh }
        return fresh
    }

    /// The units as last read, without reading anything (but the first time): only for the response intake, whose
    /// group commit confirms the revision inside its transaction (``CommitPremise``) and which calls ``current()``
    /// before any answer it gives without a commit. Every other reader takes ``current()``.
    func cached() async throws -> UnitSnapshot {
        if let cached = snapshot.withLock({ $0 }) { return cached }
        return try await current()
    }
}
