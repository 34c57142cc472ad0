import Testing

@testable import SipasDomain

@Suite("Unit scopes across 1/7/2025")
struct UnitScopeTests {
    static let directory = UnitDirectory(try! UnitImport.plan(rows: UnitImportTests.lapVo, existing: []).get().changes)

    @Test("a district's 2024 scope: itself and its communes, each its own group")
    func district2024() {
        let scope = UnitScope(directory: Self.directory, root: "875", from: LocalDate("2024-01-01")!, to: LocalDate("2024-12-31")!)
        #expect(Set(scope.segments.map { "\($0.code)→\($0.group)" }) == ["875→875", "30169→30169", "30172→30172"])
        #expect(scope.segments.allSatisfy { $0.from.description == "2024-01-01" && $0.to.description == "2024-12-31" })
    }

    @Test("a period across 1/7/2025 ends the district's scope on 30/6; the reused code counts under the province after")
    func acrossReorganisation() {
        let district = UnitScope(directory: Self.directory, root: "875", from: LocalDate("2025-01-01")!, to: LocalDate("2025-12-31")!)
        #expect(district.segments.allSatisfy { $0.to.description == "2025-06-30" })
        let province = UnitScope(directory: Self.directory, root: "82", from: LocalDate("2025-01-01")!, to: LocalDate("2025-12-31")!)
        #expect(province.segments.map { "\($0.code)@\($0.validFrom) \($0.from)..\($0.to)→\($0.group)" }.sorted()
            == ["30169@2025-07-01 2025-07-01..2025-12-31→30169", "82@2025-07-01 2025-07-01..2025-12-31→82"])
    }
}
