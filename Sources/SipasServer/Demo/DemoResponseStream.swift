import Foundation
import SipasDomain

/// The reproducible sequence of submissions ``DemoResponses`` sends: each one as a tablet would post it
/// (a ``ResponseSubmission``, the API's own type), drawn from a ``SeededRandom`` in a fixed order, so the same
/// seed, units and days give the same submissions.
struct DemoResponseStream {
    /// The units drawn from, the root first: the earlier ones are drawn more often ("bigger").
    let units: [String]
    /// The days drawn from, each with its text `YYYY-MM-DDT` and the Vietnam offset that follows a time.
    private let days: [(date: LocalDate, prefix: String, offset: String)]
    /// Every item of the definition, with the index of its element.
    private let items: [(element: Int, item: String)]
    private let options: [String]
    private let directory: UnitDirectory
    /// The probability of satisfaction of each unit (by index in ``units``) and element.
    private let quality: [[Double]]
    private var random: SeededRandom

    /// - Parameters:
    ///   - units: the root unit, then the units under it.
    ///   - days: the days a response may fall on (not empty).
    ///   - directory: the units, to leave out a draw whose unit is not in force on its day.
    init(definition: SurveyDefinition, units: [String], days: [LocalDate], directory: UnitDirectory, seed: UInt64) {
        self.units = units
        self.days = days.map { day in
            let midnight = Timestamp.formatLocal(day.startOfDay)  // 2024-03-11T00:00:00+07:00
            return (day, "\(day)T", String(midnight.suffix(6)))
        }
        items = definition.elements.enumerated().flatMap { index, element in element.items.map { (index, $0.id) } }
        options = definition.expectations?.options.map(\.id) ?? []
        self.directory = directory
        var random = SeededRandom(seed: seed)
        // Each unit and element gets its own level of satisfaction, between 60 % and 95 %.
        quality = units.map { _ in definition.elements.map { _ in 0.60 + 0.35 * random.unit() } }
        self.random = random
    }

    /// The next submission. A draw whose unit is not in force on its day is left out and the next one taken,
    /// so a root whose children change during the year still gets only responses the intake can place.
    mutating func next() -> ResponseSubmission {
        while true {
            let (submission, unit, day) = draw()
            if directory.unit(unit, on: day) != nil { return submission }
        }
    }

    /// One response, drawn in the generator's fixed order (changing the order changes every seeded data set).
    private mutating func draw() -> (ResponseSubmission, unit: String, day: LocalDate) {
        let unitIndex = min(units.count - 1, Int(Double(units.count) * random.unit() * random.unit().squareRoot()))
        let unit = units[unitIndex]
        let day = days[random.below(days.count)]
        let minutes = 7 * 60 + 30 + random.below(9 * 60 + 30)
        let second = random.below(60)
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
        let procedure = String(format: "DEMO-%02d", 1 + random.below(20))
        let submittedAt =
            day.prefix + Self.twoDigits(minutes / 60) + ":" + Self.twoDigits(minutes % 60) + ":"
            + Self.twoDigits(second) + day.offset
        let submission = ResponseSubmission(
            id: id, survey: "sipas", surveyVersion: 1, unit: unit, procedure: procedure, channel: channel.rawValue,
            answers: answers, expectations: chosen, submittedAt: submittedAt)
        return (submission, unit, day.date)
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
}
