/// How receipts are dated and which days are statutory holidays, as `Deploy/calendar/rules.json` declares them:
/// each rule with the text it rests on, so every due date can be traced to its source (DOMAIN.md §3).
public struct CalendarRules: Codable, Hashable, Sendable {
    /// A time-of-day rule with its source.
    public struct TimeRule: Codable, Hashable, Sendable {
        public var time: TimeOfDay
        public var source: String

        public init(time: TimeOfDay, source: String) {
            self.time = time
            self.source = source
        }
    }

    /// How a receipt outside office hours or on a day off is counted, with its source.
    public struct ReceiptRule: Codable, Hashable, Sendable {
        public var rule: NonWorkingDayReceipt
        public var source: String

        public init(rule: NonWorkingDayReceipt, source: String) {
            self.rule = rule
            self.source = source
        }
    }

    /// A receipt at or after this local time on a working day counts as received on the next working day
    /// (the end of office hours). nil: the time of day never moves a receipt.
    public var officeHoursEnd: TimeRule?
    /// A same-day (0 working days) procedure received after this local time is due the next working
    /// day (15:00). nil: no cut-off.
    public var sameDayCutoff: TimeRule?
    /// How a receipt outside office hours or on a day off is counted.
    public var nonWorkingDayReceipt: ReceiptRule
    /// The statutory holidays, computed for a year that has no notice file.
    public var statutoryHolidays: StatutoryHolidays

    public init(
        officeHoursEnd: TimeRule? = nil, sameDayCutoff: TimeRule? = nil, nonWorkingDayReceipt: ReceiptRule,
        statutoryHolidays: StatutoryHolidays
    ) {
        self.officeHoursEnd = officeHoursEnd
        self.sameDayCutoff = sameDayCutoff
        self.nonWorkingDayReceipt = nonWorkingDayReceipt
        self.statutoryHolidays = statutoryHolidays
    }

    /// Everything wrong with the rules; empty when usable.
    public func problems() -> [String] {
        var problems: [String] = []
        if let rule = officeHoursEnd, rule.source.trimmed.isEmpty {
            problems.append("officeHoursEnd.source: must cite the rule")
        }
        if let rule = sameDayCutoff, rule.source.trimmed.isEmpty {
            problems.append("sameDayCutoff.source: must cite the rule")
        }
        if let cutoff = sameDayCutoff?.time, let end = officeHoursEnd?.time, cutoff > end {
            problems.append("sameDayCutoff: \(cutoff) is after the end of office hours \(end)")
        }
        if nonWorkingDayReceipt.source.trimmed.isEmpty {
            problems.append("nonWorkingDayReceipt.source: must cite the rule")
        }
        problems += statutoryHolidays.problems().map { "statutoryHolidays.\($0)" }
        return problems
    }
}

/// How a receipt on a day off (or after office hours) is counted (DOMAIN.md §3; the choice and its source
/// are kept in the calendar rules file).
public enum NonWorkingDayReceipt: String, Codable, Hashable, Sendable, CaseIterable {
    /// The first working day after the receipt is day 1 (a Saturday receipt: Monday is day 1).
    case countFromNextWorkingDay
    /// The receipt counts as made on the next working day, and that day is not counted, so the working day
    /// after it is day 1 (a Saturday receipt: Tuesday is day 1; Bộ luật Dân sự 2015 Điều 147).
    case treatAsReceivedOnNextWorkingDay
}
