import Foundation
import Testing

@testable import SipasDomain

/// The 2024 and 2025 calendars of civil servants, as announced (holidays on weekdays, swapped days).
enum Calendars {
    static func day(_ text: String, _ name: String = "nghỉ") -> HolidayYear.Day {
        .init(date: LocalDate(text)!, name: name)
    }

    static let y2024 = HolidayYear(
        year: 2024, source: "Thông báo 5015/TB-LĐTBXH ngày 22/11/2023",
        daysOff: [
            day("2024-01-01", "Tết Dương lịch"),
            day("2024-02-08"), day("2024-02-09"), day("2024-02-12"), day("2024-02-13"), day("2024-02-14"),  // Tết Nguyên đán
            day("2024-04-18", "Giỗ Tổ Hùng Vương"), day("2024-04-29", "nghỉ hoán đổi"), day("2024-04-30"),
            day("2024-05-01"),
            day("2024-09-02"), day("2024-09-03"),
        ],
        workingDays: [day("2024-05-04", "làm bù cho ngày 29/4")])

    static let y2025 = HolidayYear(
        year: 2025, source: "Thông báo 6150/TB-BLĐTBXH ngày 03/12/2024",
        daysOff: [
            day("2025-01-01"), day("2025-01-27"), day("2025-01-28"), day("2025-01-29"), day("2025-01-30"),
            day("2025-01-31"),
        ],
        workingDays: [])

    /// The repository's `Deploy/calendar/`.
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Deploy/calendar")

    /// `Deploy/calendar/rules.json`, as shipped.
    static let rules: CalendarRules = {
        let data = try! Data(contentsOf: directory.appendingPathComponent("rules.json"))
        return try! JSONDecoder().decode(CalendarRules.self, from: data)
    }()

    /// The shipped rules with another choice for a receipt on a day off.
    static func rules(_ receipt: NonWorkingDayReceipt) -> CalendarRules {
        var rules = Self.rules
        rules.nonWorkingDayReceipt.rule = receipt
        return rules
    }

    /// The notice files of `Deploy/calendar/`.
    static let notices: [HolidayYear] = (2023...2026).map { year in
        let data = try! Data(contentsOf: directory.appendingPathComponent("\(year).json"))
        return try! JSONDecoder().decode(HolidayYear.self, from: data)
    }

    static let calendar = WorkingCalendar([y2024, y2025], rules: rules(.countFromNextWorkingDay))
}

@Suite("Working calendar")
struct WorkingCalendarTests {
    static func date(_ text: String) -> LocalDate { LocalDate(text)! }

    @Test(
        "working days",
        arguments: [
            Named("Tết 2024", ("2024-02-08", false)), Named("the first day back after Tết", ("2024-02-15", true)),
            Named("a Saturday", ("2024-02-17", false)),
            Named("Saturday 4/5/2024, swapped to work", ("2024-05-04", true)),
            Named("Monday 29/4/2024, swapped off", ("2024-04-29", false)),
            Named("after the 30/4-1/5 holidays", ("2024-05-02", true)), Named("New Year 2025", ("2025-01-01", false)),
            Named("the day after New Year", ("2025-01-02", true)),
        ] as [Named<(String, Bool)>])
    func workingDays(_ example: Named<(String, Bool)>) throws {
        let (text, working) = example.value
        #expect(try Calendars.calendar.isWorkingDay(Self.date(text)) == working)
    }

    /// (received, legal days, due with countFromNextWorkingDay, due with treatAsReceivedOnNextWorkingDay)
    static let deadlines: [(String, String, Int, String, String)] = [
        (
            "3 days from a Monday: counting starts the day after", "2024-03-04T09:00:00+07:00", 3, "2024-03-07",
            "2024-03-07"
        ),
        ("across Tết: 8-14/2 are skipped", "2024-02-05T10:00:00+07:00", 5, "2024-02-19", "2024-02-19"),
        ("Friday evening, local time", "2024-03-01T19:30:00+07:00", 1, "2024-03-04", "2024-03-04"),
        ("Friday 17:30 UTC is Saturday 00:30 in Vietnam", "2024-03-01T17:30:00Z", 1, "2024-03-04", "2024-03-05"),
        ("received on a holiday (30/4)", "2024-04-30T08:00:00+07:00", 2, "2024-05-03", "2024-05-04"),
        ("the swapped Saturday 4/5 is a working day", "2024-05-02T08:00:00+07:00", 2, "2024-05-04", "2024-05-04"),
        ("across New Year: 1/1/2025 is off", "2024-12-27T08:00:00+07:00", 5, "2025-01-06", "2025-01-06"),
        ("within the day", "2024-03-04T15:00:00+07:00", 0, "2024-03-04", "2024-03-04"),
        ("within the day, received on a Sunday", "2024-03-03T15:00:00+07:00", 0, "2024-03-04", "2024-03-04"),
    ]

    @Test("due dates, under both rules for a receipt on a day off", arguments: deadlines.map { Named($0.0, $0) })
    func dueDates(_ example: Named<(String, String, Int, String, String)>) throws {
        let (name, received, days, nextDay, treatAs) = example.value
        let receipt = LocalDate(try #require(Timestamp.parse(received)))
        #expect(
            try Calendars.calendar.dueDate(receivedOn: receipt, workingDays: days).description == nextDay, "\(name)")
        let other = WorkingCalendar(
            [Calendars.y2024, Calendars.y2025], rules: Calendars.rules(.treatAsReceivedOnNextWorkingDay))
        #expect(try other.dueDate(receivedOn: receipt, workingDays: days).description == treatAs, "\(name)")
    }

    @Test("a year without a notice file is computed from the statutory holidays, provisionally; none is refused")
    func computedYear() throws {
        let due = try Calendars.calendar.dueDate(
            receivedAt: Timestamp.parse("2025-12-29T09:00:00+07:00")!, workingDays: 5)
        // 1/1/2026 is a computed holiday: Tue 30/12 day 1, Wed 31/12, Fri 2/1, Mon 5/1, Tue 6/1 day 5.
        #expect(due.date.description == "2026-01-06")
        #expect(due.provisional)
        #expect(throws: WorkingCalendar.NotCovered.self) {
            try Calendars.calendar.isWorkingDay(Self.date("2200-01-01"))
        }
    }

    @Test("a calendar file that contradicts itself is refused")
    func badFile() {
        let bad = HolidayYear(
            year: 2024, source: "", daysOff: [Calendars.day("2023-12-31")], workingDays: [Calendars.day("2024-05-06")])
        #expect(bad.problems().count == 3)
        #expect(Calendars.y2024.problems().isEmpty)
    }
}

@Suite("Dossier outcomes")
struct DossierOutcomeTests {
    static func dossier(resolvedAt: String?, due: String = "2024-03-15", status: DossierStatus = .resolved) -> Dossier {
        Dossier(
            code: "H1", procedure: "1.001193", unit: "30172", channel: .direct,
            receivedAt: Timestamp.parse("2024-03-11T08:00:00+07:00")!,
            dueDate: LocalDate(due)!, resolvedAt: resolvedAt.flatMap(Timestamp.parse),
            status: resolvedAt == nil && status == .resolved ? .inProgress : status)
    }

    @Test(
        "resolution against the due date in local time, whatever the offset given",
        arguments: [
            Named("the evening before the due date", ("2024-03-14T23:59:00+07:00", .early)),
            Named("00:01 on the due date, written in UTC", ("2024-03-14T17:01:00Z", .onTime)),
            Named("00:01 on the due date", ("2024-03-15T00:01:00+07:00", .onTime)),
            Named("23:59 on the due date", ("2024-03-15T23:59:00+07:00", .onTime)),
            Named("23:59 on the due date, written in UTC", ("2024-03-15T16:59:00Z", .onTime)),
            Named("00:01 the day after", ("2024-03-16T00:01:00+07:00", .late)),
            Named("00:01 the day after, written in UTC", ("2024-03-15T17:01:00Z", .late)),
        ] as [Named<(String, DossierOutcome)>])
    func resolved(_ example: Named<(String, DossierOutcome)>) {
        let (resolvedAt, outcome) = example.value
        #expect(
            DossierOutcome.classify(Self.dossier(resolvedAt: resolvedAt), asOf: LocalDate("2024-12-31")!) == outcome)
    }

    @Test(
        "unresolved: in progress within the deadline up to the due date, overdue after; a later resolution does not count yet"
    )
    func unresolved() {
        #expect(
            DossierOutcome.classify(Self.dossier(resolvedAt: nil), asOf: LocalDate("2024-03-15")!) == .inProgressInTime)
        #expect(DossierOutcome.classify(Self.dossier(resolvedAt: nil), asOf: LocalDate("2024-03-16")!) == .overdue)
        #expect(
            DossierOutcome.classify(
                Self.dossier(resolvedAt: "2024-03-20T09:00:00+07:00"), asOf: LocalDate("2024-03-15")!)
                == .inProgressInTime)
        #expect(
            DossierOutcome.classify(Self.dossier(resolvedAt: nil, status: .withdrawn), asOf: LocalDate("2024-03-16")!)
                == .withdrawn)
    }
}
