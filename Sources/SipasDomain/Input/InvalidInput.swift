/// An input refused for one or more reasons, each naming its field: a response, a dossier, a query's parameters, a
/// form. The server answers it with 422 listing them all.
public struct InvalidInput: Error, Hashable, Sendable, CustomStringConvertible {
    public var problems: [FieldProblem]

    public init(_ problems: [FieldProblem]) {
        self.problems = problems
    }

    public var description: String { problems.map(\.description).joined(separator: "; ") }
}
