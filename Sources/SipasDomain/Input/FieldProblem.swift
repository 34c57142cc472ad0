/// One reason an input was refused, naming the field (`answers.a3`, `submittedAt`) or parameter (`year`) it concerns.
public struct FieldProblem: Hashable, Sendable, CustomStringConvertible, Error {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
