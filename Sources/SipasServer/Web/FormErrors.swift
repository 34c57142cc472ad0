import Foundation
import SipasDomain

/// The problems of a refused survey form, in the citizen's language: each names its question (the number shown
/// on the form and its text) and what is wrong with the answer, beside the question and in the summary at the top.
///
/// The validator (the one place that says what a valid response is) names the field; the form says it in words a
/// citizen reads, from what was typed into that field.
struct FormErrors {
    /// Control name (`answer.a1`, `expectation`, `comment`, `respondent.gender`) → the question's number on the form.
    private var numbers: [String: Int] = [:]
    /// Problem field (`answers.a1`) → what is wrong, shown beside its question.
    private var besides: [String: String] = [:]
    /// The summary's lines: `message` and the `anchor` of the question.
    private(set) var summary: [[String: String]] = []
    /// A problem of the whole form ("answer at least one question"), shown at its top.
    private(set) var general: String?

    init(
        definition: SurveyDefinition, values: FormValues, problems: [FieldProblem], texts: [String: String],
        language: String
    ) {
        var numbers: [String: Int] = [:], besides: [String: String] = [:], summary: [[String: String]] = [],
            general: String?
        var questions: [(control: String, text: String)] = definition.items.map {
            ("answer.\($0.id)", $0.text.text(in: language))
        }
        if let question = definition.expectations {
            questions.append(("expectation", question.text.text(in: language)))
        }
        if let comment = definition.comment { questions.append(("comment", comment.text.text(in: language))) }
        for question in definition.respondent ?? [] {
            questions.append(("respondent.\(question.id)", question.text.text(in: language)))
        }
        var labels: [String: String] = [:]
        for (index, question) in questions.enumerated() {
            numbers[question.control] = index + 1
            labels[question.control] = Self.fill(
                texts["questionLabel"], ["number": "\(index + 1)", "text": question.text])
        }

        func add(_ field: String, control: String, anchor: String, _ problem: String) {
            guard besides[field] == nil else { return }
            besides[field] = problem
            summary.append(["message": "\(labels[control] ?? field): \(problem)", "anchor": anchor])
        }
        func number(_ value: Int) -> String { Self.number(value, language: language) }
        for problem in problems {
            let field = problem.field
            if field == "answers" {
                guard general == nil else { continue }
                general = texts["errorNoAnswer"] ?? ""
                summary.append(["message": general ?? "", "anchor": "answers"])
            } else if field.hasPrefix("answers."), let item = definition.item(String(field.dropFirst("answers.".count)))
            {
                let control = "answer.\(item.id)"
                let given = values.single[control] ?? ""
                let range = definition.scale.range.map { "\($0.lowerBound)-\($0.upperBound)" } ?? ""
                add(
                    field, control: control, anchor: field,
                    Self.fill(texts[given.isEmpty ? "errorRequired" : "errorScale"], ["range": range]))
            } else if field == "expectations", let question = definition.expectations {
                let chosen = Set(values.multiple["expectation"] ?? [])
                let text =
                    chosen.count > question.maxChoices
                    ? Self.fill(
                        texts["errorExpectationsTooMany"],
                        ["max": number(question.maxChoices), "count": number(chosen.count)])
                    : Self.fill(texts["errorChoice"], [:])
                add(field, control: "expectation", anchor: field, text)
            } else if field == "comment", let comment = definition.comment {
                // Counted as the validator counts: trimmed, in composed form.
                let length = InputText.length(
                    (values.single["comment"] ?? "").trimmed.precomposedStringWithCanonicalMapping)
                let text =
                    length > comment.maxLength
                    ? Self.fill(
                        texts["errorCommentTooLong"], ["max": number(comment.maxLength), "count": number(length)])
                    : Self.fill(texts["errorCommentRefused"], [:])
                add(field, control: "comment", anchor: field, text)
            } else if field.hasPrefix("respondent."),
                labels["respondent.\(field.dropFirst("respondent.".count))"] != nil
            {
                add(
                    field, control: "respondent.\(field.dropFirst("respondent.".count))", anchor: field,
                    Self.fill(texts["errorChoice"], [:]))
            } else if besides[field] == nil {
                // Not a question: a hidden field of the form, or the ticket's unit; the detail helps whoever is called.
                besides[field] = problem.message
                summary.append([
                    "message": Self.fill(texts["errorForm"], ["field": field, "detail": problem.message]),
                    "anchor": "form",
                ])
            }
        }
        (self.numbers, self.besides, self.summary, self.general) = (numbers, besides, summary, general)
    }

    /// The number a control's question carries on the form.
    func number(of control: String) -> Int? { numbers[control] }

    /// What is wrong with the field's answer, to show beside its question; nil when nothing is.
    func beside(_ field: String) -> String? { besides[field] }

    /// `template` with each `{name}` replaced by its value.
    static func fill(_ template: String?, _ values: [String: String]) -> String {
        var text = template ?? ""
        for (name, value) in values { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        return text
    }

    /// A whole number grouped the language's way: 1.000 in Vietnamese, 1,000 in English.
    static func number(_ value: Int, language: String) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped.append(language == "en" ? "," : ".") }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }
}
