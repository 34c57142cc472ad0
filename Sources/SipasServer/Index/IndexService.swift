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
        switch request.groupBy {
        case .unit: fetch.dimension = .unit
        case .procedure: fetch.dimension = .procedure
        case .channel: fetch.dimension = .channel
        case .month, .quarter, .year: fetch.dimension = .month
        case .element, .item, .timeliness, nil: fetch.dimension = .none
        }
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
            let flagged = request.excludeFlagged ? try await flaggedContributions(part, request: request) : []
            var sheets = try await database.sumTallies(part)
            if request.excludeFlagged { excluded = (excluded ?? 0) + subtract(flagged, from: &sheets, group: \.group) }
            byVersion[version.version] = sheets
        }
        /// The figures of one group key (or of the whole scope, merging every key, when nil).
        func figuresOf(_ key: String?, _ sheets: [Int: [String: TallySheet]] = byVersion) -> IndexFigures {
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
        var figures = figuresOf(nil)
        let keys = Set(byVersion.values.flatMap(\.keys)).sorted()

        var groups: [IndexReport.Group] = []
        switch request.groupBy {
        case nil: break
        case .element:
            groups = figures.elements.map { .init(key: $0.id, label: $0.title.vi, figures: nil, figure: $0.figure) }
        case .item:
            groups = figures.items.map { item in
                .init(
                    key: item.id, label: definitions.lazy.compactMap { $0.item(item.id) }.first?.text.vi ?? item.id,
                    figures: nil,
                    figure: item.figure)
            }
        case .quarter, .year:
            var merged: [Int: [String: TallySheet]] = [:]
            for (version, sheets) in byVersion {
                for (month, sheet) in sheets {
                    let year = String(month.prefix(4)), monthNumber = Int(month.suffix(2)) ?? 1
                    merged[version, default: [:]][
                        request.groupBy == .year ? year : "\(year)-Q\((monthNumber - 1) / 3 + 1)", default: [:]
                    ].add(sheet)
                }
            }
            groups = Set(merged.values.flatMap(\.keys)).sorted().map {
                .init(key: $0, label: $0, figures: figuresOf($0, merged), figure: nil)
            }
        case .unit:
            let label = { (code: String) in
                snapshot.groupLabel(code, root: scope.version?.code ?? request.unit, on: request.to, scope: scope)
            }
            groups = keys.map { .init(key: $0, label: label($0), figures: figuresOf($0), figure: nil) }
            // Children without any response still appear, so a missing commune is visible.
            for code in Set(scope.segments.map(\.group)) where !groups.contains(where: { $0.key == code }) {
                groups.append(.init(key: code, label: label(code), figures: figuresOf(code, [:]), figure: nil))
            }
            groups.sort { $0.key < $1.key }
        case .procedure, .channel, .month:
            groups = keys.map { .init(key: $0, label: $0, figures: figuresOf($0), figure: nil) }
        case .timeliness:
            groups = try await outcomeGroups(request, definitions: definitions, scope: scope, snapshot: snapshot)
        }
        // Groups that share out the respondents: a withheld one must not be derivable from the total and the others.
        // (Element and item groups are figures of the same people, not parts of a total.)
        let sets = groups.compactMap(\.figures)
        if !sets.isEmpty, sets.count == groups.count {
            let breakdown = IndexBreakdown(total: figures, groups: sets).protected(by: policy, survey: definition.id)
            figures = breakdown.total
            groups = zip(groups, breakdown.groups).map { .init(key: $0.key, label: $0.label, figures: $1, figure: nil) }
        }
        return IndexReport(
            request: request,
            unitName: scope.version?.name ?? snapshot.directory.name(of: request.unit, on: request.to),
            definition: definition, definitions: definitions, figures: figures, groups: groups, policy: policy,
            excludedFlagged: excluded,
            unitVersion: UnitVersionBody(scope))
    }

    /// Satisfaction by the outcome of the dossier each response names, read from the responses themselves
    /// (an outcome changes after the response is given, so it cannot be aggregated in advance).
    private func outcomeGroups(
        _ request: IndexRequest, definitions: [SurveyDefinition], scope: UnitScope, snapshot: UnitSnapshot
    ) async throws -> [IndexReport.Group] {
        let today = LocalDate(now())
        func outcome(_ dossier: Dossier?) -> String {
            dossier.map { DossierOutcome.classify($0, asOf: today).rawValue } ?? "unknownDossier"
        }
        let ranges = UnitAccess.ranges(scope, snapshot: snapshot)
        // These groups read every response naming a dossier, without the other filters; so do the flagged ones.
        var unfiltered = TallyFetch(survey: request.survey)
        unfiltered.ranges = ranges
        let flagged = request.excludeFlagged ? try await flaggedContributions(unfiltered, request: request) : []
        // Keyed "outcome|version", so each version's part is computed with its own definition.
        var sheets: [String: TallySheet] = [:]
        let counted = Set(definitions.map(\.version))
        for response in try await database.responsesNamingDossiers(survey: request.survey, ranges: ranges)
        where counted.contains(response.surveyVersion) {
            guard let version = catalog.definition(request.survey, version: response.surveyVersion) else { continue }
            let tallies = ResponseContribution.tallies(
                answers: response.answers, expectations: response.expectations, definition: version)
            sheets["\(outcome(response.dossier))|\(response.surveyVersion)", default: [:]].add(tallies)
        }
        _ = subtract(flagged.filter { $0.dossierCode != nil }, from: &sheets) {
            "\(outcome($0.dossier))|\($0.surveyVersion)"
        }
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
