/// One thing wrong with a survey definition, with the path of the offending key (`elements[2].items[0].id`).
public struct DefinitionProblem: Hashable, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}
