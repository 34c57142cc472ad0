import Foundation
import SipasDomain

/// sipas's parts made from its settings, the one way `buildApplication` and every command make them: the database of
/// the data directory, the reference files (working calendar, scoring rule sets) and the services over them. A command
/// opens only what it needs, so `sipas verify` reads no reference file.
public struct Assembly: Sendable {
    /// The settings the parts are made from.
    public let configuration: AppConfiguration

    public init(_ configuration: AppConfiguration) {
        self.configuration = configuration
    }

    /// The database of the data directory, created (with the directory) on first use.
    public func openDatabase() throws -> SQLiteDatabase {
        try DataDirectory.openDatabase(configuration.dataDirectory)
    }

    /// The working calendar and the scoring rule sets, checked.
    public func loadReference() throws -> ReferenceData {
        try ReferenceData.load(
            calendarDirectory: configuration.calendarDirectory, scoringDirectory: configuration.scoringDirectory)
    }

    /// The database, the reference files and the services over them, for a command's reports.
    public func services() throws -> AppServices {
        let database = try openDatabase()
        return try services(database: database, reference: try loadReference())
    }

    /// The services over `database`, with the surveys it has published.
    public func services(database: SQLiteDatabase, reference: ReferenceData) throws -> AppServices {
        services(database: database, catalog: try database.surveyCatalog(), reference: reference)
    }

    /// The services over `database` and `catalog` (the server's, just published).
    func services(database: AppDatabase, catalog: SurveyCatalog, reference: ReferenceData) -> AppServices {
        AppServices(configuration: configuration, database: database, catalog: catalog, reference: reference)
    }
}
