import GRDB

extension AppDatabase {
    /// v6: the hash chain over accepted responses.
    static func migrateResponseChain(_ db: Database) throws {
        // Filled in with the chain.
    }
}
