/// One year's days off and swapped working days of civil servants (lịch nghỉ lễ, Tết), either declared in a
/// notice file of `Deploy/calendar/` or computed from the statutory holidays when no notice is on file.
public struct HolidayYear: Codable, Hashable, Sendable {
    /// A dated entry with its name.
    public struct Day: Codable, Hashable, Sendable {
        public var date: LocalDate
        public var name: String
        /// True when no primary text supports the day yet (a computed holiday, or a day the file marks so):
        /// every figure counted across it says so.
        public var provisional: Bool
        /// Why the day is provisional, or what supports it.
        public var note: String?

        public init(date: LocalDate, name: String, provisional: Bool = false, note: String? = nil) {
            self.date = date
            self.name = name
            self.provisional = provisional
            self.note = note
        }

        private enum Keys: String, CodingKey { case date, name, provisional, note }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Keys.self)
            date = try container.decode(LocalDate.self, forKey: .date)
            name = try container.decode(String.self, forKey: .name)
            provisional = try container.decodeIfPresent(Bool.self, forKey: .provisional) ?? false
            note = try container.decodeIfPresent(String.self, forKey: .note)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(date, forKey: .date)
            try container.encode(name, forKey: .name)
            if provisional { try container.encode(true, forKey: .provisional) }
            try container.encodeIfPresent(note, forKey: .note)
        }
    }

    public var year: Int
    /// The official text(s) the days come from: the notice's number and date (or, for a computed year, the rule).
    public var source: String
    /// Days off: public holidays, compensatory and swapped days off.
    public var daysOff: [Day]
    /// Saturdays or Sundays worked in exchange for a swapped day off (làm bù).
    public var workingDays: [Day]
    /// True for a year computed from the statutory holidays because no notice file covers it: its swaps are
    /// unknown, so every day of it is provisional.
    public var computed: Bool

    public init(year: Int, source: String, daysOff: [Day], workingDays: [Day], computed: Bool = false) {
        self.year = year
        self.source = source
        self.daysOff = daysOff
        self.workingDays = workingDays
        self.computed = computed
    }

    private enum Keys: String, CodingKey { case year, source, daysOff, workingDays }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        year = try container.decode(Int.self, forKey: .year)
        source = try container.decode(String.self, forKey: .source)
        daysOff = try container.decode([Day].self, forKey: .daysOff)
        workingDays = try container.decode([Day].self, forKey: .workingDays)
        computed = false
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(year, forKey: .year)
        try container.encode(source, forKey: .source)
        try container.encode(daysOff, forKey: .daysOff)
        try container.encode(workingDays, forKey: .workingDays)
    }

    /// Everything wrong with the file: dates outside the year, a day both off and worked, a worked weekday,
    /// a provisional day that does not say why.
    public func problems() -> [String] {
        var problems: [String] = []
        if source.trimmed.isEmpty { problems.append("source: must name the official text") }
        for day in daysOff + workingDays where day.date.year != year {
            problems.append("\(day.date): is not in \(year)")
        }
        let off = Set(daysOff.map(\.date))
        for day in workingDays {
            if off.contains(day.date) { problems.append("\(day.date): is both a day off and a working day") }
            if day.date.isoWeekday <= 5 {
                problems.append("\(day.date): a swapped working day must be a Saturday or Sunday")
            }
        }
        for day in daysOff + workingDays where day.name.trimmed.isEmpty { problems.append("\(day.date): has no name") }
        for day in daysOff + workingDays where day.provisional && (day.note?.trimmed.isEmpty ?? true) {
            problems.append("\(day.date): a provisional day must say why in its note")
        }
        return problems
    }
}
