import SipasDomain
import Testing

@testable import SipasServer

@Suite("Period plans over the aggregate grains")
struct PeriodPlanTests {
    static func plan(_ from: String, _ to: String, years: Bool = true) -> PeriodPlan {
        PeriodPlan(from: LocalDate(from)!, to: LocalDate(to)!, years: years)
    }

    static func runs(_ plan: PeriodPlan, _ grain: TallyGrain) -> [String] {
        plan.runs(of: grain).map { "\($0.0)..\($0.1)" }
    }

    @Test("whole years, then whole months, then whole dekads, then the days left at each edge")
    func cuts() {
        let mixed = Self.plan("2023-11-20", "2025-02-10")
        #expect(Self.runs(mixed, .year) == ["2024..2024"])
        #expect(Self.runs(mixed, .month) == ["2023-12..2023-12", "2025-01..2025-01"])
        #expect(Self.runs(mixed, .dekad) == ["2023-11-3..2023-11-3", "2025-02-1..2025-02-1"])
        #expect(Self.runs(mixed, .day) == ["2023-11-20..2023-11-20"])
        #expect(mixed.runs.map(\.grain) == [.day, .dekad, .month, .year, .month, .dekad])

        let months = Self.plan("2024-01-01", "2025-12-31", years: false)
        #expect(months.runs == [PeriodPlan.Run(grain: .month, first: "2024-01", last: "2025-12")])

        let oneDay = Self.plan("2024-02-29", "2024-02-29")
        #expect(oneDay.runs == [PeriodPlan.Run(grain: .day, first: "2024-02-29", last: "2024-02-29")])
    }

    @Test("a partial period reads at most ten days at each edge (a third dekad has up to eleven)")
    func edges() {
        let partial = Self.plan("2024-03-15", "2024-11-20")
        #expect(Self.runs(partial, .day) == ["2024-03-15..2024-03-20"])
        #expect(Self.runs(partial, .dekad) == ["2024-03-3..2024-03-3", "2024-11-1..2024-11-2"])
        #expect(Self.runs(partial, .month) == ["2024-04..2024-10"])
        // The third dekad runs to the month's end: 21–29 February in a leap year.
        let february = Self.plan("2024-02-02", "2024-02-29")
        #expect(Self.runs(february, .day) == ["2024-02-02..2024-02-10"])
        #expect(Self.runs(february, .dekad) == ["2024-02-2..2024-02-3"])
        let worst = Self.plan("2024-01-02", "2024-01-30")
        #expect(Self.runs(worst, .day) == ["2024-01-02..2024-01-10", "2024-01-21..2024-01-30"])
        #expect(Self.runs(worst, .dekad) == ["2024-01-2..2024-01-2"])
        for (from, to) in [("2024-01-02", "2024-12-30"), ("2023-12-31", "2025-01-01"), ("2024-06-07", "2024-06-28")] {
            let days = Self.plan(from, to).runs.filter { $0.grain == .day }
            #expect(days.allSatisfy { LocalDate($0.first)!.adding(days: 10) > LocalDate($0.last)! }, "\(from)..\(to)")
        }
    }

    @Test("each grain keys a day by the period that holds it")
    func keys() {
        #expect(
            TallyGrain.allCases.map { $0.period(ofDay: "2024-02-29") } == [
                "2024", "2024-02", "2024-02-3", "2024-02-29",
            ])
        #expect(TallyGrain.dekad.period(ofDay: "2024-02-10") == "2024-02-1")
        #expect(TallyGrain.dekad.period(ofDay: "2024-02-11") == "2024-02-2")
        #expect(TallyGrain.dekad.period(ofDay: "2024-02-20") == "2024-02-2")
    }
}
