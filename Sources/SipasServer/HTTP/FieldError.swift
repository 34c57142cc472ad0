import SipasDomain

/// A field at fault and what is wrong with it, as a problem (`errors`) and each refused element of a batch say it.
struct FieldError: Codable, Hashable, Sendable {
    let field: String
    let message: String

    init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    init(_ problem: FieldProblem) {
        self.init(field: problem.field, message: problem.message)
    }
}
