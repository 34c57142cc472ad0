import SipasDomain
import Testing

@testable import SipasServer

@Suite("Period plans over the aggregate grains")
struct PeriodPlanTests {
    static func plan(_ from: String, _ to: String, years: Bool = true) -> PeriodPlan {
        PeriodPlan(from: LocalDate(from)!, to: LocalDate(to)!, years: years)
    }

    @Test("whole years, then whole months, then the days left at each edge")
    func cuts() {
        let mixed = Self.plan("2023-11-20", "2025-02-10")
        #expect(mixed.years.map { "\($0.0)..\($0.1)" } == ["2024..2024"])
        #expect(mixed.months.map { "\($0.0)..\($0.1)" } == ["2023-12..2023-12", "2025-01..2025-01"])
        #expect(mixed.days.map { "\($0.0)..\($0.1)" } == ["2023-11-20..2023-11-30", "2025-02-01..2025-02-10"])

        let months = Self.plan("2024-01-01", "2025-12-31", years: false)
        #expect(
            months.years.isEmpty && months.months.map { "\($0.0)..\($0.1)" } == ["2024-01..2025-12"]
                && months.days.isEmpty)

        let oneDay = Self.plan("2024-02-29", "2024-02-29")
        #expect(oneDay.days.map { "\($0.0)..\($0.1)" } == ["2024-02-29..2024-02-29"] && oneDay.months.isEmpty)
    }
}
