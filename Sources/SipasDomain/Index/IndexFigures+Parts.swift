/// Complementary suppression inside one set of figures: a part withheld under the privacy minimum must not be
/// derivable from its parent and its published siblings.
///
/// The overall index is the mean of its elements, and an element the mean of its items (and so are their mean
/// scores), so with one part withheld and the others published, the parent gives the withheld part back exactly:
/// with the overall at 48 % and four elements at 60 %, the fifth is 5 × 48 − 240 = 0 %. The same rule as across
/// a breakdown's groups (``ComplementarySuppression``) is applied here, line by line:
/// 1. **the items of each element**, the element being their total (over questionnaire versions combined, the
///    items of every version: the element combines them all);
/// 2. **the elements**, the overall index being their total.
/// When no sibling is left to protect a withheld part, the parent is suppressed instead.
extension IndexFigures {
    /// The figures with ``ComplementarySuppression`` applied to each element's items and to the elements.
    public func protectingParts(by policy: SamplePolicy) -> IndexFigures {
        var result = self
        // A part under the minimum was already withheld by the policy (its value blanked); an empty part is not.
        func isHidden(_ figure: IndexFigure) -> Bool { figure.value == nil && figure.n > 0 }

        var lines: [String: [Int]] = [:]
        for index in result.items.indices { lines[result.items[index].element, default: []].append(index) }
        for (element, indices) in lines.sorted(by: { $0.key < $1.key }) {
            let hidden = Set(indices.indices.filter { isHidden(result.items[indices[$0]].figure) })
            guard !hidden.isEmpty else { continue }
            let decision = policy.suppression(of: indices.map { result.items[$0].figure.n }, alreadySuppressed: hidden)
            for position in decision.complementary {
                result.items[indices[position]].suppress(.complementary, policy: policy)
            }
            if decision.total, let parent = result.elements.firstIndex(where: { $0.id == element }),
                result.elements[parent].figure.value != nil
            {
                result.elements[parent].suppress(.complementary, policy: policy)
            }
        }

        let hidden = Set(result.elements.indices.filter { isHidden(result.elements[$0].figure) })
        if !hidden.isEmpty {
            let decision = policy.suppression(of: result.elements.map(\.figure.n), alreadySuppressed: hidden)
            for index in decision.complementary { result.elements[index].suppress(.complementary, policy: policy) }
            if decision.total, result.overall.value != nil { result.overall.suppress(.complementary, policy: policy) }
        }
        return result
    }
}
