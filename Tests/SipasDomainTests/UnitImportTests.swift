import Testing

@testable import SipasDomain

@Suite("Administrative units: import rules and versions")
struct UnitImportTests {
    static func row(
        _ line: Int, _ code: String, _ level: String, _ parent: String, _ from: String, _ to: String = "",
        name: String = "Đơn vị"
    ) -> UnitRow {
        UnitRow(line: line, code: code, name: name, level: level, parent: parent, validFrom: from, validTo: to)
    }

    /// Đồng Tháp, Lấp Vò and one commune before 1/7/2025; the new province and the commune code reused after.
    static let lapVo: [UnitRow] = [
        row(2, "87", "province", "", "2004-01-01", "2025-06-30"),
        row(3, "875", "district", "87", "2004-01-01", "2025-06-30"),
        row(4, "30169", "commune", "875", "2004-01-01", "2025-06-30", name: "Thị trấn Lấp Vò"),
        row(5, "30172", "commune", "875", "2004-01-01", "2025-06-30"),
        row(6, "82", "province", "", "2025-07-01"),
        row(7, "30169", "commune", "82", "2025-07-01", name: "Xã Lấp Vò"),
    ]

    @Test("a consistent file is planned in full, and importing it again changes nothing")
    func idempotent() throws {
        let first = try UnitImport.plan(rows: Self.lapVo, existing: []).get()
        #expect(first.summary == ImportSummary(created: 6))
        let again = try UnitImport.plan(rows: Self.lapVo, existing: first.changes).get()
        #expect(again.summary == ImportSummary(unchanged: 6))
        #expect(again.changes.isEmpty)
    }

    @Test("closing a version is an update")
    func update() throws {
        let stored = try UnitImport.plan(rows: Self.lapVo, existing: []).get().changes
        var rows = Self.lapVo
        rows[5].validTo = "2030-12-31"
        let plan = try UnitImport.plan(rows: rows, existing: stored).get()
        #expect(plan.summary == ImportSummary(updated: 1, unchanged: 5))
    }

    static let bad: [(String, [UnitRow], Int, String)] = [
        ("unknown level", [row(2, "87", "county", "", "2004-01-01")], 2, "level"),
        (
            "commune code of 3 digits", lapVo + [row(8, "301", "commune", "875", "2004-01-01", "2025-06-30")], 8,
            "5-digit"
        ),
        ("empty name", [row(2, "87", "province", "", "2004-01-01", name: " ")], 2, "name"),
        ("bad date", [row(2, "87", "province", "", "2004-02-30")], 2, "validFrom"),
        ("validTo before validFrom", [row(2, "87", "province", "", "2004-01-01", "2003-01-01")], 2, "before"),
        ("province with a parent", [row(2, "87", "province", "82", "2004-01-01")], 2, "no parent"),
        ("district without a parent", [row(2, "875", "district", "", "2004-01-01")], 2, "needs a parent"),
        ("unknown parent", [row(2, "875", "district", "99", "2004-01-01")], 2, "not a known unit"),
        (
            "parent of the wrong level", lapVo + [row(8, "30175", "commune", "30172", "2004-01-01", "2025-06-30")], 8,
            "is a commune"
        ),
        (
            "parent gone before the child ends", lapVo + [row(8, "30175", "commune", "875", "2004-01-01")], 8,
            "not in force on 2025-07-01"
        ),
        (
            "same version twice", lapVo + [row(8, "30172", "commune", "875", "2004-01-01", "2025-06-30")], 8,
            "already on line 5"
        ),
        (
            "overlapping versions", lapVo + [row(8, "30169", "commune", "875", "2020-01-01", "2024-12-31")], 8,
            "overlaps"
        ),
    ]

    @Test("a bad row refuses the whole file, naming its line", arguments: bad.map { Named($0.0, $0) })
    func refused(_ example: Named<(String, [UnitRow], Int, String)>) {
        let (name, rows, line, fragment) = example.value
        switch UnitImport.plan(rows: rows, existing: []) {
        case .success: Issue.record("\(name): accepted")
        case .failure(let refused):
            #expect(
                refused.problems.contains { $0.line == line && $0.message.contains(fragment) }, "\(name): \(refused)")
        }
    }

    @Test("a code reused across 1/7/2025 resolves to the version in force, under the right parent")
    func versions() throws {
        let directory = UnitDirectory(try UnitImport.plan(rows: Self.lapVo, existing: []).get().changes)
        let before = try #require(LocalDate("2025-06-30")), after = try #require(LocalDate("2025-07-01"))
        #expect(directory.unit("30169", on: before)?.name == "Thị trấn Lấp Vò")
        #expect(directory.unit("30169", on: after)?.name == "Xã Lấp Vò")
        #expect(directory.isWithin("30169", ancestor: "875", on: before))
        #expect(!directory.isWithin("30169", ancestor: "875", on: after))
        #expect(directory.isWithin("30169", ancestor: "82", on: after))
        #expect(directory.unit("875", on: after) == nil)
        #expect(directory.children(of: "875", on: before).map(\.code) == ["30169", "30172"])
    }
}
