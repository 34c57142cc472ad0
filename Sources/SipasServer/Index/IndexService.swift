import Foundation
import SipasDomain

/// Computes satisfaction figures for a unit and period from the aggregates, within the reader's units.
struct IndexService: Sendable {
    let database: AppDatabase
    let catalog: SurveyCatalog
    let units: UnitCache
    let policy: SamplePolicy
    /// Today, for dossier outcomes; tests move it.
    var now: @Sendable () -> Date = { Date() }

    /// The figures of one scope, with its breakdown.
    func report(_ request: IndexRequest, reader: FigureReader) async throws -> IndexReport {
        let definition = try definition(survey: request.survey, version: request.surveyVersion)
        let snapshot = try await units.current()
        let scope = try UnitAccess.scope(unit: request.unit, period: request.period, reader: reader, snapshot: snapshot)

        var fetch = TallyFetch(survey: request.survey)
        fetch.surveyVersion = request.surveyVersion
        fetch.procedure = request.procedure
        fetch.channel = request.channel?.rawValue
        fetch.desk = request.desk
        fetch.grouping = request.groupBy?.grouping ?? .none
        fetch.ranges = UnitAccess.ranges(scope, snapshot: snapshot)
        // Each version of the questionnaire is summed apart: item figures are per version, and the elements and
        // the overall index combine the versions by their respondents (SatisfactionIndex.compute(versions:)).
        let definitions =
            request.surveyVersion == nil
            ? catalog.versions(of: request.survey).compactMap { catalog.definition(request.survey, version: $0) }
            : [definition]
        var byVersion: [Int: [String: TallySheet]] = [:]
        var excluded: Int? = request.excludeFlagged ? 0 : nil
        for version in definitions {
            var part = fetch
            part.surveyVersion = version.version
            // Flagged responses are read before the sums: responses are only ever added, so every one taken out
            // below is in the sums too, even when more arrive between the two reads.
            let flagged = request.excludeFlagged ? try await flaggedSums(part, request: request) { $0.group } : nil
            var sheets = try await database.sumTallies(part)
            if let flagged {
                subtract(flagged, from: &sheets)
                excluded = (excluded ?? 0) + flagged.count
            }
            byVersion[version.version] = sheets
        }
        var figures = figures(of: nil, in: byVersion, definitions: definitions)
        var groups: [IndexReport.Group] = []
        if let breakdown = request.groupBy {
            let context = Breakdown.Context(
                service: self, request: request, snapshot: snapshot, scope: scope, definitions: definitions,
                figures: figures, sheets: byVersion)
            groups = try await breakdown.groups(context)
            // Groups that share out the respondents: a withheld one must not be derivable from the total and the
            // others.
            if breakdown.sharesRespondents, !groups.isEmpty {
                let protected = IndexBreakdown(total: figures, groups: groups.map { $0.figures ?? figures })
                    .protected(by: policy, survey: definition.id)
                figures = protected.total
                groups = zip(groups, protected.groups).map {
                    .init(key: $0.key, label: $0.label, figures: $1, figure: nil)
                }
            }
        }
        return IndexReport(
            request: request,
            unitName: scope.version?.name ?? snapshot.directory.name(of: request.unit, on: request.to),
            definition: definition, definitions: definitions, figures: figures, groups: groups, policy: policy,
            excludedFlagged: excluded,
            unitVersion: UnitVersionBody(scope))
    }

    /// The figures of one group key, combining the questionnaire versions by their respondents (or of the whole
    /// scope, merging every key, when nil).
    func figures(of key: String?, in sheets: [Int: [String: TallySheet]], definitions: [SurveyDefinition])
        -> IndexFigures
    {
        SatisfactionIndex.compute(
            versions: definitions.map { version in
                var sheet: TallySheet = [:]
                for (group, part) in sheets[version.version] ?? [:] where key == nil || group == key {
                    sheet.add(part)
                }
                return (version, sheet)
            },
            policy: policy)
    }

    /// The definition a request names: the survey's current version, or the version named; a 422 listing the
    /// published surveys or versions otherwise (``InvalidInput``).
    func definition(survey: String, version: Int?) throws -> SurveyDefinition {
        let versions = catalog.versions(of: survey)
        guard !versions.isEmpty else {
            throw InvalidInput([
                FieldProblem(
                    field: "survey",
                    message:
                        "'\(survey)' is not a published survey: one of \(catalog.surveyIDs.joined(separator: ", "))"
                )
            ])
        }
        guard let definition = version.map({ catalog.definition(survey, version: $0) }) ?? catalog.current(survey)
        else {
            throw InvalidInput([
                FieldProblem(
                    field: "surveyVersion",
                    message:
                        "survey \(survey) has no version \(version ?? 0): one of \(versions.map(String.init).joined(separator: ", "))"
                )
            ])
        }
        return definition
    }
}
