/// How a survey's answers are aggregated into its index, declared in the survey file (DOMAIN.md §2,
/// a DECISION): which formula gives an item's figure, and how items roll up into elements and the whole.
public struct SurveyAggregation: Codable, Hashable, Sendable {
    /// The item figure.
    public enum ItemRule: String, Codable, Hashable, Sendable, CaseIterable {
        /// 100 × answers in the satisfied set / valid answers.
        case satisfiedShare
    }

    /// How a group's figure is made from its members' figures.
    public enum GroupRule: String, Codable, Hashable, Sendable, CaseIterable {
        /// The plain mean of the members' figures (mean of means).
        case mean
    }

    public var item: ItemRule
    public var element: GroupRule
    public var overall: GroupRule

    public init(item: ItemRule = .satisfiedShare, element: GroupRule = .mean, overall: GroupRule = .mean) {
        self.item = item
        self.element = element
        self.overall = overall
    }
}
