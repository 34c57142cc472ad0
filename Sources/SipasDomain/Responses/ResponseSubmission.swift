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
}
