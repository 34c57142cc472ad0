/// A scope's figures and their breakdown into groups that share out its respondents (units, months, quarters,
/// years, procedures, channels, dossier outcomes), to which the privacy rules apply together.
public struct IndexBreakdown: Hashable, Sendable {
    public var total: IndexFigures
    public var groups: [IndexFigures]

    public init(total: IndexFigures, groups: [IndexFigures]) {
        self.total = total
        self.groups = groups
    }

    /// The breakdown as it may be published: ``ComplementarySuppression`` applied line by line.
    ///
    /// 1. **Groups**, by respondents: a group under the privacy minimum is withheld whole, and the complement
    ///    chosen for it is suppressed whole: its respondents, the n of every figure, every value, interval,
    ///    satisfied count, mean score and expectation share. Each says why (``Suppression``).
    /// 2. **Each element, then each item** (per questionnaire version), by its n, over the groups: a figure
    ///    under the minimum in a published group gets its n hidden and a complement of its own line.
    ///
    /// When a line has no cell left to protect a withheld one, that line of the total is suppressed.
    ///
    /// - Parameters:
    ///   - policy: the privacy minimum and the reasons' wording.
    ///   - survey: the survey id, the overall figure's name in the warnings.
    public func protected(by policy: SamplePolicy, survey: String) -> IndexBreakdown {
        var result = self
        var changed = Set<Int>()
        var totalChanged = false

        // MARK: Whole groups
        let people = policy.suppression(of: groups.map(\.respondents))
        for index in people.suppressed {
            result.groups[index].suppressAll(people.suppression(of: index)!, policy: policy)
            changed.insert(index)
        }
        if people.total {
            result.total.suppressAll(Self.totalSuppression(result.total.overall), policy: policy)
            totalChanged = true
        }
        let hiddenGroups = people.suppressed

        // MARK: Elements and items of the published groups
        var elementIDs: [String] = []
        var itemKeys: [ItemKey] = []
        for figures in groups {
            for element in figures.elements where !elementIDs.contains(element.id) { elementIDs.append(element.id) }
            for item in figures.items where !itemKeys.contains(ItemKey(item)) { itemKeys.append(ItemKey(item)) }
        }
        for id in elementIDs {
            let position = { (figures: IndexFigures) in figures.elements.firstIndex { $0.id == id } }
            // A figure suppressed inside its own group (IndexFigures.protectingParts) is hidden on this line too.
            let line = policy.suppression(
                of: result.groups.map { figures in position(figures).map { figures.elements[$0].figure.n } ?? 0 },
                alreadySuppressed: hiddenGroups.union(
                    result.groups.indices.filter { index in
                        position(result.groups[index]).map {
                            result.groups[index].elements[$0].figure.suppression != nil
                        } ?? false
                    }))
            for index in line.suppressed {
                guard let at = position(result.groups[index]) else { continue }
                result.groups[index].elements[at].suppress(line.suppression(of: index)!, policy: policy)
                changed.insert(index)
            }
            if line.total, let at = position(result.total) {
                result.total.elements[at].suppress(
                    Self.totalSuppression(result.total.elements[at].figure), policy: policy)
                totalChanged = true
            }
        }
        for key in itemKeys {
            let position = { (figures: IndexFigures) in figures.items.firstIndex { ItemKey($0) == key } }
            let line = policy.suppression(
                of: result.groups.map { figures in position(figures).map { figures.items[$0].figure.n } ?? 0 },
                alreadySuppressed: hiddenGroups.union(
                    result.groups.indices.filter { index in
                        position(result.groups[index]).map { result.groups[index].items[$0].figure.suppression != nil }
                            ?? false
                    }))
            for index in line.suppressed {
                guard let at = position(result.groups[index]) else { continue }
                result.groups[index].items[at].suppress(line.suppression(of: index)!, policy: policy)
                changed.insert(index)
            }
            if line.total, let at = position(result.total) {
                result.total.items[at].suppress(Self.totalSuppression(result.total.items[at].figure), policy: policy)
                totalChanged = true
            }
        }

        // The warnings of what changed say so, without the hidden n.
        for index in changed {
            result.groups[index].warnings = result.groups[index].figureWarnings(survey: survey, policy: policy)
        }
        if totalChanged { result.total.warnings = result.total.figureWarnings(survey: survey, policy: policy) }
        return result
    }

    /// A total suppressed for want of another cell: withheld already when it is itself under the minimum.
    private static func totalSuppression(_ figure: IndexFigure) -> Suppression {
        figure.withheld == nil ? .complementary : .belowMinimum
    }

    /// An item's figures are per questionnaire version.
    private struct ItemKey: Hashable {
        let id: String
        let version: Int
        init(_ item: ItemFigure) {
            id = item.id
            version = item.surveyVersion
        }
    }
}

// MARK: - Suppressing figures

extension ElementFigure {
    /// No value, interval, n or mean score.
    mutating func suppress(_ suppression: Suppression, policy: SamplePolicy) {
        figure.suppress(suppression, policy: policy)
        meanScore = nil
        exactMeanScore = nil
    }
}

extension ItemFigure {
    /// No value, interval, n, satisfied count or mean score.
    mutating func suppress(_ suppression: Suppression, policy: SamplePolicy) {
        figure.suppress(suppression, policy: policy)
        satisfied = nil
        meanScore = nil
        exactMeanScore = nil
    }
}

extension IndexFigures {
    /// Suppresses every figure of the set, its respondents and expectation shares included.
    mutating func suppressAll(_ suppression: Suppression, policy: SamplePolicy) {
        overall.suppress(suppression, policy: policy)
        for index in elements.indices { elements[index].suppress(suppression, policy: policy) }
        for index in items.indices { items[index].suppress(suppression, policy: policy) }
        for index in expectations.indices {
            expectations[index].count = nil
            expectations[index].share = nil
            expectations[index].exactShare = nil
        }
    }

    /// The warnings of the figures as they stand: items, elements, then the overall index.
    func figureWarnings(survey: String, policy: SamplePolicy) -> [FigureWarning] {
        var warnings: [FigureWarning] = []
        func note(_ figure: IndexFigure, _ name: String) {
            if figure.suppression == .complementary, let reason = figure.withheld {
                warnings.append(.init(code: .suppressed, figure: name, n: nil, message: "\(name): \(reason)"))
            } else if let reason = figure.withheld {
                warnings.append(
                    .init(code: .withheld, figure: name, n: figure.publishedN, message: "\(name): withheld, \(reason)"))
            } else if figure.smallSample && figure.n > 0 {
                warnings.append(
                    .init(
                        code: .smallSample, figure: name, n: figure.n,
                        message: "\(name): n = \(figure.n), under \(policy.smallSampleThreshold)"))
            }
        }
        for item in items { note(item.figure, "item:\(item.id)") }
        for element in elements { note(element.figure, "element:\(element.id)") }
        note(overall, survey)
        return warnings
    }
}
