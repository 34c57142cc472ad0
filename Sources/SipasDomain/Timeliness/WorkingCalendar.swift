/// One year's official calendar of civil servants (lịch nghỉ lễ, Tết), as declared in a calendar file.
public struct HolidayYear: Codable, Hashable, Sendable {
    /// A dated entry with its name.
    public struct Day: Codable, Hashable, Sendable {
        public var date: LocalDate
        public var name: String

        public init(date: LocalDate, name: String) {
            self.date = date
            self.name = name
        }
    }

    public var year: Int
    /// The official text(s) the days come from.
    public var source: String
    /// Days off: public holidays, compensatory and swapped days off.
    public var daysOff: [Day]
    /// Saturdays or Sundays worked in exchange for a swapped day off (làm bù).
    public var workingDays: [Day]

    public init(year: Int, source: String, daysOff: [Day], workingDays: [Day]) {
        self.year = year
        self.source = source
        self.daysOff = daysOff
        self.workingDays = workingDays
    }

    /// Everything wrong with the file: dates outside the year, a day both off and worked, a worked weekday.
    public func problems() -> [String] {
        var problems: [String] = []
        if source.trimmed.isEmpty { problems.append("source: must name the official text") }
        for day in daysOff + workingDays where day.date.year != year {
            problems.append("\(day.date): is not in \(year)")
        }
        let off = Set(daysOff.map(\.date))
        for day in workingDays {
            if off.contains(day.date) { problems.append("\(day.date): is both a day off and a working day") }
            if day.date.isoWeekday <= 5 { problems.append("\(day.date): a swapped working day must be a Saturday or Sunday") }
        }
        for day in daysOff + workingDays where day.name.trimmed.isEmpty { problems.append("\(day.date): has no name") }
        return problems
    }
}

/// How a receipt on a day off is counted (DOMAIN.md §3, a DECISION kept in the calendar rules file).
public enum NonWorkingDayReceipt: String, Codable, Hashable, Sendable, CaseIterable {
    /// The first working day after the receipt is day 1 (a Saturday receipt: Monday is day 1).
    case countFromNextWorkingDay
    /// The receipt counts as made on the next working day, so the working day after that is day 1
    /// (a Saturday receipt: Tuesday is day 1).
    case treatAsReceivedOnNextWorkingDay
}

/// Working days of Vietnamese civil servants: Monday to Friday, less the holidays and swapped days off of
/// the calendar files, plus the swapped working Saturdays.
public struct WorkingCalendar: Sendable {
    /// Asked about a year no calendar file covers: a deadline would silently ignore its holidays.
    public struct NotCovered: Error, Hashable, Sendable, CustomStringConvertible {
        public let year: Int
        public var description: String { "no working calendar for \(year); add its holiday file" }
    }

    public let years: [Int: HolidayYear]
    public let nonWorkingDayReceipt: NonWorkingDayReceipt
    private let daysOff: Set<LocalDate>
    private let workingWeekends: Set<LocalDate>

    public init(_ years: [HolidayYear], nonWorkingDayReceipt: NonWorkingDayReceipt = .countFromNextWorkingDay) {
        self.years = Dictionary(years.map { ($0.year, $0) }, uniquingKeysWith: { _, last in last })
        self.nonWorkingDayReceipt = nonWorkingDayReceipt
        daysOff = Set(years.flatMap { $0.daysOff.map(\.date) })
        workingWeekends = Set(years.flatMap { $0.workingDays.map(\.date) })
    }

    /// Whether civil servants work on `date`.
    public func isWorkingDay(_ date: LocalDate) throws -> Bool {
        guard years[date.year] != nil else { throw NotCovered(year: date.year) }
        if workingWeekends.contains(date) { return true }
        if daysOff.contains(date) { return false }
        return date.isoWeekday <= 5
    }

    /// The first working day strictly after `date`.
    public func nextWorkingDay(after date: LocalDate) throws -> LocalDate {
        var day = date.adding(days: 1)
        while try !isWorkingDay(day) { day = day.adding(days: 1) }
        return day
    }

    /// The due date (ngày hẹn trả) of a dossier received on `receipt` with a legal time of `workingDays`.
    ///
    /// Counting starts the working day after receipt (DOMAIN.md §3): with 3 working days, a Monday receipt is
    /// due on Thursday. A legal time of 0 (resolved in the day) is due on the receipt day, or the next working
    /// day when received on a day off. A receipt on a day off follows ``nonWorkingDayReceipt``.
    public func dueDate(receivedOn receipt: LocalDate, workingDays: Int) throws -> LocalDate {
        precondition(workingDays >= 0, "a legal time is never negative")
        let receivedOnWorkingDay = try isWorkingDay(receipt)
        var start = receipt
        if !receivedOnWorkingDay {
            start = try nextWorkingDay(after: receipt)
            if workingDays == 0 { return start }
            if nonWorkingDayReceipt == .countFromNextWorkingDay {
                // The next working day is itself day 1.
                var day = start
                for _ in 1..<workingDays { day = try nextWorkingDay(after: day) }
                return day
            }
        }
        var day = start
        for _ in 0..<workingDays { day = try nextWorkingDay(after: day) }
        return day
    }
}
