import Foundation
import SipasDomain

/// A documented, seeded generator of realistic SIPAS responses, for demonstrations and benchmarks.
///
/// For each response: a unit drawn among the district and its communes (communes weighted by size), a
/// working day of the year and an office hour (7:30–17:00, Vietnam time), a channel (desk 70 %, kiosk 25 %,
/// web 5 %), one of 20 demonstration procedure codes, and for each item an answer with a probability of
/// satisfaction that depends on the unit and the element (so units and elements differ), about one item
/// in ten left unanswered, and one or two expectations. The same seed gives the same responses.
public struct DemoResponses: Sendable {
    public var year: Int
    public var seed: UInt64

    public init(year: Int, seed: UInt64 = 42) {
        self.year = year
        self.seed = seed
    }

    /// Stores `count` responses through the same write path as the API (responses, answers, tallies),
    /// in batches; returns the number stored.
    public func seed(count: Int, database: AppDatabase, district: String = "875", batchSize: Int = 2_000) async throws
        -> Int
    {
        let catalog = try await database.surveyCatalog()
        guard let definition = catalog.definition("sipas", version: 1) else {
            throw OperatorError("survey sipas version 1 is not published")
        }
        let snapshot = try await UnitCache(database: database).current()
        let midYear = LocalDate(year: year, month: 6, day: 30)!
        let units = [district] + snapshot.directory.children(of: district, on: midYear).map(\.code)
        guard snapshot.directory.unit(district, on: midYear) != nil else {
            throw OperatorError("unit \(district) is not in force in \(year); import the units first")
        }
        let device = try await database.addDevice(unit: district, desk: "Demo", label: "demo generator", now: Date())
            .device
        var random = SeededRandom(seed: seed)
        let days = workingDays()
        let items = definition.elements.flatMap { element in element.items.map { (element.id, $0.id) } }
        let options = definition.expectations?.options.map(\.id) ?? []
        // Each unit and element gets its own level of satisfaction, between 60 % and 95 %.
        var quality: [String: Double] = [:]
        for unit in units {
            for element in definition.elements { quality["\(unit)/\(element.id)"] = 0.60 + 0.35 * random.unit() }
        }

        var stored = 0
        while stored < count {
            var batch: [PreparedResponse] = []
            for _ in 0..<min(batchSize, count - stored) {
                let unit = units[
                    min(units.count - 1, Int(Double(units.count) * random.unit() * random.unit().squareRoot()))]
                let day = days[random.below(days.count)]
                let minutes = 7 * 60 + 30 + random.below(9 * 60 + 30)
                let submittedAt = day.startOfDay.addingTimeInterval(Double(minutes * 60 + random.below(60)))
                var answers: [ValidResponse.Answer] = []
                for (element, item) in items where random.unit() >= 0.1 {
                    let satisfied = random.unit() < quality["\(unit)/\(element)"]!
                    answers.append(.init(item: item, value: satisfied ? 4 + random.below(2) : 1 + random.below(3)))
                }
                if answers.isEmpty { answers = [.init(item: items[0].1, value: 4)] }
                answers.sort { $0.item < $1.item }
                let chosen = Set((0..<(1 + random.below(2))).map { _ in options[random.below(options.count)] }).sorted()
                let channelDraw = random.unit()
                let channel: ResponseChannel = channelDraw < 0.7 ? .desk : channelDraw < 0.95 ? .kiosk : .web
                let response = ValidResponse(
                    id: random.uuid(), survey: "sipas", surveyVersion: 1, unit: unit,
                    procedure: String(format: "DEMO-%02d", 1 + random.below(20)), dossier: nil, channel: channel,
                    answers: answers,
                    expectations: chosen, comment: nil, respondent: [:], submittedAt: submittedAt)
                guard let (version, rowID) = snapshot.rowID(unit, on: day) else { continue }
                batch.append(
                    PreparedResponse(
                        response: response, unitID: rowID, unitCode: version.code, deviceID: device.id, desk: "Demo",
                        contentHash: SHA256Hex.of(
                            response.canonicalContent(unit: version.code, device: String(device.id))),
                        tallies: ResponseContribution.tallies(
                            answers: answers, expectations: chosen, definition: definition),
                        receivedAt: submittedAt))
            }
            _ = try await database.store(batch)
            stored += batch.count
        }
        return stored
    }

    /// Monday to Friday of the year (holidays are not modelled here).
    func workingDays() -> [LocalDate] {
        var days: [LocalDate] = []
        var day = LocalDate(year: year, month: 1, day: 1)!
        let end = LocalDate(year: year, month: 12, day: 31)!
        while day <= end {
            if day.isoWeekday <= 5 { days.append(day) }
            day = day.adding(days: 1)
        }
        return days
    }
}

/// SplitMix64: small, fast and reproducible across platforms (the system generator is not seedable).
struct SeededRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// Uniform in 0..<bound.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// A random (version 4 shaped) UUID, lower case.
    mutating func uuid() -> String {
        let a = next(), b = next()
        let hex = String(format: "%016llx%016llx", a, b)
        let chars = Array(hex)
        return
            "\(String(chars[0..<8]))-\(String(chars[8..<12]))-4\(String(chars[13..<16]))-a\(String(chars[17..<20]))-\(String(chars[20..<32]))"
    }
}
