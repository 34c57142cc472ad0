import SipasDomain

/// A problem the person running sipas must fix (a bad file, a bad setting, an unknown unit), with a
/// message that names the file, line or key at fault. The command line prints it and exits non-zero.
public struct OperatorError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

extension OperatorError {
    /// `raw` in the one text form (``InputText``), or an operator error naming `option` (`--desk`…).
    static func text(_ raw: String?, option: String, maximumLength: Int = InputText.maximumCodeLength) throws -> String?
    {
        switch InputText.optional(raw, field: option, maximumLength: maximumLength) {
        case .success(let value): return value
        case .failure(let problem): throw OperatorError(problem.description)
        }
    }
}

extension OperatorError {
    /// A service's refusal (bad input, a unit outside the reader's, a year outside the calendar) as the operator's
    /// error, with the words the API answers it with (``Problem/init(domain:)``); nil for any other error.
    init?(refusal error: any Error) {
        guard let problem = Problem(domain: error) else { return nil }
        self.init(problem.detail)
    }
}
