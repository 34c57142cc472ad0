import GRDB

extension AppDatabase {
    /// v7: responses flagged by the stuffing signals.
    static func migrateStuffingFlags(_ db: Database) throws {
        // Filled in with the stuffing signals.
    }
}
