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
        "500 responses: each stored by the intake from the unit's demo device, the database verifies, the index counts them"
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

        // One device, the unit's, and every response carries its desk and lies in 875 or a commune under it.
        let devices = try env.database.devices()
        #expect(devices.map(\.unit) == ["875"] && devices.map(\.desk) == ["Demo"])
        let directory = try await env.database.unitSnapshot().directory
        let communes = Set(["875"] + directory.children(of: "875", on: LocalDate("2024-06-30")!).map(\.code))
        #expect(communes.count == 14)
        for row in try await Self.stored(env) {
            let fields = row.split(separator: "|").map(String.init)
            #expect(communes.contains(fields[1]) && fields[2] == "Demo", "\(row)")
        }

        let token = try env.token(.admin, unit: nil)
        try await app.test(.router) { client in
            let response = try await client.get("/v1/index?unit=875&year=2024", token: token)
            #expect(response.status == .ok)
            #expect(try response.object()["respondents"] as? Int == 500)
        }
    }

    @Test(
        "the same seed again stores nothing and says all were already stored; another seed, root or year adds its own")
    func again() async throws {
        let (env, _) = try await Self.environment()
        defer { env.remove() }
        _ = try await DemoResponses(year: 2024, seed: 42).submit(count: 500, database: env.database)
        let before = try await Self.stored(env)

        let second = try await DemoResponses(year: 2024, seed: 42).submit(count: 500, database: env.database)
        #expect(second.created == 0 && second.replayed == 500)
        #expect(second.summary(unit: "875", year: 2024).contains("all 500 were already stored"))
        #expect(try await Self.stored(env) == before)
        #expect(try env.database.devices().count == 1)

        // A larger count with the same seed tops up: the first 500 again, then new ones.
        let more = try await DemoResponses(year: 2024, seed: 42).submit(count: 700, database: env.database)
        #expect(more.created == 200 && more.replayed == 500)
        let other = try await DemoResponses(year: 2024, seed: 43).submit(count: 300, database: env.database)
        #expect(other.created == 300 && other.replayed == 0)
        // The same seed over another root or year: other ids, not the first run's with other contents (a conflict).
        let province = try await DemoResponses(year: 2024, seed: 42).submit(
            count: 300, database: env.database, unit: "87")
        #expect(province.created == 300)
        let laterYear = try await DemoResponses(year: 2023, seed: 42).submit(count: 300, database: env.database)
        #expect(laterYear.created == 300)
        #expect(try await env.database.responseCount() == 1_600)
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
