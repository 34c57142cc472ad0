import Foundation
import SipasDomain

/// A flagged response, with its survey and what places it in a breakdown, for taking it out of summed tallies
/// (`excludeFlagged=true`).
struct FlaggedContribution: Sendable {
    /// The group key, exactly as ``AppDatabase/sumTallies(_:)`` groups for the fetch's grouping.
    let group: String
    let survey: String
    let surveyVersion: Int
    let answers: [ValidResponse.Answer]
    let expectations: [String]
    let dossierCode: String?
    /// The dossier, when the response names one that is known.
    let dossier: Dossier?
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
