/// One reason a submission was refused, naming the field (`answers.a3`, `submittedAt`) it concerns.
public struct FieldProblem: Hashable, Sendable, CustomStringConvertible, Error {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

/// A submission refused for one or more reasons.
public struct InvalidResponse: Error, Hashable, Sendable, CustomStringConvertible {
    public var problems: [FieldProblem]

    public init(_ problems: [FieldProblem]) {
        self.problems = problems
    }

    public var description: String { problems.map(\.description).joined(separator: "; ") }
}
