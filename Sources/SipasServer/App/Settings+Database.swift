/// The database settings: none for the SQLite file in the data directory, a `postgres://` URL for PostgreSQL.
extension Settings {
    /// A PostgreSQL database instead of the data directory's SQLite file; its password is never part of it.
    public static let database = Setting<String?>(
        "database", default: nil, flag: "database",
        help: """
            PostgreSQL database instead of the SQLite file in the data directory: postgres://USER@HOST[:PORT]/DATABASE \
            [?sslmode=disable|prefer|require|verify-full[&sslrootcert=FILE]], without a password.
            """,
        problem: { $0.flatMap(PostgresSettings.problem(url:)) })
    /// The file holding the password of the PostgreSQL user (else `PGPASSWORD`, if set).
    public static let databasePasswordFile = Setting<String?>(
        "databasePasswordFile", default: nil, flag: "database-password-file",
        help: "File holding the PostgreSQL user's password (default: PGPASSWORD, if set).")
}
