/// When responses look stuffed (settings, not code: offices differ). Checked by ``StuffingRules/init(_:)``;
/// the signals are computed per device, desk and Vietnam day.
public struct StuffingThresholds: Sendable, Equatable, Codable {
    /// A burst: more than `burstMaximum` responses from one device and desk within `burstWindowSeconds`
    /// (the first and last at most that many seconds apart; a desk serves one citizen at a time, a few
    /// minutes each). 0 in either turns the signal off.
    public var burstWindowSeconds: Int = 300
    public var burstMaximum: Int = 10
    /// A run: at least this many consecutive responses from one device and desk with the identical answer set
    /// (one-answer responses, like the kiosk's one-tap rating, never form a run). 0 turns the signal off.
    public var identicalRun: Int = 8
    /// Office hours in Vietnam local time, "HH:MM-HH:MM"; responses submitted before the opening or from the
    /// closing minute on are flagged.
    public var officeHours: String = "07:00-17:30"
    /// ISO weekdays (1 Monday … 7 Sunday) the office opens; one-stop desks often open Saturday mornings.
    public var officeDays: [Int] = [1, 2, 3, 4, 5, 6]

    public init() {}
}
