import Foundation
import GRDB
import SipasDomain

/// A flagged response, with its survey and what places it in a breakdown, for taking it out of summed tallies
/// (`excludeFlagged=true`).
struct FlaggedContribution: Sendable {
    /// The group key, exactly as ``AppDatabase/sumTallies(_:)`` groups for the fetch's dimension.
    let group: String
    let survey: String
    let surveyVersion: Int
    let answers: [ValidResponse.Answer]
    let expectations: [String]
    let dossierCode: String?
    /// The dossier, when the response names one that is known.
    let dossier: Dossier?
}

// MARK: - Reading flagged responses

extension AppDatabase {
    /// The flagged responses that the fetch sums (same survey, unit versions, dates and filters), with
    /// their raw answers, so their contributions can be recomputed and subtracted: tallies add up, so the
    /// figures without them are exact. The caller refreshes stale flags first.
    func flaggedContributions(_ fetch: TallyFetch) async throws -> [FlaggedContribution] {
        try await writer.read { db in
            var result: [FlaggedContribution] = []
            for range in fetch.ranges where !range.units.isEmpty {
                var conditions = [
                    "r.survey = ?", "r.submittedDate BETWEEN ? AND ?",
                    "r.unitId IN (\(range.units.keys.map(String.init).joined(separator: ",")))",
                    "r.seq IN (SELECT responseSeq FROM response_flag)",
                ]
                var arguments: [any DatabaseValueConvertible] = [
                    fetch.survey, range.from.description, range.to.description,
                ]
                // The same filters as the tallies, which keep a missing procedure or desk as ''.
                if let version = fetch.surveyVersion {
                    conditions.append("r.surveyVersion = ?"); arguments.append(version)
                }
                // Names match in every spelling (InputText.spellings), as in the tallies' reader.
                func match(_ column: String, _ value: String) {
                    let spellings = InputText.spellings(value)
                    conditions.append(
                        "coalesce(\(column), '') IN (\(spellings.map { _ in "?" }.joined(separator: ",")))")
                    arguments += spellings.map { $0 as any DatabaseValueConvertible }
                }
                if let procedure = fetch.procedure { match("r.procedure", procedure) }
                if let channel = fetch.channel { conditions.append("r.channel = ?"); arguments.append(channel) }
                if let desk = fetch.desk { match("r.desk", desk) }
                let filter = conditions.joined(separator: " AND ")
                let statementArguments = StatementArguments(arguments.map(\.databaseValue))

                var answers: [Int64: [ValidResponse.Answer]] = [:]
                for row in try Row.fetchAll(
                    db,
                    sql:
                        "SELECT a.responseSeq, a.item, a.value FROM response_answer a JOIN response r ON r.seq = a.responseSeq WHERE \(filter)",
                    arguments: statementArguments)
                {
                    answers[row["responseSeq"], default: []].append(.init(item: row["item"], value: row["value"]))
                }
                var expectations: [Int64: [String]] = [:]
                for row in try Row.fetchAll(
                    db,
                    sql:
                        "SELECT e.responseSeq, e.option FROM response_expectation e JOIN response r ON r.seq = e.responseSeq WHERE \(filter)",
                    arguments: statementArguments)
                {
                    expectations[row["responseSeq"], default: []].append(row["option"])
                }
                // The dossier's columns first: `dossier(_:)` reads them by their plain names.
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT d.*, d.code AS knownDossier, r.seq AS responseSeq, r.unitId AS responseUnitId,
                               r.surveyVersion AS responseVersion, coalesce(r.procedure, '') AS responseProcedure,
                               r.channel AS responseChannel, r.submittedDate AS responseDate, r.dossier AS responseDossier
                        FROM response r LEFT JOIN dossier d ON d.code = r.dossier WHERE \(filter)
                        """, arguments: statementArguments)
                for row in rows {
                    let seq: Int64 = row["responseSeq"]
                    let group: String
                    switch fetch.dimension {
                    case .none: group = ""
                    case .unit: group = range.units[row["responseUnitId"] as Int64] ?? ""
                    case .procedure: group = row["responseProcedure"]
                    case .channel: group = row["responseChannel"]
                    case .month: group = String((row["responseDate"] as String).prefix(7))
                    }
                    result.append(
                        FlaggedContribution(
                            group: group, survey: fetch.survey, surveyVersion: row["responseVersion"],
                            answers: (answers[seq] ?? []).sorted { $0.item < $1.item },
                            expectations: (expectations[seq] ?? []).sorted(), dossierCode: row["responseDossier"],
                            dossier: (row["knownDossier"] as String?) == nil ? nil : Self.dossier(row)))
                }
            }
            return result
        }
    }
}

// MARK: - Subtracting

extension IndexService {
    /// The flagged responses the fetch sums, after bringing the flags of the period up to date.
    func flaggedContributions(_ fetch: TallyFetch, request: IndexRequest) async throws -> [FlaggedContribution] {
        try await database.refreshFlags(from: request.from, to: request.to)
        return try await database.flaggedContributions(fetch)
    }

    /// Takes the flagged responses' contributions, recomputed from their raw answers with the definition of
    /// the version they answered, out of the summed sheets; returns how many were taken out.
    func subtract(
        _ flagged: [FlaggedContribution], from sheets: inout [String: TallySheet],
        group: (FlaggedContribution) -> String
    ) -> Int {
        var count = 0
        for response in flagged {
            let key = group(response)
            guard let version = catalog.definition(response.survey, version: response.surveyVersion),
                var sheet = sheets[key]
            else { continue }
            sheet.subtract(
                ResponseContribution.tallies(
                    answers: response.answers, expectations: response.expectations, definition: version))
            // A group left without responses is dropped, as if it never had any.
            sheets[key] = sheet.isEmpty ? nil : sheet
            count += 1
        }
        return count
    }
}

extension Dictionary where Key == TallyKey, Value == Tally {
    /// Takes another sheet's tallies out of this one; keys left with no count are removed, as if never added.
    mutating func subtract(_ other: TallySheet) {
        for (key, tally) in other {
            var left = self[key, default: Tally()]
            left.count -= tally.count
            left.sum -= tally.sum
            left.sumOfSquares -= tally.sumOfSquares
            // Shares are fractions: what the subtraction leaves below rounding noise is zero.
            if abs(left.sum) < 1e-9 { left.sum = 0 }
            if abs(left.sumOfSquares) < 1e-9 { left.sumOfSquares = 0 }
            self[key] = left.count > 0 ? left : nil
        }
    }
}
