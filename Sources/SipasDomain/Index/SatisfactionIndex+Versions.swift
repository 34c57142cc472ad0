import Foundation

extension SatisfactionIndex {
    /// The figures of responses given to several versions of one questionnaire (a period in which version 2
    /// replaced version 1).
    ///
    /// Item figures stay per version (their wording differs). An element's index combines the versions: the mean
    /// of each version's element index weighted by that version's respondents to the element,
    /// `Σ nᵥ·Eᵥ / Σ nᵥ`, so a version is counted by its people, not by its number of items. The overall index is
    /// then the survey's rule (the mean) over the combined elements. Intervals: the versions are answered by
    /// different people, so the standard error is `√Σ (nᵥ/n)² SEᵥ²`, and the interval is ±1.96 SE, kept inside
    /// 0–100. Withholding and small-sample flags apply to the combined figures, not to each version's part.
    ///
    /// - Parameters:
    ///   - versions: each version's definition and its summed tallies; versions without responses are left out.
    /// - Returns: with one version that has responses, exactly ``compute(_:definition:policy:)`` of it.
    public static func compute(
        versions: [(definition: SurveyDefinition, sheet: TallySheet)], policy: SamplePolicy = .init()
    ) -> IndexFigures {
        let answered = versions.filter { ($0.sheet[.overall]?.count ?? 0) > 0 }.sorted {
            $0.definition.version < $1.definition.version
        }
        guard answered.count > 1, let newest = answered.last?.definition else {
            let only = answered.first ?? versions.max { $0.definition.version < $1.definition.version }
            guard let only else { preconditionFailure("a survey has at least one version") }
            return compute(only.sheet, definition: only.definition, policy: policy)
        }
        let unrestricted = SamplePolicy(smallSampleThreshold: 0, privacyMinimum: 0)
        let parts = answered.map {
            (definition: $0.definition, figures: compute($0.sheet, definition: $0.definition, policy: unrestricted))
        }

        // Elements, in the newest version's order, then any only older versions have.
        var elementIDs = newest.elements.map(\.id)
        for part in parts {
            for element in part.definition.elements where !elementIDs.contains(element.id) {
                elementIDs.append(element.id)
            }
        }
        var elements: [ElementFigure] = []
        var combinedValues: [Double] = []
        var combinedExact: [Decimal] = []
        for id in elementIDs {
            let shares = parts.compactMap { part -> (ElementFigure, Int)? in
                guard let element = part.figures.elements.first(where: { $0.id == id }), element.figure.exact != nil,
                    element.figure.n > 0
                else { return nil }
                let answers = part.figures.items.filter { $0.element == id }.reduce(0) { $0 + $1.figure.n }
                return (element, answers)
            }
            let title =
                (newest.elements.first { $0.id == id }
                ?? parts.compactMap { $0.definition.elements.first { $0.id == id } }.first)?.title
                ?? LocalizedText(vi: id, en: id)
            let n = shares.reduce(0) { $0 + $1.0.figure.n }
            var figure = weighted(shares.map { ($0.0.figure, $0.0.figure.n) }, n: n)
            if let value = figure.value, let exact = figure.exact {
                combinedValues.append(value); combinedExact.append(exact)
            }
            figure = figure.applying(policy)
            let answers = shares.reduce(0) { $0 + $1.1 }
            let meanSum = shares.reduce(Decimal(0)) { $0 + ($1.0.exactMeanScore ?? 0) * Decimal($1.1) }
            let meanScore: Decimal? = figure.withheld == nil && answers > 0 ? meanSum / Decimal(answers) : nil
            elements.append(
                ElementFigure(
                    id: id, title: title, figure: figure,
                    meanScore: meanScore.map { NSDecimalNumber(decimal: $0).doubleValue },
                    exactMeanScore: meanScore))
        }

        // Overall: the survey's rule over the combined elements; its interval from the versions' overall errors.
        let respondents = parts.reduce(0) { $0 + $1.figures.respondents }
        var overall = weighted(parts.map { ($0.figures.overall, $0.figures.overall.n) }, n: respondents)
        overall.value = combine(combinedValues, rule: newest.aggregation.overall)
        overall.exact = combine(combinedExact, rule: newest.aggregation.overall)
        if let value = overall.value, let se = overall.standardError { overall.ci95 = clamped(value, se) }
        overall = overall.applying(policy)

        // Items: per version, each under the policy on its own.
        let items = parts.flatMap { part in
            part.figures.items.map { item -> ItemFigure in
                var item = item
                item.figure = item.figure.applying(policy)
                if item.figure.withheld != nil { item.satisfied = nil; item.meanScore = nil; item.exactMeanScore = nil }
                return item
            }
        }

        // Expectations: by option, over the respondents of the versions that asked it.
        var optionIDs: [String] = []
        var labels: [String: LocalizedText] = [:]
        var counts: [String: (count: Int, asked: Int)] = [:]
        for part in parts.reversed() {
            for share in part.figures.expectations {
                if labels[share.id] == nil { optionIDs.append(share.id); labels[share.id] = share.label }
                counts[share.id, default: (0, 0)].count += share.count ?? 0
                counts[share.id, default: (0, 0)].asked += part.figures.respondents
            }
        }
        let expectations = optionIDs.map { id -> ExpectationShare in
            let (count, asked) = counts[id] ?? (0, 0)
            let withheld = policy.withholding(asked) != nil
            return ExpectationShare(
                id: id, label: labels[id]!, count: withheld ? nil : count,
                share: withheld || asked == 0 ? nil : 100 * Double(count) / Double(asked),
                exactShare: withheld ? nil : Rounding.percent(count, of: asked))
        }

        var figures = IndexFigures(
            respondents: respondents, surveyVersions: parts.map(\.definition.version), overall: overall,
            elements: elements, items: items,
            expectations: expectations, warnings: []
        ).protectingParts(by: policy)
        figures.warnings = figures.figureWarnings(survey: newest.id, policy: policy)
        return figures
    }

    /// The respondent-weighted mean of figures from different people, with `√Σ (nᵥ/n)² SEᵥ²`.
    static func weighted(_ parts: [(IndexFigure, Int)], n: Int) -> IndexFigure {
        let counted = parts.filter { $0.0.value != nil && $0.1 > 0 }
        guard n > 0, !counted.isEmpty else {
            return IndexFigure(value: nil, ci95: nil, n: n, standardError: nil, smallSample: false, withheld: nil)
        }
        let total = Double(counted.reduce(0) { $0 + $1.1 })
        let value = counted.reduce(0.0) { $0 + $1.0.value! * Double($1.1) } / total
        let exact =
            counted.reduce(Decimal(0)) { $0 + ($1.0.exact ?? 0) * Decimal($1.1) }
            / Decimal(counted.reduce(0) { $0 + $1.1 })
        let variance = counted.reduce(0.0) { sum, part in
            let weight = Double(part.1) / total
            return sum + weight * weight * (part.0.standardError ?? 0) * (part.0.standardError ?? 0)
        }
        let se = variance.squareRoot()
        return IndexFigure(
            value: value, exact: exact, ci95: clamped(value, se), n: n, standardError: se, smallSample: false,
            withheld: nil)
    }

    /// `value ± 1.96 SE`, inside 0–100.
    static func clamped(_ value: Double, _ se: Double) -> ClosedRange<Double> {
        max(0, value - ProportionInterval.z95 * se)...min(100, value + ProportionInterval.z95 * se)
    }
}
