import Foundation

/// The SIPAS satisfaction index computed from tallies (DOMAIN.md §2).
///
/// ## Formulas
/// - **Item** (tiêu chí): `index = 100 × satisfied / n`, where `n` counts valid answers ("no answer" is left
///   out) and `satisfied` the answers in the scale's satisfied set (4 and 5 for SIPAS). Mean score is the
///   mean answer. The 95 % interval is Wilson's score interval on `n`.
/// - **Element** (yếu tố): the mean of its item indices; **overall**: the mean of the element indices.
///   Which rule applies is read from the survey's `aggregation`, so another formula is a change of data.
///
/// ## Interval of an element or the overall index
/// A mean of item indices is not a simple proportion: the items are answered by the same people, so their
/// errors are correlated. The method is linearisation (the delta method) over respondents: each respondent
/// gets a share, the fraction of their answered items in the element that are satisfied (overall: the mean
/// of their element shares). With every item answered, the index is exactly the mean of these shares, so
/// its standard error is `s / √N` (s the standard deviation of the shares, N the respondents), which
/// accounts for the correlation. The interval is then Wilson's interval with the effective sample size
/// `p(1-p) / SE²` (Korn & Graubard, 1998), kept between N and the number of answers, so it stays inside
/// 0–100 and does not collapse when everyone is satisfied. When items are skipped the shares are an
/// approximation of the linearised index; the point value is always the exact mean of means.
public enum SatisfactionIndex {
    /// Computes every figure of a scope from its summed tallies.
    public static func compute(_ sheet: TallySheet, definition: SurveyDefinition, policy: SamplePolicy = .init())
        -> IndexFigures
    {
        // MARK: Items
        var items: [ItemFigure] = []
        var itemIndex: [String: Double] = [:]
        var itemExact: [String: Decimal] = [:]
        var itemTotals: [String: (sum: Int, n: Int)] = [:]
        for element in definition.elements {
            for item in element.items {
                var n = 0, total = 0
                for point in definition.scale.points {
                    let count = sheet[.answer(item: item.id, value: point.value)]?.count ?? 0
                    n += count
                    total += count * point.value
                }
                let satisfied = sheet[.satisfied(item: item.id)]?.count ?? 0
                let p = n > 0 ? Double(satisfied) / Double(n) : nil
                if let p { itemIndex[item.id] = 100 * p }
                let exact = Rounding.percent(satisfied, of: n)
                if let exact { itemExact[item.id] = exact }
                itemTotals[item.id] = (total, n)
                let raw = IndexFigure(
                    value: p.map { 100 * $0 }, exact: exact,
                    ci95: p.flatMap { ProportionInterval.wilson(proportion: $0, n: Double(n)) }.map(percent),
                    n: n, standardError: p.map { 100 * ($0 * (1 - $0) / Double(n)).squareRoot() },
                    smallSample: false, withheld: nil)
                let figure = raw.applying(policy)
                items.append(
                    ItemFigure(
                        id: item.id, element: element.id, figure: figure,
                        satisfied: figure.withheld == nil ? satisfied : nil,
                        meanScore: figure.withheld == nil && n > 0 ? Double(total) / Double(n) : nil,
                        exactMeanScore: figure.withheld == nil && n > 0 ? Decimal(total) / Decimal(n) : nil,
                        surveyVersion: definition.version))
            }
        }

        // MARK: Elements
        var elements: [ElementFigure] = []
        var elementIndex: [Double] = []
        var elementExact: [Decimal] = []
        for element in definition.elements {
            let indices = element.items.compactMap { itemIndex[$0.id] }
            let value = combine(indices, rule: definition.aggregation.element)
            let exact = combine(element.items.compactMap { itemExact[$0.id] }, rule: definition.aggregation.element)
            if let value { elementIndex.append(value) }
            if let exact { elementExact.append(exact) }
            let answers = items.filter { $0.element == element.id }.reduce(0) { $0 + $1.figure.n }
            let figure = groupFigure(
                value: value, exact: exact, tally: sheet[.element(element.id)] ?? Tally(), answers: answers
            )
            .applying(policy)
            let pooled = items.filter { $0.element == element.id && $0.meanScore != nil }
            let meanScore =
                figure.withheld == nil && !pooled.isEmpty
                ? pooled.reduce(0) { $0 + $1.meanScore! * Double($1.figure.n) }
                    / Double(pooled.reduce(0) { $0 + $1.figure.n })
                : nil
            let totals = element.items.compactMap { itemTotals[$0.id] }.reduce((sum: 0, n: 0)) {
                ($0.sum + $1.sum, $0.n + $1.n)
            }
            elements.append(
                ElementFigure(
                    id: element.id, title: element.title, figure: figure, meanScore: meanScore,
                    exactMeanScore: meanScore == nil || totals.n == 0 ? nil : Decimal(totals.sum) / Decimal(totals.n)))
        }

        // MARK: Overall and expectations
        let respondents = sheet[.overall]?.count ?? 0
        let allAnswers = items.reduce(0) { $0 + $1.figure.n }
        let overall = groupFigure(
            value: combine(elementIndex, rule: definition.aggregation.overall),
            exact: combine(elementExact, rule: definition.aggregation.overall),
            tally: sheet[.overall] ?? Tally(), answers: allAnswers
        ).applying(policy)

        let expectationsWithheld = policy.withholding(respondents) != nil
        let expectations = (definition.expectations?.options ?? []).map { option -> ExpectationShare in
            let count = sheet[.expectation(option.id)]?.count ?? 0
            return ExpectationShare(
                id: option.id, label: option.label, count: expectationsWithheld ? nil : count,
                share: expectationsWithheld || respondents == 0 ? nil : 100 * Double(count) / Double(respondents),
                exactShare: expectationsWithheld ? nil : Rounding.percent(count, of: respondents))
        }
        var figures = IndexFigures(
            respondents: respondents, surveyVersions: respondents > 0 ? [definition.version] : [], overall: overall,
            elements: elements,
            items: items, expectations: expectations, warnings: []
        ).protectingParts(by: policy)
        figures.warnings = figures.figureWarnings(survey: definition.id, policy: policy)
        return figures
    }

    // MARK: - Parts

    static func combine(_ values: [Double], rule: SurveyAggregation.GroupRule) -> Double? {
        guard !values.isEmpty else { return nil }
        switch rule {
        case .mean: return values.reduce(0, +) / Double(values.count)
        }
    }

    /// The same combination, exact: what is printed.
    static func combine(_ values: [Decimal], rule: SurveyAggregation.GroupRule) -> Decimal? {
        guard !values.isEmpty else { return nil }
        switch rule {
        case .mean: return values.reduce(0, +) / Decimal(values.count)
        }
    }

    /// An element or overall figure: the mean-of-means value with the linearised interval described above.
    static func groupFigure(value: Double?, exact: Decimal?, tally: Tally, answers: Int) -> IndexFigure {
        let n = tally.count
        guard let value, n > 0 else {
            return IndexFigure(
                value: value, exact: exact, ci95: nil, n: n, standardError: nil, smallSample: false, withheld: nil)
        }
        let p = value / 100
        let effective = effectiveSampleSize(p: p, tally: tally, answers: answers)
        return IndexFigure(
            value: value, exact: exact, ci95: ProportionInterval.wilson(proportion: p, n: effective).map(percent), n: n,
            standardError: 100 * (p * (1 - p) / effective).squareRoot(), smallSample: false, withheld: nil)
    }

    /// `p(1-p)/SE²` from the respondents' shares, between N and the number of answers.
    static func effectiveSampleSize(p: Double, tally: Tally, answers: Int) -> Double {
        let n = Double(tally.count)
        let upper = max(n, Double(answers))
        guard tally.count > 1 else { return n }
        let variance = max(0, (tally.sumOfSquares - tally.sum * tally.sum / n) / (n - 1))
        let squaredError = variance / n
        guard squaredError > 0 else { return p == 0 || p == 1 ? n : upper }
        return min(upper, max(n, p * (1 - p) / squaredError))
    }

    static func percent(_ range: ClosedRange<Double>) -> ClosedRange<Double> {
        (100 * range.lowerBound)...(100 * range.upperBound)
    }
}
