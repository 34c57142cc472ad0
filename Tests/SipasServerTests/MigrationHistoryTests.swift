import Foundation
import GRDB
import SipasDomain
import Testing

@testable import SipasServer

@Suite("Migration history")
struct MigrationHistoryTests {
    @Test("a database of the first release, opened by today's, keeps its data and passes every check of sipas verify")
    func fromFirstRelease() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sipas-history-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/sipas.sqlite"
        try FirstReleaseDatabase.write(to: path)
        // Opened a second time on purpose: the first release wrote and closed the file, today's release opens it
        // and runs every later migration, as an upgrade does.
        let database = try SQLiteDatabase(path: path)
        let responses = FirstReleaseDatabase.responses

        try await database.writer.read { db in
            #expect(try SQLiteDatabase.migrator.appliedIdentifiers(db) == Set(SQLiteDatabase.migrator.migrations))
            // The data as written.
            #expect(try String.fetchAll(db, sql: "SELECT id FROM response ORDER BY seq") == responses.map(\.id))
            #expect(
                try Int.fetchOne(db, sql: "SELECT count(*) FROM response_answer")
                    == responses.map(\.answers.count).reduce(0, +))
            #expect(
                try String.fetchAll(db, sql: "SELECT comment FROM response WHERE comment IS NOT NULL ORDER BY seq")
                    == responses.compactMap(\.comment))
            // v2, v5 and v14: every grain counts the responses; the sipas overall shares were 1, ½, ⅔ and 0.
            let keys = TallyKeys()
            for table in ["tally_unit", "tally_cell"] {
                for grain in TallyGrain.allCases {
                    var sum = TallyVector()
                    for blob in try Data.fetchAll(
                        db, sql: "SELECT sheet FROM \(table) WHERE survey = 'sipas' AND grain = ?",
                        arguments: [grain.rawValue])
                    {
                        sum.add(try TallyVector(blob: blob))
                    }
                    let sheet = try keys.sheet(sum, db)
                    let overall = try #require(sheet[.overall], "\(table) \(grain)")
                    #expect(overall.count == 4, "\(table) \(grain)")
                    #expect(abs(overall.sum - 13.0 / 6.0) < 1e-9, "\(table) \(grain)")
                    #expect(sheet[.expectation("shorter-time")]?.count == 1, "\(table) \(grain)")
                }
            }
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE name = 'tally_day'") == 0)
            // v6: every response chained; the comments by their salted digest.
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM response WHERE chainHash IS NULL") == 0)
            #expect(
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM response WHERE (comment IS NULL) <> (commentDigest IS NULL)") == 0)
            // v11: the official's token is bound to the district's version in force when it was made.
            #expect(try String.fetchOne(db, sql: "SELECT unitValidFrom FROM access_token") == "2004-01-01")
            // v12: the device's desk in NFC; its responses keep the desk as sent, which their chain covers.
            let desks = try String.fetchAll(db, sql: "SELECT desk FROM device WHERE desk IS NOT NULL")
            #expect(desks.map { Array($0.utf8) } == [Array("Một cửa 1".precomposedStringWithCanonicalMapping.utf8)])
            let sent = try String.fetchAll(db, sql: "SELECT DISTINCT desk FROM response WHERE desk IS NOT NULL")
            #expect(sent.map { Array($0.utf8) } == [Array(FirstReleaseDatabase.decomposedDesk.utf8)])
        }

        // Today's code reads what the first release stored.
        #expect(try await database.units().count == 4)
        #expect(try await database.surveyCatalog().definition("sipas", version: 1)?.elements.count == 5)
        // A start publishes the repository's surveys: the stored versions must be found unchanged, not refused.
        try await database.publishSurveys(
            from: TestEnvironment.repository.appendingPathComponent("Surveys").path)

        // sipas verify: the file, the foreign keys, the four tally tables against the raw responses, the chain.
        let report = try database.verify()
        #expect(report.checks.map(\.name) == ["integrity_check", "foreign keys", "aggregates", "response chain"])
        #expect(report.isOK, "\(report.checks.flatMap(\.faults))")
        #expect(report.chain?.count == responses.count && report.chain?.breaks.isEmpty == true)
        #expect(report.chain?.head == (try await database.chainHead()).head)
    }
}
