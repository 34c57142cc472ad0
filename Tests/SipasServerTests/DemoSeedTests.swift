import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import SipasDomain
import Testing

@testable import SipasServer

@Suite("sipas demo seed stores through the API's intake")
struct DemoSeedTests {
    /// A fresh data directory whose surveys the app published (the generator answers sipas v1).
    static func environment() async throws -> (TestEnvironment, some ApplicationProtocol) {
        let env = try TestEnvironment()
        return (env, try await buildApplication(env.configuration, database: env.database))
    }

    /// What identifies each stored response and its content, by id.
    static func stored(_ env: TestEnvironment) async throws -> [String] {
        try await env.database.writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, unit, desk, channel, procedure, submittedAt, contentHash FROM response ORDER BY id"
            ).map { row in
                ["id", "unit", "desk", "channel", "procedure", "submittedAt", "contentHash"].map {
                    (row[$0] as String?) ?? "∅"
                }.joined(separator: "|")
            }
        }
    }

    @Test(
        "500 responses: each stored by the intake from its desk's device, the database verifies, none is flagged, the index counts them"
    )
    func seeds() async throws {
        let (env, app) = try await Self.environment()
        defer { env.remove() }
        let result = try await DemoResponses(year: 2024).submit(count: 500, database: env.database, unit: "875")
        #expect(result.created == 500 && result.replayed == 0)
        #expect(try await env.database.responseCount() == 500)
        let report = try env.database.verify()
        #expect(report.isOK, "\(report.checks.flatMap(\.faults))")
        #expect(report.chain?.count == 500)

        // A device for each desk of 875 and the communes under it, labelled as the generator's; every response comes
        // from one of them, filed under its unit and desk.
        let devices = try await env.database.devices()
        let directory = try await env.database.unitSnapshot().directory
        let communes = Set(["875"] + directory.children(of: "875", on: LocalDate("2024-06-30")!).map(\.code))
        #expect(communes.count == 14)
        #expect(Set(devices.map(\.unit)).isSubset(of: communes) && devices.count > 1)
        for device in devices {
            #expect(device.label == "demo generator" && device.desk?.hasPrefix("Một cửa ") == true, "\(device)")
        }
        let misfiled = try await env.database.writer.read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT count(*) FROM response r JOIN device d ON d.id = r.deviceId
                    WHERE r.unit IS NOT d.unit OR r.desk IS NOT d.desk
                    """)
        }
        #expect(misfiled == 0)

        // Desks take what a desk can serve, so the stuffing signals flag none of them.
        #expect(try await env.database.refreshFlags() > 0)
        let flagged = try await env.database.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM response_flag")
        }
        #expect(flagged == 0)

        let token = try env.token(.admin, unit: nil)
        try await app.test(.router) { client in
            let response = try await client.get("/v1/index?unit=875&year=2024", token: token)
            #expect(response.status == .ok)
            #expect(try response.object()["respondents"] as? Int == 500)
        }
    }

    @Test(
        "the stream: in date order, every desk within a desk's day and unflagged, as many desks as the busiest day needs"
    )
    func stream() async throws {
        let (env, _) = try await Self.environment()
        defer { env.remove() }
        let definition = try #require(try await env.database.surveyCatalog().definition("sipas", version: 1))
        let directory = try await env.database.unitSnapshot().directory
        // 2,000 responses in one week: busy days, so the bigger units need several desks.
        let week = (0..<5).map { LocalDate("2024-03-11")!.adding(days: $0) }
        let units = ["875"] + directory.children(of: "875", on: week[0]).map(\.code)
        var stream = DemoResponseStream(
            definition: definition, units: units, days: week, directory: directory, count: 2_000, seed: 1)
        var draws: [DemoResponseStream.Draw] = []
        while let draw = stream.next() { draws.append(draw) }
        #expect(draws.count == 2_000)

        let times = draws.map { Timestamp.parse($0.submission.submittedAt!)! }
        #expect(times == times.sorted())
        var days: [String: [StuffingSubmission]] = [:]  // desk and day → its responses
        var unitDays: [String: Int] = [:]  // unit and day → responses
        for (index, (draw, time)) in zip(draws, times).enumerated() {
            let desk = stream.desks[draw.desk]
            #expect(draw.submission.unit == desk.unit)
            let day = LocalDate(time).description
            days["\(draw.desk) \(day)", default: []].append(
                StuffingSubmission(seq: Int64(index), submittedAt: time, answerSet: nil))
            unitDays["\(desk.unit) \(day)", default: 0] += 1
        }
        let rules = try StuffingRules(StuffingThresholds())
        for (cell, submissions) in days {
            #expect(submissions.count <= DemoResponseStream.deskCapacity, "\(cell)")
            #expect(rules.flag(submissions).isEmpty, "\(cell)")
        }
        for unit in units {
            let busiest = week.map { unitDays["\(unit) \($0)"] ?? 0 }.max()!
            let desks = stream.desks.filter { $0.unit == unit }
            #expect(desks.count == (busiest + 39) / 40, "\(unit)")
            #expect(desks.map(\.name) == (0..<desks.count).map { "Một cửa \($0 + 1)" })
        }
        #expect(stream.desks.filter { $0.unit == "875" }.count > 1)
    }

    @Test(
        "the same seed again stores nothing and says all were already stored; another seed, count, root or year adds its own"
    )
    func again() async throws {
        let (env, _) = try await Self.environment()
        defer { env.remove() }
        _ = try await DemoResponses(year: 2024, seed: 42).submit(count: 500, database: env.database)
        let before = try await Self.stored(env)
        let devices = try await env.database.devices()

        let second = try await DemoResponses(year: 2024, seed: 42).submit(count: 500, database: env.database)
        #expect(second.created == 0 && second.replayed == 500)
        #expect(second.summary(unit: "875", year: 2024).contains("all 500 were already stored"))
        #expect(try await Self.stored(env) == before)
        #expect(try await env.database.devices() == devices)

        // Another count with the same seed is another year's plan: other responses, under other ids.
        let more = try await DemoResponses(year: 2024, seed: 42).submit(count: 700, database: env.database)
        #expect(more.created == 700 && more.replayed == 0)
        let other = try await DemoResponses(year: 2024, seed: 43).submit(count: 300, database: env.database)
        #expect(other.created == 300 && other.replayed == 0)
        // The same seed over another root or year: other ids, not the first run's with other contents (a conflict).
        let province = try await DemoResponses(year: 2024, seed: 42).submit(
            count: 300, database: env.database, unit: "87")
        #expect(province.created == 300)
        let laterYear = try await DemoResponses(year: 2023, seed: 42).submit(count: 300, database: env.database)
        #expect(laterYear.created == 300)
        #expect(try await env.database.responseCount() == 2_100)
        let report = try env.database.verify()
        #expect(report.isOK, "\(report.checks.flatMap(\.faults))")
    }

    @Test("the same seed gives the same responses, content hash included, in another data directory")
    func reproducible() async throws {
        var runs: [[String]] = []
        for _ in 0..<2 {
            let (env, _) = try await Self.environment()
            defer { env.remove() }
            _ = try await DemoResponses(year: 2024, seed: 7).submit(
                count: 300, database: env.database, concurrency: 3, batchSize: 40)
            runs.append(try await Self.stored(env))
        }
        #expect(runs[0].count == 300)
        #expect(runs[0] == runs[1])
    }

    @Test("a year not over: every response is dated before today, which the validator checks; a later year is refused")
    func notInTheFuture() async throws {
        let (env, _) = try await Self.environment()
        defer { env.remove() }
        let now = TestEnvironment.now  // 29/11/2024
        let result = try await DemoResponses(year: 2024).submit(count: 300, database: env.database, now: { now })
        #expect(result.created == 300)
        let latest = try await env.database.writer.read { db in
            try String.fetchOne(db, sql: "SELECT max(submittedAt) FROM response")
        }
        #expect(try #require(latest.flatMap(Timestamp.parse)) < now)
        await #expect(throws: OperatorError.self) {
            try await DemoResponses(year: 2025).submit(count: 10, database: env.database, now: { now })
        }
    }

    @Test("a province as the root: its units directly under it get the responses", arguments: ["87", "875"])
    func root(unit: String) async throws {
        let (env, _) = try await Self.environment()
        defer { env.remove() }
        let result = try await DemoResponses(year: 2024).submit(count: 200, database: env.database, unit: unit)
        #expect(result.created == 200)
        let directory = try await env.database.unitSnapshot().directory
        let allowed = Set([unit] + directory.children(of: unit, on: LocalDate("2024-06-30")!).map(\.code))
        let units = try await env.database.writer.read { db in
            try String.fetchSet(db, sql: "SELECT DISTINCT unit FROM response")
        }
        #expect(units.isSubset(of: allowed) && units.count > 1, "\(units.sorted())")
    }
}
