import Foundation

/// Why a response looks stuffed (DOMAIN.md §7: figures feed officials' evaluations, so a desk may rate itself).
public enum StuffingReason: String, Sendable, Hashable, CaseIterable, Codable {
    /// More responses in a short window than one desk can serve.
    case burst
    /// A long run of consecutive responses with the identical answer set.
    case identicalRun
    /// Submitted outside office hours, or on a day the office is closed.
    case outsideOfficeHours
}

/// One reason a response is flagged, with a detail an admin can read.
public struct StuffingFlag: Sendable, Hashable {
    public let reason: StuffingReason
    public let detail: String

    public init(reason: StuffingReason, detail: String) {
        self.reason = reason
        self.detail = detail
    }
}

/// What the rules need of one response from a device and desk.
public struct StuffingSubmission: Sendable, Hashable {
    /// The response's arrival number (breaks ties between equal submission times).
    public var seq: Int64
    public var submittedAt: Date
    /// The answers as comparable text (e.g. `sipas/1|a1=5,a2=4`); nil when they say too little to compare,
    /// such as the one-tap kiosk rating, where citizens repeat each other by nature. nil breaks a run.
    public var answerSet: String?

    public init(seq: Int64, submittedAt: Date, answerSet: String?) {
        self.seq = seq
        self.submittedAt = submittedAt
        self.answerSet = answerSet
    }
}

/// A flagged response and its reasons, in the order of ``StuffingReason/allCases``.
public struct FlaggedSubmission: Sendable, Hashable {
    public let seq: Int64
    public let flags: [StuffingFlag]
}

/// A stuffing setting that cannot be used, named as in the configuration (`stuffing.officeHours`).
public struct StuffingSettingProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public let setting: String
    public let message: String

    public var description: String { "stuffing.\(setting): \(message)" }
}

/// The stuffing signals over the responses of one device and desk (a tablet's or kiosk's day).
///
/// - **burst**: more than `burstMaximum` responses within `burstWindowSeconds` (the first and last of them
///   at most that many seconds apart). Every response of such a window is flagged; overlapping windows
///   form one episode, described by its span and its densest window.
/// - **identicalRun**: at least `identicalRun` consecutive responses (in submission order) with the same
///   answer set; one different answer set ends the run.
/// - **outsideOfficeHours**: submitted before the opening or from the closing time on (the closing minute is
///   already closed), or on a weekday not in `officeDays`, in Vietnam local time.
///
/// A zero `burstWindowSeconds`, `burstMaximum` or `identicalRun` turns that signal off.
public struct StuffingRules: Sendable, Equatable {
    public let thresholds: StuffingThresholds
    /// Seconds after local midnight.
    let opens: Int
    let closes: Int

    /// Longest burst window: the signals are computed per Vietnam day, so a longer window means nothing.
    public static let burstWindowRange = 0...86_400
    /// Largest burst maximum and identical run accepted (far above any desk's day).
    public static let countLimit = 100_000

    /// Checks the settings; a bad one is a ``StuffingSettingProblem`` naming it. This is the one check of every
    /// `stuffing.*` setting: the settings file and the environment are read through it too.
    public init(_ thresholds: StuffingThresholds) throws {
        func problem(_ setting: String, _ message: String) -> StuffingSettingProblem {
            StuffingSettingProblem(setting: setting, message: message)
        }
        let window = Self.burstWindowRange
        guard window.contains(thresholds.burstWindowSeconds) else {
            throw problem(
                "burstWindowSeconds",
                "must be a whole number of seconds from \(window.lowerBound) (off) to \(window.upperBound) (a day)")
        }
        guard (0...Self.countLimit).contains(thresholds.burstMaximum) else {
            throw problem("burstMaximum", "must be a whole number from 0 (off) to \(Self.countLimit)")
        }
        guard thresholds.identicalRun == 0 || (2...Self.countLimit).contains(thresholds.identicalRun) else {
            throw problem(
                "identicalRun",
                "must be 0 (off) or a whole number from 2 to \(Self.countLimit) (a single response is no run)")
        }
        guard let (opens, closes) = Self.officeHours(thresholds.officeHours) else {
            throw problem(
                "officeHours",
                "'\(thresholds.officeHours)' is not HH:MM-HH:MM with the opening before the closing (at most 24:00), "
                    + "e.g. 07:00-17:30 or 00:00-24:00 for the whole day")
        }
        guard !thresholds.officeDays.isEmpty else {
            throw problem("officeDays", "must name at least one ISO weekday (1 Monday … 7 Sunday)")
        }
        if let bad = thresholds.officeDays.first(where: { !(1...7).contains($0) }) {
            throw problem("officeDays", "\(bad) is not an ISO weekday (1 Monday … 7 Sunday)")
        }
        self.thresholds = thresholds
        self.opens = opens.minutes * 60
        self.closes = closes.minutes * 60
    }

    /// The flagged responses among one device and desk's, in submission order, each with every reason that applies.
    public func flag(_ submissions: [StuffingSubmission]) -> [FlaggedSubmission] {
        let sorted = submissions.sorted { ($0.submittedAt, $0.seq) < ($1.submittedAt, $1.seq) }
        var details: [Int: [StuffingFlag]] = [:]
        for (index, detail) in bursts(sorted) {
            details[index, default: []].append(StuffingFlag(reason: .burst, detail: detail))
        }
        for (index, detail) in runs(sorted) {
            details[index, default: []].append(StuffingFlag(reason: .identicalRun, detail: detail))
        }
        for (index, submission) in sorted.enumerated() {
            if let detail = outsideOfficeHours(submission.submittedAt) {
                details[index, default: []].append(StuffingFlag(reason: .outsideOfficeHours, detail: detail))
            }
        }
        return details.keys.sorted().map { FlaggedSubmission(seq: sorted[$0].seq, flags: details[$0]!) }
    }

    // MARK: - Bursts

    /// Index (in `sorted`) → detail, for every response inside a window holding more than the maximum.
    func bursts(_ sorted: [StuffingSubmission]) -> [Int: String] {
        let window = Int64(thresholds.burstWindowSeconds) * 1_000, maximum = thresholds.burstMaximum
        guard window > 0, maximum > 0, sorted.count > maximum else { return [:] }
        // Whole milliseconds (the stored precision), so "exactly the window apart" is exact.
        let times = sorted.map { Int64(($0.submittedAt.timeIntervalSince1970 * 1_000).rounded()) }
        var episodes: [(first: Int, last: Int, peak: Int)] = []
        var end = 0
        for start in times.indices {
            end = max(end, start)
            while end + 1 < times.count, times[end + 1] - times[start] <= window { end += 1 }
            let count = end - start + 1
            guard count > maximum else { continue }
            // `end` never decreases, so a window overlapping the last episode extends it.
            if let last = episodes.last, start <= last.last {
                episodes[episodes.count - 1] = (last.first, end, max(last.peak, count))
            } else {
                episodes.append((start, end, count))
            }
        }
        var result: [Int: String] = [:]
        for episode in episodes {
            let detail =
                "one of \(episode.last - episode.first + 1) responses from \(Self.clock(sorted[episode.first].submittedAt)) "
                + "to \(Self.clock(sorted[episode.last].submittedAt)) (Vietnam time), up to \(episode.peak) within "
                + "\(thresholds.burstWindowSeconds) s; a desk serves at most \(maximum) in that time"
            for index in episode.first...episode.last { result[index] = detail }
        }
        return result
    }

    // MARK: - Identical runs

    /// Index → detail, for every response in a run of at least `identicalRun` equal answer sets.
    func runs(_ sorted: [StuffingSubmission]) -> [Int: String] {
        let minimum = thresholds.identicalRun
        guard minimum > 0 else { return [:] }
        var result: [Int: String] = [:]
        var start = 0
        while start < sorted.count {
            var end = start
            if let answers = sorted[start].answerSet {
                while end + 1 < sorted.count, sorted[end + 1].answerSet == answers { end += 1 }
            }
            if end - start + 1 >= minimum {
                let detail =
                    "one of \(end - start + 1) consecutive responses with the same answers, from "
                    + "\(Self.clock(sorted[start].submittedAt)) to \(Self.clock(sorted[end].submittedAt)) (Vietnam time); "
                    + "runs of \(minimum) or more are flagged"
                for index in start...end { result[index] = detail }
            }
            start = end + 1
        }
        return result
    }

    // MARK: - Office hours

    /// The detail when the instant falls outside office hours or on a closed day; nil inside them.
    func outsideOfficeHours(_ instant: Date) -> String? {
        let (weekday, second) = Self.local(instant)
        let hours = "\(Self.clock(opens, seconds: false))-\(Self.clock(closes, seconds: false))"
        if !thresholds.officeDays.contains(weekday) {
            let days = thresholds.officeDays.sorted().map { Self.weekdayNames[$0 - 1] }.joined(separator: ", ")
            return
                "submitted on \(Self.weekdayNames[weekday - 1]) at \(Self.clock(instant)) (Vietnam time); the office opens on \(days)"
        }
        guard second < Double(opens) || second >= Double(closes) else { return nil }
        return "submitted at \(Self.clock(instant)) (Vietnam time), outside office hours \(hours)"
    }

    /// Parses `HH:MM-HH:MM` into the opening and the closing (at most 24:00, after the opening), each side a
    /// ``TimeOfDay``; spaces around either side are allowed. `00:00-24:00` is the whole day.
    public static func officeHours(_ text: String) -> (opens: TimeOfDay, closes: TimeOfDay)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let opens = TimeOfDay(parts[0].trimmingCharacters(in: .whitespaces)),
            let closes = TimeOfDay(parts[1].trimmingCharacters(in: .whitespaces)), opens < closes
        else { return nil }
        return (opens, closes)
    }

    // MARK: - Vietnam local time

    /// Vietnam has kept UTC+7 without daylight saving since 1975, so a fixed offset is exact for responses.
    static let offset = 7 * 3_600.0
    static let weekdayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    /// ISO weekday (1 Monday … 7 Sunday) and seconds after local midnight.
    static func local(_ instant: Date) -> (weekday: Int, second: Double) {
        let seconds = instant.timeIntervalSince1970 + offset
        let day = (seconds / 86_400).rounded(.down)
        // 1 January 1970 was a Thursday (ISO 4).
        let weekday = ((Int(day) % 7 + 7) % 7 + 3) % 7 + 1
        return (weekday, seconds - day * 86_400)
    }

    /// `HH:MM:SS` in Vietnam time.
    static func clock(_ instant: Date) -> String {
        clock(Int(local(instant).second.rounded(.down)), seconds: true)
    }

    static func clock(_ secondOfDay: Int, seconds: Bool) -> String {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let text = "\(two(secondOfDay / 3_600)):\(two(secondOfDay % 3_600 / 60))"
        return seconds ? text + ":\(two(secondOfDay % 60))" : text
    }
}
