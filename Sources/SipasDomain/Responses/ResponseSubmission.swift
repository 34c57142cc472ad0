/// A response as a client sent it, before any check: every field may be missing or wrong.
///
/// The HTTP layer only turns JSON into this shape (reporting wrong JSON types); every rule about
/// what a valid response is lives in ``ResponseValidator``.
public struct ResponseSubmission: Hashable, Sendable, Codable {
    /// The client-made UUID: the idempotency key.
    public var id: String?
    public var survey: String?
    public var surveyVersion: Int?
    /// The unit the response is about; absent means the device's own unit.
    public var unit: String?
    public var procedure: String?
    public var dossier: String?
    public var channel: String?
    /// Item id → value; an item left out is "no answer".
    public var answers: [String: Int]?
    public var expectations: [String]?
    public var comment: String?
    public var respondent: [String: String]?
    /// RFC 3339 with offset.
    public var submittedAt: String?

    public init(
        id: String? = nil, survey: String? = nil, surveyVersion: Int? = nil, unit: String? = nil,
        procedure: String? = nil, dossier: String? = nil, channel: String? = nil, answers: [String: Int]? = nil,
        expectations: [String]? = nil, comment: String? = nil, respondent: [String: String]? = nil,
        submittedAt: String? = nil
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

    private enum CodingKeys: String, CodingKey {
        case id, survey, surveyVersion, unit, procedure, dossier, channel, answers, expectations, comment, respondent,
            submittedAt
    }

    /// Decodes numbers through ``WholeNumber`` so that `4.5` is reported at its field (`answers.a1`)
    /// instead of failing the whole document, as Foundation's decoder does on Linux.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(String.self, forKey: .id)
        survey = try container.decodeIfPresent(String.self, forKey: .survey)
        surveyVersion = try container.decodeIfPresent(WholeNumber.self, forKey: .surveyVersion)?.value
        unit = try container.decodeIfPresent(String.self, forKey: .unit)
        procedure = try container.decodeIfPresent(String.self, forKey: .procedure)
        dossier = try container.decodeIfPresent(String.self, forKey: .dossier)
        channel = try container.decodeIfPresent(String.self, forKey: .channel)
        answers = try container.decodeIfPresent([String: WholeNumber].self, forKey: .answers)?.mapValues(\.value)
        expectations = try container.decodeIfPresent([String].self, forKey: .expectations)
        comment = try container.decodeIfPresent(String.self, forKey: .comment)
        respondent = try container.decodeIfPresent([String: String].self, forKey: .respondent)
        submittedAt = try container.decodeIfPresent(String.self, forKey: .submittedAt)
    }
}

/// A JSON number that must be a whole number; anything else is a type mismatch at its own path.
struct WholeNumber: Decodable {
    let value: Int

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let number = try container.decode(Double.self)
        guard number.rounded() == number, abs(number) < 1e15 else {
            throw DecodingError.typeMismatch(
                Int.self, .init(codingPath: decoder.codingPath, debugDescription: "\(number) is not a whole number"))
        }
        value = Int(number)
    }
}
