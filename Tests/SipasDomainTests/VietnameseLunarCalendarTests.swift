import Foundation
import Testing

@testable import SipasDomain

@Suite("Vietnamese lunar calendar")
struct VietnameseLunarCalendarTests {
    /// Mùng 1 Tết, as announced; 2030 is one of the years Vietnam (UTC+7) keeps Tết a day before China (UTC+8).
    @Test(
        "lunar New Year (Tết Nguyên đán)",
        arguments: [
            (2020, "2020-01-25"), (2021, "2021-02-12"), (2022, "2022-02-01"), (2023, "2023-01-22"),
            (2024, "2024-02-10"), (2025, "2025-01-29"), (2026, "2026-02-17"), (2027, "2027-02-06"),
            (2028, "2028-01-26"), (2029, "2029-02-13"), (2030, "2030-02-02"),
        ].map { Named(String($0.0), $0) })
    func lunarNewYear(_ example: Named<(Int, String)>) {
        let (year, expected) = example.value
        #expect(VietnameseLunarCalendar.lunarNewYear(in: year).description == expected)
    }

    /// China kept Tết 1985 on 20 February and 2007 on 18 February.
    @Test(
        "Tết where the Vietnamese calendar parts from the Chinese",
        arguments: [(1985, "1985-01-21"), (2007, "2007-02-17")].map { Named(String($0.0), $0) })
    func vietnameseNotChinese(_ example: Named<(Int, String)>) {
        let (year, expected) = example.value
        #expect(VietnameseLunarCalendar.lunarNewYear(in: year).description == expected)
    }

    @Test(
        "Giỗ Tổ Hùng Vương (10/3)",
        arguments: [
            (2023, "2023-04-29"), (2024, "2024-04-18"), (2025, "2025-04-07"), (2026, "2026-04-26"),
            (2027, "2027-04-16"),
        ].map { Named(String($0.0), $0) })
    func hungKingsDay(_ example: Named<(Int, String)>) {
        let (year, expected) = example.value
        #expect(VietnameseLunarCalendar.hungKingsDay(in: year).description == expected)
    }

    /// 2023 and 2024 end on 30 tháng Chạp, 2025 and 2026 on the 29th.
    @Test(
        "lunar New Year's Eve (Giao thừa)",
        arguments: [
            (2023, "2023-01-21", 30), (2024, "2024-02-09", 30), (2025, "2025-01-28", 29), (2026, "2026-02-16", 29),
        ].map { Named(String($0.0), $0) })
    func newYearsEve(_ example: Named<(Int, String, Int)>) {
        let (year, expected, lunarDay) = example.value
        let eve = VietnameseLunarCalendar.lunarNewYearsEve(in: year)
        #expect(eve.description == expected)
        #expect(VietnameseLunarCalendar.lunarDate(of: eve) == LunarDate(year: year - 1, month: 12, day: lunarDay))
    }

    /// 2023 repeats month 2 and 2025 month 6; 2024 has no leap month, and Giáp Thìn's month 12 has 29 days.
    @Test(
        "leap months and missing days",
        arguments: [
            Named("leap month 2 of 2023", (LunarDate(year: 2023, month: 2, day: 1, isLeapMonth: true), "2023-03-22")),
            Named("month 3 of 2023, after the leap", (LunarDate(year: 2023, month: 3, day: 1), "2023-04-20")),
            Named("leap month 6 of 2025", (LunarDate(year: 2025, month: 6, day: 1, isLeapMonth: true), "2025-07-25")),
            Named("a lunar 2023 day in solar 2024", (LunarDate(year: 2023, month: 11, day: 20), "2024-01-01")),
            Named("29 tháng Chạp Giáp Thìn", (LunarDate(year: 2024, month: 12, day: 29), "2025-01-28")),
            Named("no 30 tháng Chạp in Giáp Thìn", (LunarDate(year: 2024, month: 12, day: 30), nil)),
            Named("2024 has no leap month", (LunarDate(year: 2024, month: 2, day: 1, isLeapMonth: true), nil)),
            Named("2023 repeats month 2, not 3", (LunarDate(year: 2023, month: 3, day: 1, isLeapMonth: true), nil)),
            Named("no month 13", (LunarDate(year: 2024, month: 13, day: 1), nil)),
            Named("no day 0", (LunarDate(year: 2024, month: 1, day: 0), nil)),
        ] as [Named<(LunarDate, String?)>])
    func solarDates(_ example: Named<(LunarDate, String?)>) {
        let (lunar, expected) = example.value
        #expect(VietnameseLunarCalendar.solarDate(of: lunar)?.description == expected)
    }

    /// Every day of the year converts to a lunar date and back, the lunar days follow one another, and months last
    /// 29 or 30 days. 2054 and 2062 hold the two days on which the reference implementation answers "day 0".
    @Test("every day round-trips, 1900-2199", arguments: 1900...2199)
    func roundTrip(_ year: Int) throws {
        var previous = VietnameseLunarCalendar.lunarDate(
            of: try #require(LocalDate(year: year - 1, month: 12, day: 31)))
        for month in 1...12 {
            for day in 1...31 {
                guard let date = LocalDate(year: year, month: month, day: day) else { continue }
                let lunar = VietnameseLunarCalendar.lunarDate(of: date)
                #expect(VietnameseLunarCalendar.solarDate(of: lunar) == date, "\(date) → \(lunar)")
                if lunar.day == 1 {
                    #expect((29...30).contains(previous.day), "\(date): the month before had \(previous.day) days")
                } else {
                    let next = LunarDate(
                        year: previous.year, month: previous.month, day: previous.day + 1,
                        isLeapMonth: previous.isLeapMonth)
                    #expect(lunar == next, "\(date): \(previous) → \(lunar)")
                }
                previous = lunar
            }
        }
    }
}
