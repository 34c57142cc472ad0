import Foundation
import Testing

@testable import SipasDomain

/// The due-date rules of `Deploy/calendar/rules.json` on the real notice files: the time of receipt, days off,
/// and years no notice covers yet.
@Suite("Due dates under the calendar rules")
struct DueDateRulesTests {
    static let calendar = WorkingCalendar(Calendars.notices, rules: Calendars.rules)

    /// (case, received, legal working days, due date, provisional)
    static let cases: [(String, String, Int, String, Bool)] = [
        (
            "0-day received Tuesday 16:00: due Wednesday (after 15:00)", "2024-03-05T16:00:00+07:00", 0, "2024-03-06",
            false
        ),
        ("0-day received Tuesday 14:59: due the same day", "2024-03-05T14:59:00+07:00", 0, "2024-03-05", false),
        ("0-day received at 15:00:00 sharp: not after 15:00", "2024-03-05T15:00:00+07:00", 0, "2024-03-05", false),
        ("0-day received 15:00:01: after 15:00", "2024-03-05T15:00:01+07:00", 0, "2024-03-06", false),
        (
            "0-day, 16:00 the day before Tết 2024: the first working day after Tết", "2024-02-07T16:00:00+07:00", 0,
            "2024-02-15", false
        ),
        (
            "0-day online filing Tuesday 20:00: received Wednesday, due Wednesday", "2024-03-05T20:00:00+07:00", 0,
            "2024-03-06", false
        ),
        (
            "3 days, online filing Tuesday 20:00: received Wednesday; Thu, Fri, Mon", "2024-03-05T20:00:00+07:00", 3,
            "2024-03-11", false
        ),
        (
            "3 days, Tuesday 16:00 (within office hours): Wed, Thu, Fri", "2024-03-05T16:00:00+07:00", 3, "2024-03-08",
            false
        ),
        (
            "3 days, received Saturday: received Monday; Tue, Wed, Thu", "2024-03-09T10:00:00+07:00", 3, "2024-03-14",
            false
        ),
        ("0-day received Saturday: due Monday", "2024-03-09T10:00:00+07:00", 0, "2024-03-11", false),
        ("Friday 17:30 UTC is Saturday 00:30 local: received Monday", "2024-03-01T17:30:00Z", 1, "2024-03-05", false),
        (
            "30 days received 30/11/2026 run into 2027, no notice yet: computed, provisional",
            "2026-11-30T09:00:00+07:00", 30, "2027-01-12", true
        ),
        (
            "3 days across 24/11/2026, a day no primary text supports yet", "2026-11-20T09:00:00+07:00", 3,
            "2026-11-26", true
        ),
        ("3 days inside March 2026: settled by the notice", "2026-03-02T09:00:00+07:00", 3, "2026-03-05", false),
        ("11 days from 16/12/2026 end on 31/12: settled", "2026-12-16T09:00:00+07:00", 11, "2026-12-31", false),
        ("12 days from 16/12/2026 cross the computed 1/1/2027", "2026-12-16T09:00:00+07:00", 12, "2027-01-04", true),
    ]

    @Test("the due date and whether it is provisional", arguments: cases.map { Named($0.0, $0) })
    func dueDate(_ example: Named<(String, String, Int, String, Bool)>) throws {
        let (name, received, days, due, provisional) = example.value
        let result = try Self.calendar.dueDate(receivedAt: try #require(Timestamp.parse(received)), workingDays: days)
        #expect(result.date.description == due, "\(name)")
        #expect(result.provisional == provisional, "\(name)")
    }

    @Test("a 0-day procedure received Tuesday 16:00 and resolved Wednesday 09:00 is on time")
    func sameDayCutoffOutcome() throws {
        let procedure = Procedure(
            code: "2.000635", name: "Cấp bản sao trích lục hộ tịch", field: "Hộ tịch", level: .commune, legalDays: 0,
            fullOnlineEligible: true, feeBearing: true)
        let rules = DossierRules(procedures: [procedure.code: procedure], calendar: Self.calendar)
        let submission = DossierSubmission(
            code: "H-16", procedure: procedure.code, unit: "30172", channel: "direct",
            receivedAt: "2024-03-05T16:00:00+07:00",
            resolvedAt: "2024-03-06T09:00:00+07:00", status: "resolved")
        let dossier = try rules.validate(submission, now: Timestamp.parse("2024-12-31T00:00:00+07:00")!).get()
        #expect(dossier.dueDate.description == "2024-03-06")
        #expect(dossier.dueDateBasis == DueDateBasis.computed)
        #expect(DossierOutcome.classify(dossier, asOf: LocalDate("2024-12-31")!) == .onTime)
    }

    @Test(
        "a provisional due date is replaced when the calendar is settled; a date the source gave never is, even by an update without one"
    )
    func provisionalReplaced() throws {
        let received = Timestamp.parse("2026-12-16T09:00:00+07:00")!
        let stored = Dossier(
            code: "X", procedure: "p", unit: "30172", channel: .direct, receivedAt: received,
            dueDate: LocalDate("2027-01-04")!,
            dueDateBasis: .provisional, status: .inProgress)
        var settled = stored
        settled.dueDate = LocalDate("2027-01-05")!
        settled.dueDateBasis = .computed
        #expect(throws: Never.self) { try DossierRules.change(from: stored, to: settled).get() }
        var given = stored
        given.dueDateBasis = .given
        // An update without a date keeps the source's: unchanged, or updated with the given date.
        #expect(try DossierRules.change(from: given, to: settled).get() == .unchanged(given))
        var resolved = settled
        resolved.status = .resolved
        resolved.resolvedAt = Timestamp.parse("2027-01-05T10:00:00+07:00")
        guard case .updated(let kept) = try DossierRules.change(from: given, to: resolved).get() else {
            Issue.record("not an update")
            return
        }
        #expect(kept.dueDate.description == "2027-01-04" && kept.dueDateBasis == .given)
        // Another date from the source is refused: the original stays, a new date goes with an apology slip.
        var moved = given
        moved.dueDate = LocalDate("2027-01-08")!
        #expect(throws: InvalidInput.self) { try DossierRules.change(from: given, to: moved).get() }
    }
}

/// The statutory holidays computed for a year without a notice file, against the notices of 2023-2026.
@Suite("Statutory holidays")
struct StatutoryHolidaysTests {
    /// Mùng 1 Tết and Giỗ Tổ Hùng Vương as the notice files list them.
    static let lunarDays: [(Int, String, String)] = [
        (2023, "2023-01-22", "2023-04-29"), (2024, "2024-02-10", "2024-04-18"), (2025, "2025-01-29", "2025-04-07"),
        (2026, "2026-02-17", "2026-04-26"),
    ]

    @Test(
        "the lunar holidays of 2023-2026 are computed on the days the files list",
        arguments: lunarDays.map { Named(String($0.0), $0) })
    func lunarHolidays(_ example: Named<(Int, String, String)>) throws {
        let (year, newYear, hungKings) = example.value
        let notice = try #require(Calendars.notices.first { $0.year == year })
        let listed = Set(notice.daysOff.map(\.date.description))
        #expect(VietnameseLunarCalendar.lunarNewYear(in: year).description == newYear)
        #expect(VietnameseLunarCalendar.hungKingsDay(in: year).description == hungKings)
        #expect(listed.contains(newYear) && listed.contains(hungKings))
    }

    @Test(
        "the computed weekdays off of 2023-2026 are the files' own, less the swaps each notice decided",
        arguments: 2023...2026)
    func weekdaysOff(_ year: Int) throws {
        let notice = try #require(Calendars.notices.first { $0.year == year })
        let fromNotice = Set(
            notice.daysOff.filter { $0.date.isoWeekday <= 5 && !$0.name.hasPrefix("Nghỉ hoán đổi") }.map(\.date))
        let computed = Calendars.rules.statutoryHolidays.year(year)
        #expect(Set(computed.daysOff.filter { $0.date.isoWeekday <= 5 }.map(\.date)) == fromNotice)
        #expect(computed.computed && computed.daysOff.allSatisfy(\.provisional))
    }

    @Test("2027 has no notice yet: its Tết and Giỗ Tổ are computed and provisional")
    func year2027() throws {
        let calendar = WorkingCalendar(Calendars.notices, rules: Calendars.rules)
        let tet = try calendar.year(2027)
        #expect(tet.computed)
        // Mùng 1 Tết Đinh Mùi is Saturday 6/2/2027: off from Thursday 4/2 to Wednesday 10/2, weekdays only.
        #expect(
            tet.daysOff.filter { $0.name.hasPrefix("Tết Nguyên đán") }.map(\.date.description)
                == ["2027-02-04", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10"])
        #expect(try !calendar.isWorkingDay(LocalDate("2027-04-16")!))  // Giỗ Tổ, Friday
        #expect(calendar.isProvisional(LocalDate("2027-03-10")!))
        #expect(calendar.yearsWithoutNotice(from: LocalDate("2026-11-30")!, to: LocalDate("2027-11-30")!) == [2027])
    }

    @Test("the shipped rules are valid and a broken window is refused")
    func rules() {
        #expect(Calendars.rules.problems().isEmpty)
        var broken = Calendars.rules
        broken.statutoryHolidays.lunarNewYear.lastDay = 6
        broken.sameDayCutoff?.source = ""
        #expect(broken.problems().count == 2)
    }
}
