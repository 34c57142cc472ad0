import Foundation

/// Checks a submission against the stored survey definitions: the one place that says what a valid response is.
public struct ResponseValidator: Sendable {
    /// How far in the future a `submittedAt` may lie (device clocks drift a little, never by hours).
    public static let allowedClockSkew: TimeInterval = 10 * 60
    /// Longest procedure or dossier code accepted, in code points (``InputText``).
    public static let maximumCodeLength = InputText.maximumCodeLength

    public let catalog: SurveyCatalog

    public init(catalog: SurveyCatalog) {
        self.catalog = catalog
    }

    /// The normalised response, or every problem found, each naming its field.
    public func validate(_ submission: ResponseSubmission, now: Date) -> Result<ValidResponse, InvalidInput> {
        var problems: [FieldProblem] = []
        func report(_ field: String, _ message: String) { problems.append(.init(field: field, message: message)) }

        // MARK: - Identity and envelope
        var id: String?
        if let raw = submission.id {
            if let uuid = UUID(uuidString: raw) {
                id = uuid.uuidString.lowercased()
            } else {
                report("id", "'\(raw)' is not a UUID")
            }
        } else {
            report("id", "is required (a UUID made by the client, used to recognise a resend)")
        }

        var definition: SurveyDefinition?
        switch (submission.survey, submission.surveyVersion) {
        case (nil, _): report("survey", "is required")
        case (let survey?, nil):
            if catalog.versions(of: survey).isEmpty { report("survey", "unknown survey '\(survey)'") }
            report("surveyVersion", "is required")
        case (let survey?, let version?):
            let versions = catalog.versions(of: survey)
            if versions.isEmpty {
                report("survey", "unknown survey '\(survey)'")
            } else if let found = catalog.definition(survey, version: version) {
                definition = found
            } else {
                report(
                    "surveyVersion",
                    "survey '\(survey)' has no version \(version) (stored: \(versions.map(String.init).joined(separator: ", ")))"
                )
            }
        }

        var channel: ResponseChannel?
        if let raw = submission.channel {
            channel = ResponseChannel(rawValue: raw)
            if channel == nil {
                report(
                    "channel",
                    "'\(raw)' is not one of \(ResponseChannel.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        } else {
            report("channel", "is required (\(ResponseChannel.allCases.map(\.rawValue).joined(separator: ", ")))")
        }

        var submittedAt: Date?
        if let raw = submission.submittedAt {
            if let date = Timestamp.parse(raw) {
                if date > now.addingTimeInterval(Self.allowedClockSkew) {
                    report(
                        "submittedAt",
                        "\(raw) is more than 10 minutes in the future (server time \(Timestamp.format(now)))")
                } else {
                    submittedAt = Timestamp.truncatedToMilliseconds(date)
                }
            } else {
                report(
                    "submittedAt", "'\(raw)' is not an RFC 3339 date-time with offset, e.g. 2025-03-14T09:30:00+07:00")
            }
        } else {
            report("submittedAt", "is required (RFC 3339 with offset)")
        }

        let unit = Self.code(submission.unit, field: "unit", report: report)
        let procedure = Self.code(submission.procedure, field: "procedure", report: report)
        let dossier = Self.code(submission.dossier, field: "dossier", report: report)

        // MARK: - Content, against the definition
        var answers: [ValidResponse.Answer] = []
        if let given = submission.answers, !given.isEmpty {
            if let definition {
                for (item, value) in given.sorted(by: { $0.key < $1.key }) {
                    guard let known = definition.item(item) else {
                        report(
                            "answers.\(item)",
                            "unknown item '\(item)' in survey \(definition.id) version \(definition.version)")
                        continue
                    }
                    guard definition.scale.contains(value) else {
                        let range = definition.scale.range.map { " \($0.lowerBound)-\($0.upperBound)" } ?? ""
                        report("answers.\(item)", "\(value) is outside the scale\(range)")
                        continue
                    }
                    // The definition's spelling: Swift compares canonically, the database byte by byte.
                    answers.append(.init(item: known.id, value: value))
                }
                for item in definition.items where item.required && given[item.id] == nil {
                    report("answers.\(item.id)", "is required")
                }
            }
        } else {
            report("answers", "at least one item must be answered")
        }

        let expectations = Self.expectations(submission.expectations ?? [], definition: definition, report: report)
        let comment = Self.comment(submission.comment, definition: definition, report: report)
        let respondent = Self.respondent(submission.respondent ?? [:], definition: definition, report: report)

        guard problems.isEmpty, let id, let definition, let channel, let submittedAt else {
            return .failure(InvalidInput(problems))
        }
        return .success(
            ValidResponse(
                id: id, survey: definition.id, surveyVersion: definition.version, unit: unit, procedure: procedure,
                dossier: dossier, channel: channel, answers: answers, expectations: expectations, comment: comment,
                respondent: respondent, submittedAt: submittedAt))
    }

    // MARK: - Parts

    /// Optional codes: empty means absent; otherwise the one text rule (``InputText``) for codes.
    private static func code(_ raw: String?, field: String, report: (String, String) -> Void) -> String? {
        switch InputText.optional(raw, field: field) {
        case .success(let value): return value
        case .failure(let problem):
            report(problem.field, problem.message)
            return nil
        }
    }

    private static func expectations(
        _ given: [String], definition: SurveyDefinition?, report: (String, String) -> Void
    ) -> [String] {
        guard !given.isEmpty, let definition else { return [] }
        guard let question = definition.expectations else {
            report("expectations", "survey \(definition.id) has no expectations question")
            return []
        }
        var chosen: Set<String> = []
        for option in given {
            // Stored in the definition's spelling (Swift's == is canonical, the database's is not).
            guard let known = question.options.first(where: { $0.id == option })?.id else {
                report("expectations", "unknown option '\(option)'")
                continue
            }
            if !chosen.insert(known).inserted {
                report("expectations", "option '\(option)' is given twice")
            }
        }
        if chosen.count > question.maxChoices {
            report("expectations", "at most \(question.maxChoices) choices, got \(chosen.count)")
        }
        return chosen.sorted()
    }

    private static func comment(_ raw: String?, definition: SurveyDefinition?, report: (String, String) -> Void)
        -> String?
    {
        // The survey's limit is at most SurveyDefinition.maximumCommentLength, which the schema's CHECK
        // (length(comment) <= 4000, also in code points) never refuses: a comment that passes here stores.
        let limit = definition?.comment?.maxLength ?? SurveyDefinition.maximumCommentLength
        let text: String?
        switch InputText.optional(raw, field: "comment", kind: .multiline, maximumLength: limit) {
        case .success(let value): text = value
        case .failure(let problem):
            report(problem.field, problem.message)
            return nil
        }
        guard let text else { return nil }
        if let definition, definition.comment == nil {
            report("comment", "survey \(definition.id) takes no comment")
            return nil
        }
        return text
    }

    private static func respondent(
        _ given: [String: String], definition: SurveyDefinition?, report: (String, String) -> Void
    ) -> [String: String] {
        guard !given.isEmpty, let definition else { return [:] }
        let questions = definition.respondent ?? []
        var profile: [String: String] = [:]
        for (key, value) in given.sorted(by: { $0.key < $1.key }) {
            guard let question = questions.first(where: { $0.id == key }) else {
                report("respondent.\(key)", "unknown question '\(key)'")
                continue
            }
            guard let option = question.options.first(where: { $0.id == value }) else {
                report(
                    "respondent.\(key)",
                    "'\(value)' is not one of \(question.options.map(\.id).joined(separator: ", "))")
                continue
            }
            profile[question.id] = option.id
        }
        return profile
    }
}
