/// What the aggregates keep for one key: a count, and for per-respondent shares their sum and sum of squares.
///
/// Tallies add up: the tally of a period, unit or group is the sum of the tallies of its parts, which is
/// what lets an index query read aggregates instead of responses.
public struct Tally: Hashable, Sendable {
    /// Answers (item keys) or respondents (element and overall keys) counted.
    public var count: Int
    /// Sum of the per-respondent shares (0…1), for element and overall keys.
    public var sum: Double
    /// Sum of their squares.
    public var sumOfSquares: Double

    public init(count: Int = 0, sum: Double = 0, sumOfSquares: Double = 0) {
        self.count = count
        self.sum = sum
        self.sumOfSquares = sumOfSquares
    }

    public static func + (lhs: Tally, rhs: Tally) -> Tally {
        Tally(count: lhs.count + rhs.count, sum: lhs.sum + rhs.sum, sumOfSquares: lhs.sumOfSquares + rhs.sumOfSquares)
    }

    public static func += (lhs: inout Tally, rhs: Tally) { lhs = lhs + rhs }
}

/// The key of a tally, stored as text (`i:a1:5`, `s:a1`, `e:access`, `o`, `x:shorter-time`).
public enum TallyKey: Hashable, Sendable, CustomStringConvertible {
    /// Answers of one value to one item.
    case answer(item: String, value: Int)
    /// Answers to one item in its version's satisfied set.
    case satisfied(item: String)
    /// Respondents who answered at least one item of an element, with their share of satisfied answers in it.
    case element(String)
    /// Respondents, with their overall share (the mean of their element shares).
    case overall
    /// Respondents who chose an expectation option.
    case expectation(String)

    public var description: String {
        switch self {
        case .answer(let item, let value): "i:\(item):\(value)"
        case .satisfied(let item): "s:\(item)"
        case .element(let id): "e:\(id)"
        case .overall: "o"
        case .expectation(let option): "x:\(option)"
        }
    }

    /// Parses the stored text; nil for anything unknown (a newer release's key is ignored, not misread).
    public init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        switch (parts.first, parts.count) {
        case ("o", 1): self = .overall
        case ("e", 2): self = .element(parts[1])
        case ("s", 2): self = .satisfied(item: parts[1])
        case ("x", 2): self = .expectation(parts[1])
        case ("i", 3):
            guard let value = Int(parts[2]) else { return nil }
            self = .answer(item: parts[1], value: value)
        default: return nil
        }
    }
}

/// Sums of tallies by key: the aggregate of any set of responses.
public typealias TallySheet = [TallyKey: Tally]

extension Dictionary where Key == TallyKey, Value == Tally {
    /// Adds another sheet into this one.
    public mutating func add(_ other: TallySheet) {
        for (key, tally) in other { self[key, default: Tally()] += tally }
    }
}
