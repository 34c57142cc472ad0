/// An element (yếu tố) of a survey: a titled group of items, shown as one section of the form.
public struct SurveyElement: Codable, Hashable, Sendable {
    public var id: String
    public var title: LocalizedText
    public var items: [SurveyItem]

    public init(id: String, title: LocalizedText, items: [SurveyItem]) {
        self.id = id
        self.title = title
        self.items = items
    }
}

/// One rated item (tiêu chí) of an element, answered on the survey's scale.
public struct SurveyItem: Codable, Hashable, Sendable {
    /// Short, stable id; it appears in APIs and exports, so it never changes within a survey.
    public var id: String
    public var text: LocalizedText
    /// A required item must be answered; any other item may be left out ("no answer", never a zero).
    public var required: Bool

    public init(id: String, text: LocalizedText, required: Bool = false) {
        self.id = id
        self.text = text
        self.required = required
    }

    private enum CodingKeys: String, CodingKey { case id, text, required }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        text = try container.decode(LocalizedText.self, forKey: .text)
        required = try container.decodeIfPresent(Bool.self, forKey: .required) ?? false
    }
}
