import Foundation
import GRDB

/// SQLite is the embedded engine of the storage contract. Most of its methods are GRDB's async reads and writes
/// already; the few written for the command line, which blocks, are given to the server here on threads of their
/// own, not on the few threads that serve requests.
extension SQLiteDatabase: AppDatabase {
    func devices() async throws -> [Device] {
        try await Self.offCooperativePool { try devices() }
    }

    func backup(to path: String, actor: String, replacing: Bool, now: Date) async throws -> BackupSummary {
        try await Self.offCooperativePool { try backup(to: path, actor: actor, replacing: replacing, now: now) }
    }

    func eraseComments(olderThanDays days: Int, now: Date, actor: String) async throws -> CommentErasure {
        try await Self.offCooperativePool { try eraseComments(olderThanDays: days, now: now, actor: actor) }
    }

    /// Runs blocking SQLite work on a thread of its own, not on the few threads that serve requests.
    private static func offCooperativePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .utility).async { continuation.resume(with: Result { try work() }) }
        }
    }
}
