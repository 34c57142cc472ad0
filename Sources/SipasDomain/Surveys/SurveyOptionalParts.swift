/// A choice offered by a multiple-choice question (expectations, respondent profile).
public struct SurveyOption: Codable, Hashable, Sendable {
    public var id: String
    public var label: LocalizedText

    public init(id: String, label: LocalizedText) {
        self.id = id
        self.label = label
    }
}

/// The expectations question (mong đợi): what the respondent wants improved first, several choices.
///
/// Reported as shares of respondents, never folded into the satisfaction index (DOMAIN.md §2).
public struct ExpectationsQuestion: Codable, Hashable, Sendable {
    public var text: LocalizedText
    /// How many options one respondent may pick.
    public var maxChoices: Int
    public var options: [SurveyOption]

    public init(text: LocalizedText, maxChoices: Int, options: [SurveyOption]) {
        self.text = text
        self.maxChoices = maxChoices
        self.options = options
    }
}

/// The free comment (ý kiến khác). It may hold personal details, so exports show it to admins only.
public struct CommentQuestion: Codable, Hashable, Sendable {
    public var text: LocalizedText
    /// The longest comment accepted, in characters.
    public var maxLength: Int

    public init(text: LocalizedText, maxLength: Int) {
        self.text = text
        self.maxLength = maxLength
    }
}

/// One coarse respondent-profile question (gender, age group): never anything that identifies a person.
public struct RespondentQuestion: Codable, Hashable, Sendable {
    public var id: String
    public var text: LocalizedText
    public var options: [SurveyOption]

    public init(id: String, text: LocalizedText, options: [SurveyOption]) {
        self.id = id
        self.text = text
        self.options = options
    }
}
