/// The answer scale of a survey: its values with labels, and which values count as satisfied.
///
/// Answers are stored raw (the value the citizen chose); whether an answer is "satisfied" is read from
/// `satisfied` at aggregation time, so a different rule is a change of the survey file, not of code.
public struct AnswerScale: Codable, Hashable, Sendable {
    /// One point of the scale (for SIPAS: 1 Rất không hài lòng … 5 Rất hài lòng).
    public struct Point: Codable, Hashable, Sendable {
        public var value: Int
        public var label: LocalizedText

        public init(value: Int, label: LocalizedText) {
            self.value = value
            self.label = label
        }
    }

    /// The points in display order.
    public var points: [Point]
    /// The values that count as satisfied (for SIPAS: 4 and 5).
    public var satisfied: [Int]

    public init(points: [Point], satisfied: [Int]) {
        self.points = points
        self.satisfied = satisfied
    }

    /// Whether `value` is one of the scale's points.
    public func contains(_ value: Int) -> Bool {
        points.contains { $0.value == value }
    }

    /// The smallest and largest value, for error messages.
    public var range: ClosedRange<Int>? {
        guard let low = points.map(\.value).min(), let high = points.map(\.value).max() else { return nil }
        return low...high
    }
}
