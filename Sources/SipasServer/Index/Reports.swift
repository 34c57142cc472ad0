import Foundation
import SipasDomain

/// Reports over a database opened by the caller (the tests'), made by the same ``Assembly`` and ``AppServices`` as
/// the server's and the commands', with default settings and `policy`. Whoever can read the data directory can read
/// the database itself, so these read as an admin.
public enum Reports {
    /// Output formats of `sipas report`.
    public enum Format: String, Sendable, CaseIterable {
        case table, json, csv
    }

    /// The satisfaction index of a unit over a period (``Assembly/indexReport(database:unit:period:survey:groupBy:format:)``).
    public static func index(
        database: SQLiteDatabase, unit: String, period: Period, survey: String, groupBy: String?, format: Format,
        policy: SamplePolicy = .init()
    ) async throws -> String {
        try await assembly(policy).indexReport(
            database: database, unit: unit, period: period, survey: survey, groupBy: groupBy, format: format)
    }

    /// The scorecard of a unit for a year, as the plan writes it (`text`) or as JSON.
    public static func scorecard(
        database: SQLiteDatabase, reference: ReferenceData, unit: String, year: Int, ruleSet: String?, json: Bool,
        policy: SamplePolicy = .init()
    ) async throws -> String {
        try await assembly(policy).services(database: database, reference: reference).scorecardReport(
            unit: unit, year: year, ruleSet: ruleSet, json: json)
    }

    /// Enters the score of a criterion sipas cannot measure (audited as `actor`); returns a line saying what was stored.
    public static func enterScore(
        database: SQLiteDatabase, reference: ReferenceData, unit: String, year: Int, ruleSet: String?,
        criterion: String,
        points: String, evidence: String, actor: String
    ) async throws -> String {
        try await assembly(.init()).services(database: database, reference: reference).enterScore(
            unit: unit, year: year, ruleSet: ruleSet, criterion: criterion, points: points, evidence: evidence,
            actor: actor)
    }

    private static func assembly(_ policy: SamplePolicy) -> Assembly {
        var configuration = AppConfiguration()
        configuration.samplePolicy = policy
        return Assembly(configuration)
    }
}
