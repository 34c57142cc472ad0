import Foundation
import SipasDomain

/// `sipas serve --demo`: a separate data directory seeded once with the sample units, procedures and a year
/// of dossiers (`Deploy/sample/`), a year of generated responses (``DemoResponses``), and a demo official's
/// token for Huyện Lấp Vò, so a newcomer sees a populated dashboard at once.
public enum DemoSetup {
    public static let year = 2024

    /// Seeds the directory if it holds no responses yet; returns the demo token (kept in `demo-token.txt`).
    public static func prepare(
        dataDirectory: String, surveysDirectory: String, sampleDirectory: String, reference: ReferenceData,
        responses: Int = 6_000
    ) async throws -> String {
        let database = try DataDirectory.openDatabase(dataDirectory)
        let tokenFile = (dataDirectory as NSString).appendingPathComponent("demo-token.txt")
        if try await database.responseCount() > 0, let token = try? String(contentsOfFile: tokenFile, encoding: .utf8) {
            return token.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        try await database.publishSurveys(from: surveysDirectory)
        func sample(_ name: String) -> String { (sampleDirectory as NSString).appendingPathComponent(name) }
        _ = try await database.importUnits(UnitsFile.rows(path: sample("units.csv")))
        _ = try await ReferenceImports.procedures(path: sample("procedures.csv"), database: database)
        _ = try await ReferenceImports.dossiers(
            path: sample("dossiers.csv"), database: database, calendar: reference.calendar)
        _ = try await DemoResponses(year: year, seed: 42).seed(count: responses, database: database)
        let token = try await database.addToken(
            role: .official, unit: "875", label: "Demo: Phòng Nội vụ huyện Lấp Vò", now: Date()
        ).key
        try SecureFile.write(token + "\n", to: tokenFile, mode: 0o600)
        return token
    }
}
