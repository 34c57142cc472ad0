/// When responses look stuffed (settings, not code: offices differ).
public struct StuffingThresholds: Sendable, Equatable, Codable {
    /// A burst: more than `burstMaximum` responses from one device and desk within `burstWindowSeconds`
    /// (a desk serves one citizen at a time; a few minutes each).
    public var burstWindowSeconds: Int = 300
    public var burstMaximum: Int = 10
    /// A run: at least this many consecutive responses from one device and desk with the identical answer set.
    public var identicalRun: Int = 8
    /// Office hours in Vietnam local time, "HH:MM-HH:MM"; responses submitted outside them are flagged.
    public var officeHours: String = "07:00-17:30"
    /// ISO weekdays (1 Monday … 7 Sunday) the office opens; one-stop desks often open Saturday mornings.
    public var officeDays: [Int] = [1, 2, 3, 4, 5, 6]

    public init() {}
}
