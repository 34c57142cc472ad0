import Testing

@testable import SipasDomain

@Suite("Unit scopes across 1/7/2025")
struct UnitScopeTests {
    static let directory = UnitDirectory(try! UnitImport.plan(rows: UnitImportTests.lapVo, existing: []).get().changes)

    @Test("a district's 2024 scope: itself and its communes, each its own group")
    func district2024() {
        let scope = UnitScope(
            directory: Self.directory, root: "875", from: LocalDate("2024-01-01")!, to: LocalDate("2024-12-31")!)
        #expect(Set(scope.segments.map { "\($0.code)→\($0.group)" }) == ["875→875", "30169→30169", "30172→30172"])
        #expect(scope.segments.allSatisfy { $0.from.description == "2024-01-01" && $0.to.description == "2024-12-31" })
    }

    @Test("a period across 1/7/2025 ends the district's scope on 30/6; the reused code counts under the province after")
    func acrossReorganisation() {
        let district = UnitScope(
            directory: Self.directory, root: "875", from: LocalDate("2025-01-01")!, to: LocalDate("2025-12-31")!)
        #expect(district.segments.allSatisfy { $0.to.description == "2025-06-30" })
        let province = UnitScope(
            directory: Self.directory, root: "82", from: LocalDate("2025-01-01")!, to: LocalDate("2025-12-31")!)
        #expect(
            province.segments.map { "\($0.code)@\($0.validFrom) \($0.from)..\($0.to)→\($0.group)" }.sorted()
                == ["30169@2025-07-01 2025-07-01..2025-12-31→30169", "82@2025-07-01 2025-07-01..2025-12-31→82"])
    }
}

@Suite("Unit succession")
struct SuccessionImportTests {
    static func rows(_ extra: [UnitRow]) -> [UnitRow] {
        UnitImportTests.lapVo + extra
    }

    static func newCommune(
        _ formedFrom: String, formedBy: String = "NQ 1663/NQ-UBTVQH15, Điều 1 khoản 29", code: String = "30178",
        line: Int = 90
    ) -> UnitRow {
        UnitRow(
            line: line, code: code, name: "Xã mới", level: "commune", parent: "82", validFrom: "2025-07-01",
            validTo: "", formedFrom: formedFrom,
            formedBy: formedBy)
    }

    @Test(
        "successions that cannot be are refused naming the line",
        arguments: [
            ("an unknown predecessor", "30172;39999", "not in force"),
            ("a malformed item", "30172:half", "code followed by :part"),
            ("no text that formed it", "30172", "formedBy"),
        ].map { Named($0.0, $0) })
    func refused(_ example: Named<(String, String, String)>) {
        let (name, formedFrom, message) = example.value
        let row = Self.newCommune(formedFrom, formedBy: message == "formedBy" ? "" : "NQ 1663")
        guard case .failure(let refused) = UnitImport.plan(rows: Self.rows([row]), existing: []) else {
            Issue.record("\(name): accepted")
            return
        }
        #expect(
            refused.problems.contains { $0.line == 90 && $0.message.contains(message) }, "\(name): \(refused.problems)")
    }

    @Test("a predecessor taken whole by two successors is refused; taken in part by both, it is accepted and marked")
    func parts() throws {
        let twice = [Self.newCommune("30172"), Self.newCommune("30172", code: "30184", line: 91)]
        #expect(throws: ImportRefused.self) { try UnitImport.plan(rows: Self.rows(twice), existing: []).get() }
        let split = [Self.newCommune("30172:part"), Self.newCommune("30172:part", code: "30184", line: 91)]
        let plan = try UnitImport.plan(rows: Self.rows(split), existing: []).get()
        let directory = UnitDirectory(plan.changes)
        let version = try #require(directory.version("30178", from: LocalDate("2025-07-01")!))
        #expect(version.formedFrom == [Predecessor(code: "30172", validFrom: LocalDate("2004-01-01")!, part: true)])
        let scope = UnitScope(
            directory: directory, version: version, from: LocalDate("2024-01-01")!, to: LocalDate("2025-12-31")!)
        #expect(
            scope.segments.contains {
                $0.group == "30172@2004-01-01" && $0.partial && $0.via == "30178@2025-07-01"
                    && $0.to.description == "2025-06-30"
            })
        #expect(
            scope.segments.contains {
                $0.code == "30178" && $0.validFrom.description == "2025-07-01" && $0.from.description == "2025-07-01"
            })
        #expect(scope.precedingPeriod.map { "\($0.lowerBound)..\($0.upperBound)" } == "2024-01-01..2025-06-30")
    }
}

@Suite("Unit succession against the stored register")
struct SuccessionRegisterTests {
    static let stored = try! UnitImport.plan(
        rows: SuccessionImportTests.rows([SuccessionImportTests.newCommune("30172")]), existing: []
    ).get().changes

    @Test("a later file cannot give a predecessor taken whole to a second unit")
    func takenTwiceAcrossFiles() {
        let second = SuccessionImportTests.newCommune("30172", code: "30184", line: 2)
        #expect(throws: ImportRefused.self) { try UnitImport.plan(rows: [second], existing: Self.stored).get() }
    }

    @Test("a later file cannot end a predecessor before its successor starts")
    func predecessorEndsEarly() throws {
        let shortened = UnitRow(
            line: 2, code: "30172", name: "Xã Mỹ An Hưng A", level: "commune", parent: "875", validFrom: "2004-01-01",
            validTo: "2025-05-31")
        guard case .failure(let refused) = UnitImport.plan(rows: [shortened], existing: Self.stored) else {
            Issue.record("accepted")
            return
        }
        #expect(refused.problems.contains { $0.line == 2 && $0.message.contains("no longer in force") })
    }

    @Test("a file without the succession columns keeps the stored succession")
    func legacyFileKeeps() throws {
        let legacy = UnitRow(
            line: 2, code: "30178", name: "Xã mới", level: "commune", parent: "82", validFrom: "2025-07-01",
            validTo: "", hasSuccession: false)
        let plan = try UnitImport.plan(rows: [legacy], existing: Self.stored).get()
        #expect(plan.summary.unchanged == 1 && plan.changes.isEmpty)
    }

    @Test("a commune is formed from communes, not from a district")
    func level() {
        #expect(throws: ImportRefused.self) {
            try UnitImport.plan(
                rows: SuccessionImportTests.rows([SuccessionImportTests.newCommune("875")]), existing: []
            ).get()
        }
    }
}
