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

/// The flagged responses' tallies summed per group, and how many responses they are
/// (``AppDatabase/sumFlagged(_:page:_:)``).
struct FlaggedSums: Sendable, Equatable {
    var sheets: [String: TallySheet] = [:]
    var count = 0
}

// MARK: - Subtracting

extension IndexService {
    /// The flagged responses the fetch sums, each recomputed from its raw answers with the definition of the version
    /// it answered and added up per group (`group` names it; nil leaves the response out), after bringing the flags
    /// of the period up to date.
    func flaggedSums(
        _ fetch: TallyFetch, request: IndexRequest, group: @escaping @Sendable (FlaggedContribution) -> String?
    ) async throws -> FlaggedSums {
        try await database.refreshFlags(from: request.from, to: request.to)
        let catalog = catalog
        return try await database.sumFlagged(fetch) { response in
            guard let key = group(response),
                let version = catalog.definition(response.survey, version: response.surveyVersion)
            else { return nil }
            return (
                key,
                ResponseContribution.tallies(
                    answers: response.answers, expectations: response.expectations, definition: version)
            )
        }
    }

    /// Takes the flagged sums out of the summed sheets; a group left without responses is dropped, as if it never
    /// had any.
    func subtract(_ flagged: FlaggedSums, from sheets: inout [String: TallySheet]) {
        for (key, part) in flagged.sheets {
            guard var sheet = sheets[key] else { continue }
            sheet.subtract(part)
            sheets[key] = sheet.isEmpty ? nil : sheet
        }
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
