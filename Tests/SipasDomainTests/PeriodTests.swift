import SipasDomain
import Testing

@Suite("Period: the one reading of year, from/to and asOf")
struct PeriodTests {
    static let today = LocalDate("2025-06-15")!

    /// Words as a request gives them and the period they name, or the problems (field: message).
    struct Case: CustomTestStringConvertible, Sendable {
        let words: Period.Words
        let expected: String
        var testDescription: String {
            "from=\(words.from ?? "-") to=\(words.to ?? "-") year=\(words.year ?? "-")\(words.suffix) → \(expected)"
        }
    }

    static let cases: [Case] = [
        Case(words: .init(), expected: "2025-01-01…2025-06-15"),
        Case(words: .init(year: "2024"), expected: "2024-01-01…2024-12-31"),
        Case(words: .init(from: "2024-03-01", year: "2024"), expected: "2024-03-01…2024-12-31"),
        Case(words: .init(to: "2024-03-31", year: "2024"), expected: "2024-01-01…2024-03-31"),
        Case(words: .init(from: "2025-02-01"), expected: "2025-02-01…2025-06-15"),
        Case(words: .init(from: "2024-02-29", to: "2024-02-29"), expected: "2024-02-29…2024-02-29"),
        Case(words: .init(from: "2024-03-01", to: "2024-02-01"), expected: "to: 2024-02-01 is before from 2024-03-01"),
        Case(
            words: .init(from: "2024-03-01", to: "2024-02-01", suffix: "2"),
            expected: "to2: 2024-02-01 is before from2 2024-03-01"),
        Case(words: .init(year: "24"), expected: "year: '24' is not a year YYYY from 1900 to 9999"),
        Case(words: .init(year: "1899"), expected: "year: '1899' is not a year YYYY from 1900 to 9999"),
        Case(words: .init(year: "+2024"), expected: "year: '+2024' is not a year YYYY from 1900 to 9999"),
        Case(
            words: .init(from: "2023-02-29", to: "x", suffix: "1"),
            expected: "from1: '2023-02-29' is not a date YYYY-MM-DD; to1: 'x' is not a date YYYY-MM-DD"),
        // A default that stood in for a missing end is named as such, not as if the request gave it.
        Case(
            words: .init(to: "2024-12-31"),
            expected: "to: 2024-12-31 is before 2025-01-01, 1 January of this year (no from or year given)"
        ),
        Case(
            words: .init(from: "2025-07-01"), expected: "to: today, 2025-06-15 (no to given) is before from 2025-07-01"),
        Case(
            words: .init(to: "2023-05-01", year: "2024"),
            expected: "to: 2023-05-01 is before year's first day 2024-01-01"),
        // The year after from: 2026 reaches past today, which is allowed (a period still running).
        Case(words: .init(from: "2026-01-01", year: "2026"), expected: "2026-01-01…2026-12-31"),
    ]

    @Test("words read into a period or refused naming each word", arguments: cases)
    func read(_ example: Case) {
        switch Period.read(example.words, today: Self.today) {
        case .success(let period): #expect(period.description == example.expected)
        case .failure(let invalid): #expect(invalid.description == example.expected)
        }
    }

    @Test("years, months and quarters are whole calendar spans")
    func spans() throws {
        #expect(Period(year: 2024)?.description == "2024-01-01…2024-12-31")
        #expect(Period(year: 2024)?.wholeYear == 2024)
        #expect(Period(year: 2024, month: 2)?.description == "2024-02-01…2024-02-29")
        #expect(Period(year: 2024, month: 2)?.wholeYear == nil)
        #expect(Period(year: 2025, month: 12)?.description == "2025-12-01…2025-12-31")
        #expect(Period(year: 2025, quarter: 4)?.description == "2025-10-01…2025-12-31")
        #expect(Period(year: 2025, quarter: 5) == nil)
        #expect(Period(year: 10_000) == nil)
        #expect(Period(from: LocalDate("2024-02-02")!, to: LocalDate("2024-02-01")!) == nil)
        #expect(Period(year: 2024, month: 2)?.yearBefore.description == "2023-02-01…2023-02-28")
        #expect(Period.quarterKey(month: "2024-07") == "2024-Q3")
        #expect(Period.yearKey(month: "2024-07") == "2024")
        #expect(Period.monthKey(LocalDate("2024-07-09")!) == "2024-07")
    }
}
