import Foundation
import GRDB
import SipasDomain
import Testing

@testable import SipasServer

@Suite("Storage")
struct StorageTests {
    @Test("the writer connection commits with synchronous=FULL in WAL mode")
    func durability() throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        #expect(try env.database.synchronousSetting() == 2)
        #expect(try env.database.journalMode() == "wal")
        // And again after reopening, as every start does: the second opening is the point.
        #expect(try SQLiteDatabase(path: env.configuration.databasePath).synchronousSetting() == 2)
    }

    @Test("every table is STRICT and foreign keys are enforced")
    func strictTables() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        try await env.database.writer.read { db in
            let tables = try Row.fetchAll(db, sql: "PRAGMA table_list").filter {
                ($0["schema"] as String) == "main" && ($0["type"] as String) == "table"
                    && !($0["name"] as String).hasPrefix("sqlite_") && ($0["name"] as String) != "grdb_migrations"
            }
            #expect(!tables.isEmpty)
            for table in tables { #expect(table["strict"] as Int == 1, "\(table["name"] as String) is not STRICT") }
            #expect(try Int.fetchOne(db, sql: "PRAGMA foreign_keys") == 1)
        }
        await #expect(throws: DatabaseError.self) {
            try await env.database.writer.write { db in
                try db.execute(sql: "INSERT INTO response_answer (responseSeq, item, value) VALUES (999, 'a1', 5)")
            }
        }
    }

    @Test("a units file with a bad row stores nothing and names the line; the same file twice changes nothing")
    func unitsImport() throws {
        let env = try TestEnvironment(importUnits: false)
        defer { env.remove() }
        let file = env.directory + "/units.csv"
        try """
        code,name,level,parent,validFrom,validTo
        87,Tỉnh Đồng Tháp,province,,2004-01-01,2025-06-30
        875,"Huyện Lấp Vò, Đồng Tháp",district,87,2004-01-01,2025-06-30
        30172,Xã Mỹ An Hưng A,commune,875,2004-01-01,2025-13-01
        """.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(throws: ImportRefused.self) { try env.database.importUnits(UnitsFile.rows(path: file)) }
        do {
            _ = try env.database.importUnits(UnitsFile.rows(path: file))
        } catch let refused as ImportRefused {
            #expect(refused.problems.map(\.line) == [4])
        }
        #expect(try env.database.units().isEmpty)

        let sample = TestEnvironment.repository.appendingPathComponent("Deploy/sample/units.csv").path
        let first = try env.database.importUnits(UnitsFile.rows(path: sample))
        #expect(first.created > 20 && first.updated == 0)
        let second = try env.database.importUnits(UnitsFile.rows(path: sample))
        #expect(second == ImportSummary(unchanged: first.created))
    }

    @Test("a units file with the wrong header is refused at line 1")
    func unitsHeader() throws {
        let env = try TestEnvironment(importUnits: false)
        defer { env.remove() }
        let file = env.directory + "/units.csv"
        try "\u{FEFF}code,name,level,parent,from,to\n87,Tỉnh Đồng Tháp,province,,2004-01-01,\n".write(
            toFile: file, atomically: true, encoding: .utf8)
        do {
            _ = try UnitsFile.rows(path: file)
            Issue.record("accepted")
        } catch let refused as ImportRefused {
            #expect(refused.problems.first?.line == 1)
        }
    }

    @Test("keys are stored only as hashes")
    func keysHashed() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey()
        let token = try await env.database.addToken(
            role: .official, unit: "875", label: "Phòng Nội vụ", now: TestEnvironment.now
        ).key
        let stored = try await env.database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT keyHash FROM device UNION ALL SELECT keyHash FROM access_token")
        }
        #expect(stored == [SecretKey.hash(key), SecretKey.hash(token)])
        #expect(!stored.contains(key) && !stored.contains(token))
        #expect(throws: OperatorError.self) {
            try env.database.addDevice(unit: "12345", desk: nil, label: nil, now: TestEnvironment.now)
        }
    }
}
