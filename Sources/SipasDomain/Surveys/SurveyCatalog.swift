/// Every published version of every survey, as stored; the current version of a survey is its highest.
///
/// Responses may name any stored version, since kiosks update late.
public struct SurveyCatalog: Sendable {
    private var definitions: [String: [Int: SurveyDefinition]]

    public init(_ definitions: [SurveyDefinition] = []) {
        self.definitions = [:]
        for definition in definitions { add(definition) }
    }

    /// Adds (or replaces) one version.
    public mutating func add(_ definition: SurveyDefinition) {
        definitions[definition.id, default: [:]][definition.version] = definition
    }

    /// The survey ids, sorted.
    public var surveyIDs: [String] { definitions.keys.sorted() }

    /// The stored versions of a survey, ascending; empty for an unknown survey.
    public func versions(of survey: String) -> [Int] {
        (definitions[survey]?.keys).map { $0.sorted() } ?? []
    }

    /// The highest stored version of a survey.
    public func current(_ survey: String) -> SurveyDefinition? {
        guard let latest = versions(of: survey).last else { return nil }
        return definitions[survey]?[latest]
    }

    /// One exact version.
    public func definition(_ survey: String, version: Int) -> SurveyDefinition? {
        definitions[survey]?[version]
    }
}
