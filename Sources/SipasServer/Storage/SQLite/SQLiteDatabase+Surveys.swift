import Foundation
import GRDB
import SipasDomain

// MARK: - Published survey versions

extension SQLiteDatabase {
    /// Publishes the definitions of the survey files that are not stored yet, refuses a file that
    /// changed a published version, and returns every stored version (older ones stay usable).
    func publishSurveys(_ files: [SurveyFile], now: Date) throws -> SurveyCatalog {
        try writer.write { db in try Self.publish(db, files, now: now) }
    }

    /// ``publishSurveys(_:now:)`` from async code (the server's start).
    func publishSurveys(_ files: [SurveyFile], now: Date) async throws -> SurveyCatalog {
        try await writer.write { db in try Self.publish(db, files, now: now) }
    }

    /// Reads the survey files of `directory` and publishes them, as `sipas serve` does at start-up.
    public func publishSurveys(from directory: String) throws {
        _ = try publishSurveys(SurveyFiles.load(from: directory), now: Date())
    }

    /// ``publishSurveys(from:)`` from async code (the demo's setup).
    public func publishSurveys(from directory: String) async throws {
        _ = try await publishSurveys(SurveyFiles.load(from: directory), now: Date())
    }

    /// Every stored survey version.
    func surveyCatalog() throws -> SurveyCatalog {
        try writer.read { db in try Self.catalog(db) }
    }

    /// ``surveyCatalog()`` from async code.
    func surveyCatalog() async throws -> SurveyCatalog {
        try await writer.read { db in try Self.catalog(db) }
    }

    private static func publish(_ db: Database, _ files: [SurveyFile], now: Date) throws -> SurveyCatalog {
        for file in files {
            let stored = try String.fetchOne(
                db, sql: "SELECT digest FROM survey_version WHERE survey = ? AND version = ?",
                arguments: [file.definition.id, file.definition.version])
            switch stored {
            case nil:
                try db.execute(
                    sql:
                        "INSERT INTO survey_version (survey, version, definition, digest, publishedAt) VALUES (?, ?, ?, ?, ?)",
                    arguments: [
                        file.definition.id, file.definition.version, file.canonicalJSON, file.digest,
                        Timestamp.format(now),
                    ])
            case file.digest?:
                continue
            default:
                throw OperatorError(
                    "\(file.path): survey \(file.definition.id) version \(file.definition.version) is already published "
                        + "with different content; published versions are immutable, so raise \"version\" to publish the change"
                )
            }
        }
        return try catalog(db)
    }

    private static func catalog(_ db: Database) throws -> SurveyCatalog {
        let decoder = JSONDecoder()
        var catalog = SurveyCatalog()
        for row in try Row.fetchAll(db, sql: "SELECT survey, version, definition FROM survey_version") {
            let json: String = row["definition"]
            do {
                catalog.add(try decoder.decode(SurveyDefinition.self, from: Data(json.utf8)))
            } catch {
                let survey: String = row["survey"], version: Int = row["version"]
                throw OperatorError("stored survey \(survey) version \(version) cannot be read: \(error)")
            }
        }
        return catalog
    }
}
