/// What one response adds to the aggregates, computed with the definition of the version it answered.
public enum ResponseContribution {
    /// The tallies of one response: its answers, satisfied answers, per-element and overall shares, expectations.
    ///
    /// A respondent's element share is the fraction of the element's answered items that are satisfied;
    /// the overall share is the mean of the element shares of the elements answered. With every item
    /// answered, the mean of these shares over respondents equals the mean-of-means index exactly, which
    /// is why their spread gives the index's standard error (see ``SatisfactionIndex``).
    public static func tallies(answers: [ValidResponse.Answer], expectations: [String], definition: SurveyDefinition)
        -> TallySheet
    {
        var sheet: TallySheet = [:]
        let satisfiedValues = Set(definition.scale.satisfied)
        let given = Dictionary(answers.map { ($0.item, $0.value) }, uniquingKeysWith: { first, _ in first })
        for answer in answers {
            sheet[.answer(item: answer.item, value: answer.value)] = Tally(count: 1)
            if satisfiedValues.contains(answer.value) { sheet[.satisfied(item: answer.item)] = Tally(count: 1) }
        }
        var elementShares: [Double] = []
        for element in definition.elements {
            let values = element.items.compactMap { given[$0.id] }
            guard !values.isEmpty else { continue }
            let share = Double(values.filter(satisfiedValues.contains).count) / Double(values.count)
            sheet[.element(element.id)] = Tally(count: 1, sum: share, sumOfSquares: share * share)
            elementShares.append(share)
        }
        if !elementShares.isEmpty {
            let share = elementShares.reduce(0, +) / Double(elementShares.count)
            sheet[.overall] = Tally(count: 1, sum: share, sumOfSquares: share * share)
        }
        for option in expectations { sheet[.expectation(option)] = Tally(count: 1) }
        return sheet
    }
}
