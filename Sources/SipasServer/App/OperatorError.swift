/// A problem the person running sipas must fix (a bad file, a bad setting, an unknown unit), with a
/// message that names the file, line or key at fault. The command line prints it and exits non-zero.
public struct OperatorError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
