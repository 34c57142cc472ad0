import Foundation
import SipasDomain

/// Small definitions built in code, so each test shows the whole input it depends on.
enum Fixtures {
    static let text = LocalizedText(vi: "Nội dung", en: "Text")

    /// A two-element survey on a 1-5 scale, satisfied at 4 and 5, with every optional part.
    static func survey(id: String = "sipas", version: Int = 1) -> SurveyDefinition {
        SurveyDefinition(
            id: id, version: version, title: LocalizedText(vi: "Khảo sát", en: "Survey"),
            scale: AnswerScale(
                points: (1...5).map {
                    AnswerScale.Point(value: $0, label: LocalizedText(vi: "Mức \($0)", en: "Level \($0)"))
                },
                satisfied: [4, 5]),
            elements: [
                SurveyElement(
                    id: "access", title: text,
                    items: [SurveyItem(id: "a1", text: text), SurveyItem(id: "a2", text: text)]),
                SurveyElement(id: "staff", title: text, items: [SurveyItem(id: "s1", text: text)]),
            ],
            expectations: ExpectationsQuestion(
                text: text, maxChoices: 2,
                options: [
                    SurveyOption(id: "faster", label: text), SurveyOption(id: "cheaper", label: text),
                    SurveyOption(id: "kinder", label: text),
                ]),
            comment: CommentQuestion(text: text, maxLength: 20),
            respondent: [
                RespondentQuestion(
                    id: "gender", text: text,
                    options: [SurveyOption(id: "female", label: text), SurveyOption(id: "male", label: text)])
            ])
    }

    /// The one-question kiosk rating (3 levels), its question required.
    static func quick() -> SurveyDefinition {
        SurveyDefinition(
            id: "quick", version: 1, title: text,
            scale: AnswerScale(points: (1...3).map { AnswerScale.Point(value: $0, label: text) }, satisfied: [2, 3]),
            elements: [
                SurveyElement(id: "overall", title: text, items: [SurveyItem(id: "rating", text: text, required: true)])
            ])
    }

    /// The repository's `Surveys/` folder.
    static let surveysDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Surveys")
}
