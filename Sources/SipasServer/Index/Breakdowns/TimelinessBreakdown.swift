import Foundation
import SipasDomain

extension Breakdown {
    /// By the outcome of the dossier each response names (`groupBy=timeliness`): early, on time, late… as of today.
    static let timeliness = Breakdown(name: "timeliness", grouping: .none, sharesRespondents: true) { context in
        try await context.service.outcomeGroups(
            context.request, definitions: context.definitions, scope: context.scope, snapshot: context.snapshot)
    }
}

extension IndexService {
    /// Satisfaction by the outcome of the dossier each response names, read from the responses themselves
    /// (an outcome changes after the response is given, so it cannot be aggregated in advance).
    func outcomeGroups(
        _ request: IndexRequest, definitions: [SurveyDefinition], scope: UnitScope, snapshot: UnitSnapshot
    ) async throws -> [IndexReport.Group] {
        let today = LocalDate(now())
        @Sendable func outcome(_ dossier: Dossier?) -> String {
            dossier.map { DossierOutcome.classify($0, asOf: today).rawValue } ?? "unknownDossier"
        }
        // The responses naming a dossier, with the request's filters, as the total's sums; so the flagged ones.
        var fetch = TallyFetch(survey: request.survey)
        fetch.surveyVersion = request.surveyVersion
        fetch.procedure = request.procedure
        fetch.channel = request.channel?.rawValue
        fetch.desk = request.desk
        fetch.ranges = UnitAccess.ranges(scope, snapshot: snapshot)
        // Keyed "outcome|version", so each version's part is computed with its own definition.
        let flagged =
            request.excludeFlagged
            ? try await flaggedSums(fetch, request: request) { response in
                response.dossierCode == nil ? nil : "\(outcome(response.dossier))|\(response.surveyVersion)"
            } : nil
        var sheets: [String: TallySheet] = [:]
        let counted = Set(definitions.map(\.version))
        for response in try await database.responsesNamingDossiers(fetch)
        where counted.contains(response.surveyVersion) {
            guard let version = catalog.definition(request.survey, version: response.surveyVersion) else { continue }
            let tallies = ResponseContribution.tallies(
                answers: response.answers, expectations: response.expectations, definition: version)
            sheets["\(outcome(response.dossier))|\(response.surveyVersion)", default: [:]].add(tallies)
        }
        if let flagged { subtract(flagged, from: &sheets) }
        let labels = [
            "early": "Trước hạn", "onTime": "Đúng hạn", "late": "Quá hạn", "inProgressInTime": "Đang xử lý trong hạn",
            "overdue": "Đang xử lý quá hạn", "withdrawn": "Rút hồ sơ", "unknownDossier": "Hồ sơ chưa có trong hệ thống",
        ]
        let order = ["early", "onTime", "late", "inProgressInTime", "overdue", "withdrawn", "unknownDossier"]
        return order.compactMap { key in
            let parts = definitions.map { ($0, sheets["\(key)|\($0.version)"] ?? [:]) }
            guard parts.contains(where: { !$0.1.isEmpty }) else { return nil }
            return .init(
                key: key, label: labels[key] ?? key,
                figures: SatisfactionIndex.compute(versions: parts, policy: policy), figure: nil)
        }
    }
}
