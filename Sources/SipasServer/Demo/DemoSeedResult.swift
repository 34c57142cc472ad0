import Foundation

/// What `sipas demo seed` did: how many of its submissions the intake stored, how many it had already (the same
/// seed, unit, year and count give the same responses, so a second run replays them), and how long it took.
public struct DemoSeedResult: Sendable, Equatable {
    /// Stored by this run.
    public var created = 0
    /// Already stored with the same content: acknowledged again, nothing changed.
    public var replayed = 0
    /// From the start of the seeding (reading the units included) to the last commit.
    public var seconds: Double = 0

    public init(created: Int = 0, replayed: Int = 0, seconds: Double = 0) {
        self.created = created
        self.replayed = replayed
        self.seconds = seconds
    }

    /// Submissions the intake took (stored or already stored).
    public var submitted: Int { created + replayed }

    /// Submissions a second.
    public var perSecond: Double { seconds > 0 ? Double(submitted) / seconds : 0 }

    /// The line the command prints, e.g. `stored 1000000 responses for 99 in 2024 in 812.3 s (1231 responses/s)`.
    public func summary(unit: String, year: Int) -> String {
        let timing = String(format: "%.1f s (%.0f responses/s)", seconds, perSecond)
        switch (created, replayed) {
        case (_, 0):
            return "stored \(created) responses for \(unit) in \(year) in \(timing)"
        case (0, _):
            return "stored 0 responses for \(unit) in \(year): all \(replayed) were already stored (the same seed, "
                + "unit, year and count give the same responses; --seed N makes others); checked in \(timing)"
        default:
            return "stored \(created) responses for \(unit) in \(year), and \(replayed) were already stored (the "
                + "same seed, unit, year and count give the same responses), in \(timing)"
        }
    }
}
