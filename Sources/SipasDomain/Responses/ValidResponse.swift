import Foundation

/// A response that passed every check against its survey definition, in normalised form.
public struct ValidResponse: Hashable, Sendable {
    /// One answered item.
    public struct Answer: Hashable, Sendable {
        public var item: String
        public var value: Int

        public init(item: String, value: Int) {
            self.item = item
            self.value = value
        }
    }

    /// Lower-case UUID text.
    public var id: String
    public var survey: String
    public var surveyVersion: Int
    public var unit: String?
    public var procedure: String?
    public var dossier: String?
    public var channel: ResponseChannel
    /// Sorted by item id.
    public var answers: [Answer]
    /// Sorted option ids.
    public var expectations: [String]
    /// Trimmed, Unicode NFC; nil when empty.
    public var comment: String?
    public var respondent: [String: String]
    /// Truncated to milliseconds.
    public var submittedAt: Date

    public init(
        id: String, survey: String, surveyVersion: Int, unit: String?, procedure: String?, dossier: String?,
        channel: ResponseChannel,
        answers: [Answer], expectations: [String], comment: String?, respondent: [String: String], submittedAt: Date
    ) {
        self.id = id
        self.survey = survey
        self.surveyVersion = surveyVersion
        self.unit = unit
        self.procedure = procedure
        self.dossier = dossier
        self.channel = channel
        self.answers = answers
        self.expectations = expectations
        self.comment = comment
        self.respondent = respondent
        self.submittedAt = submittedAt
    }

    /// The local (Asia/Ho_Chi_Minh) date of submission, which decides the unit version and the period.
    public var submittedDate: LocalDate { LocalDate(submittedAt) }

    /// A deterministic text of everything the response says, for telling a resend (same content)
    /// from a different response reusing an id. `unit` is the resolved unit and `device` the sender.
    /// `includingTime: false` leaves out `submittedAt` where the server, not the sender, set it (the web
    /// form), so a double tap a moment later is still the same response.
    public func canonicalContent(unit resolvedUnit: String, device: String, includingTime: Bool = true) -> String {
        func field(_ name: String, _ value: String?) -> String {
            // Length-prefixed so no value can imitate a separator.
            let text = value ?? "∅"
            return "\(name)=\(text.utf8.count):\(text)\n"
        }
        var text = "sipas-response/1\n"
        text += field("id", id)
        text += field("survey", survey)
        text += field("surveyVersion", String(surveyVersion))
        text += field("unit", resolvedUnit)
        text += field("device", device)
        text += field("procedure", procedure)
        text += field("dossier", dossier)
        text += field("channel", channel.rawValue)
        for answer in answers { text += field("answer.\(answer.item)", String(answer.value)) }
        for option in expectations { text += field("expectation", option) }
        text += field("comment", comment)
        for key in respondent.keys.sorted() { text += field("respondent.\(key)", respondent[key]) }
        if includingTime { text += field("submittedAt", Timestamp.format(submittedAt)) }
        return text
    }
}
