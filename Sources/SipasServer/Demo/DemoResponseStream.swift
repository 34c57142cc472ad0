import Foundation
import SipasDomain

/// The reproducible sequence of submissions ``DemoResponses`` sends, in date order: each one as a desk's tablet would
/// post it (a ``ResponseSubmission``, the API's own type) with the desk that sends it, drawn from a ``SeededRandom``
/// in a fixed order, so the same seed, units, days and count give the same submissions.
///
/// The whole year is planned first: how many responses each unit gets on each day, and so how many desks each unit
/// needs for none of them to take more than ``deskCapacity`` in a day. The days are then generated one at a time, in
/// order: each desk's responses of the day fall in distinct slots of its office hours (a desk serves one citizen at a
/// time), and the day's responses of every desk are sent in the order of their time.
struct DemoResponseStream {
    /// One desk of a unit, which one device serves: "Một cửa 1", "Một cửa 2", ….
    struct Desk: Hashable, Sendable {
        let unit: String
        let name: String
    }

    /// One submission and the desk (its index in ``desks``) that sends it.
    struct Draw {
        let submission: ResponseSubmission
        let desk: Int
    }

    /// The most responses one desk takes in a day: one every 14 minutes or so over the office hours, a citizen served
    /// at a time. A unit gets as many desks as its busiest day needs.
    static let deskCapacity = 40
    /// The office hours responses fall in: 7:30 to 17:00, Vietnam time, in seconds after midnight.
    static let opens = (7 * 60 + 30) * 60
    static let closes = 17 * 60 * 60

    /// The units drawn from, the root first: the earlier ones are drawn more often ("bigger").
    let units: [String]
    /// The desks that send responses, by unit (in the order of ``units``) then number; a unit without responses has
    /// none.
    let desks: [Desk]
    /// How many submissions the stream gives.
    let count: Int
    /// The days drawn from, each with its text `YYYY-MM-DDT` and the Vietnam offset that follows a time.
    private let days: [(date: LocalDate, prefix: String, offset: String)]
    /// Responses of each day (by index in ``days``) and unit (by index in ``units``).
    private let plan: [[Int32]]
    /// The first desk (index in ``desks``) of each unit and how many it has.
    private let unitDesks: [(first: Int, count: Int)]
    /// Every item of the definition, with the index of its element.
    private let items: [(element: Int, item: String)]
    private let options: [String]
    /// The probability of satisfaction of each unit (by index in ``units``) and element.
    private let quality: [[Double]]
    private static let procedures = (1...20).map { $0 < 10 ? "DEMO-0\($0)" : "DEMO-\($0)" }
    private var random: SeededRandom
    /// The next day to generate, and what is left of the day generated last.
    private var nextDay = 0
    private var pending: [Draw] = []
    private var given = 0

    /// - Parameters:
    ///   - units: the root unit, then the units under it.
    ///   - days: the days a response may fall on, in order (not empty; the root in force on each).
    ///   - directory: the units, to leave out a draw whose unit is not in force on its day.
    ///   - count: how many submissions.
    init(
        definition: SurveyDefinition, units: [String], days: [LocalDate], directory: UnitDirectory, count: Int,
        seed: UInt64
    ) {
        self.units = units
        self.count = count
        self.days = days.map { day in
            let midnight = Timestamp.formatLocal(day.startOfDay)  // 2024-03-11T00:00:00+07:00
            return (day, "\(day)T", String(midnight.suffix(6)))
        }
        items = definition.elements.enumerated().flatMap { index, element in element.items.map { (index, $0.id) } }
        options = definition.expectations?.options.map(\.id) ?? []
        var random = SeededRandom(seed: seed)
        // Each unit and element gets its own level of satisfaction, between 60 % and 95 %.
        quality = units.map { _ in definition.elements.map { _ in 0.60 + 0.35 * random.unit() } }

        // The year's plan: a unit and a day for each response; a draw whose unit is not in force on its day is left
        // out and the next one taken (the root is in force on every day, so one always is).
        let inForce = days.map { day in units.map { directory.unit($0, on: day) != nil } }
        var plan = Array(repeating: Array(repeating: Int32(0), count: units.count), count: days.count)
        var placed = 0
        while placed < count {
            let unit = min(units.count - 1, Int(Double(units.count) * random.unit() * random.unit().squareRoot()))
            let day = random.below(days.count)
            guard inForce[day][unit] else { continue }
            plan[day][unit] += 1
            placed += 1
        }
        // As many desks as the unit's busiest day needs.
        var desks: [Desk] = []
        var unitDesks: [(first: Int, count: Int)] = []
        for (index, unit) in units.enumerated() {
            let busiest = Int(plan.lazy.map { $0[index] }.max() ?? 0)
            let needed = (busiest + Self.deskCapacity - 1) / Self.deskCapacity
            unitDesks.append((desks.count, needed))
            desks += (0..<needed).map { Desk(unit: unit, name: "Một cửa \($0 + 1)") }
        }
        self.plan = plan
        self.desks = desks
        self.unitDesks = unitDesks
        self.random = random
    }

    /// The next submission and its desk, in date order; nil after ``count``.
    mutating func next() -> Draw? {
        guard given < count else { return nil }
        while pending.isEmpty {
            pending = day(nextDay).reversed()
            nextDay += 1
        }
        given += 1
        return pending.removeLast()
    }

    /// The submissions of the day at `index` in ``days``, in the order of their time.
    private mutating func day(_ index: Int) -> [Draw] {
        let slotLength = (Self.closes - Self.opens) / Self.deskCapacity
        // (second of the day, unit, desk): each desk's share of its unit's responses, in distinct slots.
        var times: [(second: Int, unit: Int, desk: Int)] = []
        for (unit, responses) in plan[index].enumerated() where responses > 0 {
            let (first, desks) = unitDesks[unit]
            let responses = Int(responses)
            let turn = random.below(desks)  // which desks take one more when the day does not share out evenly
            for desk in 0..<desks {
                var share = responses / desks + ((desk - turn + desks) % desks < responses % desks ? 1 : 0)
                // Selection sampling: `share` of the day's slots, each taken with the chance still needed.
                for slot in 0..<Self.deskCapacity where share > 0 {
                    guard random.below(Self.deskCapacity - slot) < share else { continue }
                    share -= 1
                    times.append((Self.opens + slot * slotLength + random.below(slotLength), unit, first + desk))
                }
            }
        }
        times.sort { ($0.second, $0.desk) < ($1.second, $1.desk) }
        return times.map { time in
            Draw(submission: submission(unit: time.unit, day: days[index], second: time.second), desk: time.desk)
        }
    }

    /// One response's content, drawn in the generator's fixed order (changing the order changes every seeded data set).
    private mutating func submission(
        unit unitIndex: Int, day: (date: LocalDate, prefix: String, offset: String), second: Int
    ) -> ResponseSubmission {
        var answers: [String: Int] = [:]
        for (element, item) in items where random.unit() >= 0.1 {
            let satisfied = random.unit() < quality[unitIndex][element]
            answers[item] = satisfied ? 4 + random.below(2) : 1 + random.below(3)
        }
        if answers.isEmpty { answers[items[0].item] = 4 }
        let chosen = Set((0..<(1 + random.below(2))).map { _ in options[random.below(options.count)] }).sorted()
        let channelDraw = random.unit()
        let channel: ResponseChannel = channelDraw < 0.7 ? .desk : channelDraw < 0.95 ? .kiosk : .web
        let id = random.uuid()
        let procedure = Self.procedures[random.below(Self.procedures.count)]
        let submittedAt =
            day.prefix + Self.twoDigits(second / 3_600) + ":" + Self.twoDigits(second / 60 % 60) + ":"
            + Self.twoDigits(second % 60) + day.offset
        return ResponseSubmission(
            id: id, survey: "sipas", surveyVersion: 1, unit: units[unitIndex], procedure: procedure,
            channel: channel.rawValue, answers: answers, expectations: chosen, submittedAt: submittedAt)
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
}
