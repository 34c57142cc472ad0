/// One step of the PostgreSQL schema: statements run in order in one transaction, recorded by name in
/// `sipas_migration` in that transaction. As for SQLite, a migration is never edited once released (a change is a new
/// one) and names tables in its SQL, never through the application's types. Statements, not one script: postgres-nio
/// speaks the extended protocol, which takes one statement at a time.
struct PostgresMigration: Sendable {
    /// Unique, e.g. `v1: …`; what `sipas_migration` records.
    let name: String
    /// PostgreSQL statements, one each.
    let statements: [String]
}
