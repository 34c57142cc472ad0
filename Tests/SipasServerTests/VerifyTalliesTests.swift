import Foundation
import GRDB
import SipasDomain
import Testing

@testable import SipasServer

@Suite("sipas verify checks every grain of the aggregates")
struct VerifyTalliesTests {
    /// One more answer added to one row of `table` at `grain`, as a bug or a hand edit would leave it.
    static func tamper(_ table: String, _ grain: TallyGrain, _ env: TestEnvironment) async throws {
        try await env.database.writer.write { db in
            let answer = try #require(try Int64.fetchOne(db, sql: "SELECT id FROM tally_key WHERE key = 'i:a1:5'"))
            let extra = TallyVector([.init(key: answer, tally: Tally(count: 1))]).blob
            let key =
                "survey, grain, unitId, period, surveyVersion"
                + (table == "tally_cell" ? ", procedure, channel, desk" : "")
            try db.execute(
                sql: """
                    UPDATE \(table) SET sheet = sipas_tally_add(sheet, ?)
                    WHERE (\(key)) = (SELECT \(key) FROM \(table) WHERE grain = ? LIMIT 1)
                    """, arguments: [extra, grain.rawValue])
            #expect(db.changesCount == 1)
        }
    }

    @Test(
        "a row that differs from the responses is named by its table and grain",
        arguments: ["tally_unit", "tally_cell"].flatMap { table in TallyGrain.allCases.map { (table, $0) } })
    func differing(_ table: String, _ grain: TallyGrain) async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        _ = try await VerifyTests.stored(3, in: env)
        #expect(try env.database.verify().isOK)
        try await Self.tamper(table, grain, env)
        let check = try #require(try env.database.verify().checks.first { $0.name == "aggregates" })
        #expect(check.faults.count == 1, "\(check.faults)")
        #expect(check.faults.first?.hasPrefix("\(table) \(grain.rawValue) (survey sipas") == true, "\(check.faults)")
        #expect(check.faults.first?.hasSuffix("stored tallies differ from the responses") == true)
    }

    @Test("a missing row, and a row of a period without responses, are faults")
    func missingAndStray() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        _ = try await VerifyTests.stored(2, in: env)
        try await env.database.writer.write { db in
            try db.execute(sql: "DELETE FROM tally_cell WHERE grain = 'month'")
            try db.execute(
                sql: """
                    INSERT INTO tally_unit (survey, grain, unitId, period, surveyVersion, sheet)
                    SELECT survey, grain, unitId, '1999', surveyVersion, sheet FROM tally_unit WHERE grain = 'year'
                    """)
        }
        let faults = try #require(try env.database.verify().checks.first { $0.name == "aggregates" }).faults
        #expect(faults.contains { $0.hasPrefix("tally_cell month") && $0.hasSuffix("tallies that are not stored") })
        #expect(faults.contains("tally_unit: 1 rows count tallies of no stored response"), "\(faults)")
    }
}
