import Foundation
import Logging
import SipasDomain

/// A documented, seeded generator of realistic SIPAS responses, for demonstrations and benchmarks.
///
/// The units are the root unit and the units directly under it (a district and its communes, or a province and its
/// communes; the earlier codes get more responses, as bigger units). Each unit has as many one-stop desks, "Một cửa 1",
/// "Một cửa 2", …, as its busiest day needs for none to take more than 40 responses a day, and a tablet at each desk:
/// a device of the unit, registered as `sipas device add --unit CODE --desk "Một cửa 1"` registers one, labelled
/// "demo generator". The responses are spread over the working days (Monday to Friday) of the year before today and
/// come in date order; a desk's responses of a day fall in distinct slots of about a quarter of an hour within the
/// office hours (7:30–17:00, Vietnam time), as a desk serves one citizen at a time, so none of them looks like a
/// burst to ``StuffingRules``. For each: a channel (desk 70 %, kiosk 25 %, web 5 %), one of 20 demonstration
/// procedure codes, and for each item an answer with a probability of satisfaction that depends on the unit and the
/// element (so units and elements differ), about one item in ten left unanswered, and one or two expectations. The
/// same seed, root, year and count give the same responses; another root, year or count, other ones (other ids too).
///
/// They get in the way the API's do: each desk's ``ResponseSubmission``s from its device, handed to the server's
/// ``ResponseIntake`` as batches (each desk's share of the next responses in date order), several at once so the group
/// commit's groups fill; validation, placement, content hash, aggregates and the chain are the product's own.
public struct DemoResponses: Sendable {
    public var year: Int
    public var seed: UInt64

    /// The label of the demo devices, one for each desk of each unit (reused on a second run, so that run's responses
    /// are the first's again and are answered as replays).
    static let deviceLabel = "demo generator"

    public init(year: Int, seed: UInt64 = 42) {
        self.year = year
        self.seed = seed
    }

    /// Stores `count` responses for `district` and its communes through the intake; returns how many were new.
    public func seed(count: Int, database: SQLiteDatabase, district: String = "875") async throws -> Int {
        try await submit(count: count, database: database, unit: district).created
    }

    /// Sends `count` generated responses for `unit` and the units under it through the server's intake, as their
    /// desks' devices posting batches would: the next `batchSize` responses in date order (500: the most
    /// `POST /v1/responses/batch` takes), a batch for each desk among them, with at most `concurrency` times
    /// `batchSize` responses in flight; and waits for every commit.
    ///
    /// Throws an ``OperatorError`` when the units or the survey are missing, when the year has no working day
    /// before `now`, or when the intake does not store a response (naming it and why); a response already
    /// stored with the same content (a second run with the same seed) is counted as replayed.
    public func submit(
        count: Int, database: SQLiteDatabase, unit root: String = "875",
        now: @escaping @Sendable () -> Date = { Date() },
        concurrency: Int = 4, batchSize: Int = 500
    ) async throws -> DemoSeedResult {
        let started = ContinuousClock.now
        let catalog = try await database.surveyCatalog()
        guard let definition = catalog.definition("sipas", version: 1) else {
            throw OperatorError("survey sipas version 1 is not published")
        }
        // The server's parts, composed as `buildRouter` composes them (with its write-queue default).
        let units = UnitCache(database: database)
        let writer = ResponseWriter(
            database: database, capacity: AppConfiguration().writeQueueCapacity, logger: Logger(label: "sipas.demo"))
        let intake = ResponseIntake(
            writer: writer, catalog: catalog, units: units, devices: DeviceKeys(database: database), now: now)

        let directory = try await units.current().directory
        guard directory.contains(code: root) else {
            throw OperatorError("unit \(root) is not in the units; import the units first")
        }
        let days = workingDays(before: LocalDate(now())).filter { directory.unit(root, on: $0) != nil }
        guard !days.isEmpty else {
            throw OperatorError(
                "unit \(root) is not in force on any working day of \(year) before today; choose another year or unit")
        }
        let children = directory.children(of: root, on: days[days.count / 2]).map(\.code)
        var stream = DemoResponseStream(
            definition: definition, units: [root] + children, days: days, directory: directory, count: count,
            seed: Self.streamSeed(seed, unit: root, year: year, count: count))
        let sources = try await Self.devices(for: stream.desks, database: database)

        var result = DemoSeedResult()
        let limit = max(1, concurrency) * max(1, batchSize)
        try await withThrowingTaskGroup(of: DemoSeedResult.self) { group in
            var inFlight = 0
            while true {
                // The next responses in date order, as each desk among them sends its own, in order.
                var batches: [Int: [Result<ResponseSubmission, InvalidInput>]] = [:]
                var order: [Int] = []
                for _ in 0..<max(1, batchSize) {
                    guard let draw = stream.next() else { break }
                    if batches[draw.desk] == nil { order.append(draw.desk) }
                    batches[draw.desk, default: []].append(.success(draw.submission))
                }
                guard !order.isEmpty else { break }
                for desk in order {
                    let batch = batches[desk]!
                    while inFlight + batch.count > limit, let done = try await group.next() {
                        result.add(done)
                        inFlight -= done.submitted
                    }
                    group.addTask { try await Self.send(batch, intake: intake, source: sources[desk]) }
                    inFlight += batch.count
                }
            }
            for try await done in group { result.add(done) }
        }
        result.seconds = (ContinuousClock.now - started) / .seconds(1)
        return result
    }

    /// One batch through the intake; anything but stored or already stored is an error naming the response.
    private static func send(
        _ batch: [Result<ResponseSubmission, InvalidInput>], intake: ResponseIntake, source: ResponseSource
    ) async throws -> DemoSeedResult {
        var result = DemoSeedResult()
        for (submission, outcome) in zip(batch, try await intake.submit(batch, from: source)) {
            switch outcome {
            case .stored(.created): result.created += 1
            case .stored(.replayed): result.replayed += 1
            case .invalid(let invalid):
                let id = (try? submission.get())?.id ?? "?"
                throw OperatorError("generated response \(id) was refused: \(invalid)")
            case .stored(.conflict(let id, let differences)):
                let fields = differences.map(\.field).joined(separator: ", ")
                throw OperatorError(
                    "response \(id) is already stored with other content (\(fields)): seeded before by another version "
                        + "of the generator or from another device; use another --seed")
            case .stored(.refused(let id, let problem)):
                throw OperatorError("the database refused generated response \(id): \(problem)")
            case .stored(.ticketUsed(let id)), .stored(.failed(let id)):
                throw OperatorError("generated response \(id) could not be stored (\(outcome.label)); see the log")
            }
        }
        return result
    }

    /// The device of each desk, as a request's key would name it: the demo devices registered on an earlier run, and
    /// the others registered now (as `sipas device add` registers them). Each is confirmed: its key hash is read from
    /// the database.
    private static func devices(for desks: [DemoResponseStream.Desk], database: AppDatabase) async throws
        -> [ResponseSource]
    {
        var existing: [DemoResponseStream.Desk: Device] = [:]
        for device in try await database.devices() where device.label == deviceLabel && device.status == .active {
            guard let name = device.desk else { continue }
            let desk = DemoResponseStream.Desk(unit: device.unit, name: name)
            if existing[desk] == nil { existing[desk] = device }
        }
        var sources: [ResponseSource] = []
        for desk in desks {
            let device: Device
            let keyHash: String
            if let found = existing[desk], let hash = try await database.keyHash(ofDevice: found.id) {
                (device, keyHash) = (found, hash)
            } else {
                let added = try await database.addDevice(
                    unit: desk.unit, desk: desk.name, label: deviceLabel, now: Date())
                (device, keyHash) = (added.device, SecretKey.hash(added.key))
            }
            sources.append(.device(DeviceCredential(device: device, keyHash: keyHash, isConfirmed: true)))
        }
        return sources
    }

    /// The generator's seed for `unit`, `year` and `count`: the seed mixed with them (FNV-1a, the same on every
    /// platform), so one seed for two units, years or counts gives independent streams. One SplitMix64 stream drawn
    /// from at another pace is the same numbers shifted, so it would repeat the other's ids with other contents; and
    /// the count shapes the whole year (each day's share, the desks), so another count is another data set.
    static func streamSeed(_ seed: UInt64, unit: String, year: Int, count: Int) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in "\(unit)/\(year)/\(count)".utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return seed ^ hash
    }

    /// Monday to Friday of the year before `today` (holidays are not modelled here), so no response is dated in the
    /// future (the validator refuses those).
    func workingDays(before today: LocalDate) -> [LocalDate] {
        var days: [LocalDate] = []
        var day = LocalDate(year: year, month: 1, day: 1)!
        let end = LocalDate(year: year, month: 12, day: 31)!
        while day <= end && day < today {
            if day.isoWeekday <= 5 { days.append(day) }
            day = day.adding(days: 1)
        }
        return days
    }
}

extension DemoSeedResult {
    mutating func add(_ other: DemoSeedResult) {
        created += other.created
        replayed += other.replayed
    }
}
