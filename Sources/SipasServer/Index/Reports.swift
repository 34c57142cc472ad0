import Foundation
import SipasDomain

/// Reports for the command line, computed in-process by the same service as the API. Whoever can read
/// the data directory can read the database itself, so the command line reads as an admin.
public enum Reports {
    /// Output formats of `sipas report`.
    public enum Format: String, Sendable, CaseIterable {
        case table, json, csv
    }

    /// The satisfaction index of a unit over a period.
    public static func index(
        database: AppDatabase, unit: String, period: Period, survey: String, groupBy: String?,
        format: Format,
        policy: SamplePolicy = .init()
    ) async throws -> String {
        var request = IndexRequest(unit: unit, period: period)
        request.survey = survey
        if let groupBy {
            guard let grouping = Breakdown(rawValue: groupBy) else {
                throw OperatorError("--group-by must be one of \(Breakdown.words)")
            }
            request.groupBy = grouping
        }
        let service = IndexService(
            database: database, catalog: try await database.surveyCatalog(), units: UnitCache(database: database),
            policy: policy)
        let report: IndexReport
        do {
            report = try await service.report(request, reader: .admin)
        } catch {
            throw OperatorError(refusal: error) ?? error
        }
        switch format {
        case .table: return report.table
        case .csv: return report.csv
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(report), as: UTF8.self)
        }
    }

    /// The scorecard service over a database, as the server assembles it.
    static func scorecardService(database: AppDatabase, reference: ReferenceData, policy: SamplePolicy) async throws
        -> ScorecardService
    {
        let units = UnitCache(database: database)
        let index = IndexService(
            database: database, catalog: try await database.surveyCatalog(), units: units, policy: policy)
        return ScorecardService(
            reference: reference,
            timeliness: TimelinessService(
                database: database, units: units, policy: policy, calendar: reference.calendar),
            index: index, database: database)
    }

    /// The scorecard of a unit for a year, as the plan writes it (`text`) or as JSON.
    public static func scorecard(
        database: AppDatabase, reference: ReferenceData, unit: String, year: Int, ruleSet: String?, json: Bool,
        policy: SamplePolicy = .init()
    ) async throws -> String {
        let service = try await scorecardService(database: database, reference: reference, policy: policy)
        let report: ScorecardReport
        do {
            report = try await service.report(
                unit: unit, year: year, ruleSet: ruleSet, reader: .admin, today: LocalDate(Date()))
        } catch {
            throw OperatorError(refusal: error) ?? error
        }
        guard json else { return report.text }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }

    /// Enters the score of a criterion sipas cannot measure (audited as `actor`); returns a line saying what was stored.
    public static func enterScore(
        database: AppDatabase, reference: ReferenceData, unit: String, year: Int, ruleSet: String?, criterion: String,
        points: String,
        evidence: String, actor: String
    ) async throws -> String {
        let service = try await scorecardService(database: database, reference: reference, policy: .init())
        do {
            let entry = try await service.enter(
                unit: unit, year: year, ruleSet: ruleSet, criterion: criterion, points: points, evidence: evidence,
                actor: actor, now: Date())
            let set = try service.ruleSet(ruleSet)
            return
                "\(set.id) / \(criterion), unit \(unit), \(year): \(ScorecardReport.points(entry.points)) điểm (\(entry.evidence))"
        } catch {
            throw OperatorError(refusal: error) ?? error
        }
    }
}
