/// A survey questionnaire as declared in a file of `Surveys/`: its scale, elements, items and optional parts.
///
/// A published (id, version) is immutable: answers are interpreted against the exact definition they
/// were given for, so any change of wording or scale needs a new version number.
public struct SurveyDefinition: Codable, Hashable, Sendable {
    /// Stable survey id (`sipas`, `quick`).
    public var id: String
    /// Version number, from 1.
    public var version: Int
    public var title: LocalizedText
    /// Optional introduction shown above the form.
    public var intro: LocalizedText?
    public var scale: AnswerScale
    public var aggregation: SurveyAggregation
    public var elements: [SurveyElement]
    public var expectations: ExpectationsQuestion?
    public var comment: CommentQuestion?
    public var respondent: [RespondentQuestion]?

    public init(
        id: String, version: Int, title: LocalizedText, intro: LocalizedText? = nil, scale: AnswerScale,
        aggregation: SurveyAggregation = .init(), elements: [SurveyElement],
        expectations: ExpectationsQuestion? = nil, comment: CommentQuestion? = nil,
        respondent: [RespondentQuestion]? = nil
    ) {
        self.id = id
        self.version = version
        self.title = title
        self.intro = intro
        self.scale = scale
        self.aggregation = aggregation
        self.elements = elements
        self.expectations = expectations
        self.comment = comment
        self.respondent = respondent
    }

    /// Every item, in form order.
    public var items: [SurveyItem] { elements.flatMap(\.items) }

    /// The item with the given id, if the survey has one.
    public func item(_ id: String) -> SurveyItem? {
        for element in elements {
            if let item = element.items.first(where: { $0.id == id }) { return item }
        }
        return nil
    }
}
