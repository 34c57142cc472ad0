import Foundation

/// Working days of Vietnamese civil servants (ngày làm việc): Monday to Friday, less the holidays and swapped
/// days off, plus the swapped working Saturdays, and the due dates counted on them (DOMAIN.md §3).
///
/// A year with a notice file in `Deploy/calendar/` follows that file. A year without one follows the statutory
/// holidays computed by ``StatutoryHolidays`` and is **provisional** throughout, so intake never stops on a
/// missing year and every figure counted across such a day says so.
public struct WorkingCalendar: Sendable {
    /// Asked about a year outside the range the lunar calendar is computed for.
    public struct NotCovered: Error, Hashable, Sendable, CustomStringConvertible {
        public let year: Int
        public var description: String {
            "no working calendar for \(year): holidays are computed for \(WorkingCalendar.computableYears.lowerBound)-"
                + "\(WorkingCalendar.computableYears.upperBound) only"
        }
    }

    /// A due date (ngày hẹn trả) with what it was counted from.
    public struct DueDate: Hashable, Sendable {
        /// The due date itself.
        public let date: LocalDate
        /// The day the receipt counts as made on (the next working day for a receipt after hours or on a day off).
        public let receivedOn: LocalDate
        /// True when a day between the receipt and the due date is provisional.
        public let provisional: Bool
    }

    /// Years whose statutory holidays can be computed (the lunar calendar's range).
    public static let computableYears = 1900...2199

    /// The notice files, by year.
    public let notices: [Int: HolidayYear]
    public let rules: CalendarRules
    private let daysOff: [LocalDate: HolidayYear.Day]
    private let workingWeekends: [LocalDate: HolidayYear.Day]
    private let computedYears: [Int: HolidayYear]

    /// - Parameters:
    ///   - notices: one notice file per year; a year listed twice keeps the last.
    ///   - rules: receipt rules and the statutory holidays for years without a notice.
    public init(_ notices: [HolidayYear], rules: CalendarRules) {
        self.notices = Dictionary(notices.map { ($0.year, $0) }, uniquingKeysWith: { _, last in last })
        self.rules = rules
        var computedYears: [Int: HolidayYear] = [:]
        for year in Self.computableYears where self.notices[year] == nil {
            computedYears[year] = rules.statutoryHolidays.year(year)
        }
        self.computedYears = computedYears
        let all = Array(self.notices.values) + Array(computedYears.values)
        daysOff = Dictionary(all.flatMap { $0.daysOff.map { ($0.date, $0) } }, uniquingKeysWith: { first, _ in first })
        workingWeekends = Dictionary(
            all.flatMap { $0.workingDays.map { ($0.date, $0) } }, uniquingKeysWith: { first, _ in first })
    }

    /// The calendar of `year`: its notice file, or the computed statutory holidays.
    public func year(_ year: Int) throws -> HolidayYear {
        if let notice = notices[year] { return notice }
        guard let computed = computedYears[year] else { throw NotCovered(year: year) }
        return computed
    }

    /// Whether civil servants work on `date`.
    public func isWorkingDay(_ date: LocalDate) throws -> Bool {
        guard notices[date.year] != nil || computedYears[date.year] != nil else { throw NotCovered(year: date.year) }
        if workingWeekends[date] != nil { return true }
        if daysOff[date] != nil { return false }
        return date.isoWeekday <= 5
    }

    /// Whether the working-day status of `date` is not settled by a primary text: a day of a year without a
    /// notice file (its swaps are unknown), or a day its file marks provisional.
    public func isProvisional(_ date: LocalDate) -> Bool {
        if notices[date.year] == nil { return true }
        return daysOff[date]?.provisional == true || workingWeekends[date]?.provisional == true
    }

    /// The provisional days from `from` to `to` that change whether a day is worked: computed holidays, and
    /// days of notice files marked provisional. Plain weekdays of a computed year are not listed.
    public func provisionalDays(from: LocalDate, to: LocalDate) -> [HolidayYear.Day] {
        guard from <= to else { return [] }
        return
            (daysOff.values.filter { $0.provisional && $0.date >= from && $0.date <= to }
            + workingWeekends.values.filter { $0.provisional && $0.date >= from && $0.date <= to })
            .sorted { $0.date < $1.date }
    }

    /// The years from `from` to `to` that no notice file covers.
    public func yearsWithoutNotice(from: LocalDate, to: LocalDate) -> [Int] {
        guard from <= to else { return [] }
        return (from.year...to.year).filter { notices[$0] == nil }
    }

    /// The first working day strictly after `date`.
    public func nextWorkingDay(after date: LocalDate) throws -> LocalDate {
        var day = date.adding(days: 1)
        while try !isWorkingDay(day) { day = day.adding(days: 1) }
        return day
    }

    /// The due date of a dossier received on the date `receipt`, at a time within office hours and before any
    /// same-day cut-off (for the full rules, including the time of day, use ``dueDate(receivedAt:workingDays:)``).
    public func dueDate(receivedOn receipt: LocalDate, workingDays: Int) throws -> LocalDate {
        try dueDate(receipt: receipt, time: nil, workingDays: workingDays).date
    }

    /// The due date (ngày hẹn trả) of a dossier received at `receivedAt` with a legal time of `workingDays`.
    ///
    /// In local time (Asia/Ho_Chi_Minh), under ``rules``:
    /// - counting starts the working day after the receipt, which is not counted (Bộ luật Dân sự 2015 Điều 147):
    ///   with 3 working days a Monday receipt is due on Thursday; a period ending on a day off ends on the next
    ///   working day (Điều 148), which counting on working days gives by construction;
    /// - a receipt on a day off, or at or after the end of office hours, counts as made on the next working day
    ///   (``CalendarRules/nonWorkingDayReceipt`` says whether that day is itself day 1);
    /// - a legal time of 0 (resolved in the day) is due on the receipt day, or the next working day when
    ///   received after ``CalendarRules/sameDayCutoff`` (15:00).
    ///
    /// - Throws: ``NotCovered`` for a date outside ``computableYears``.
    public func dueDate(receivedAt: Date, workingDays: Int) throws -> DueDate {
        let receipt = LocalDate(receivedAt)
        return try dueDate(
            receipt: receipt, time: receivedAt.timeIntervalSince(receipt.startOfDay), workingDays: workingDays)
    }

    /// - Parameter time: seconds since local midnight of the receipt; nil when only the date is known.
    private func dueDate(receipt: LocalDate, time: TimeInterval?, workingDays: Int) throws -> DueDate {
        precondition(workingDays >= 0, "a legal time is never negative")
        var receivedOn = receipt
        var moved = false
        if try !isWorkingDay(receipt) {
            receivedOn = try nextWorkingDay(after: receipt)
            moved = true
        } else if let time, let end = rules.officeHoursEnd?.time, time >= TimeInterval(end.minutes * 60) {
            receivedOn = try nextWorkingDay(after: receipt)
            moved = true
        }
        var due = receivedOn
        if workingDays == 0 {
            // "sau 15 giờ": strictly after the cut-off.
            if !moved, let time, let cutoff = rules.sameDayCutoff?.time, time > TimeInterval(cutoff.minutes * 60) {
                due = try nextWorkingDay(after: receipt)
            }
        } else {
            let counted =
                moved && rules.nonWorkingDayReceipt.rule == .countFromNextWorkingDay ? workingDays - 1 : workingDays
            for _ in 0..<counted { due = try nextWorkingDay(after: due) }
        }
        var provisional = false
        var day = receipt
        while day <= due && !provisional {
            provisional = isProvisional(day)
            day = day.adding(days: 1)
        }
        return DueDate(date: due, receivedOn: receivedOn, provisional: provisional)
    }
}
