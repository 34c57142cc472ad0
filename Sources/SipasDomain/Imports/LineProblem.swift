/// A problem found while importing a file, with the line it is on (1 is the header).
public struct LineProblem: Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "line \(line): \(message)" }
}

/// An import refused as a whole: nothing of the file is stored.
public struct ImportRefused: Error, Hashable, Sendable, CustomStringConvertible {
    public var problems: [LineProblem]

    public init(_ problems: [LineProblem]) {
        self.problems = problems
    }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// What an import did, or would do.
public struct ImportSummary: Hashable, Sendable, CustomStringConvertible {
    public var created = 0
    public var updated = 0
    public var unchanged = 0

    public init(created: Int = 0, updated: Int = 0, unchanged: Int = 0) {
        self.created = created
        self.updated = updated
        self.unchanged = unchanged
    }

    public var description: String { "\(created) created, \(updated) updated, \(unchanged) unchanged" }
}
