/// The public holidays of Bộ luật Lao động 2019 Điều 112 and the days in lieu of Điều 111 khoản 3, as the
/// calendar rules file declares them, computed for a year that has no notice file (DOMAIN.md §3).
///
/// A computed year is always **provisional**: the Government decides each year which five days make up Tết,
/// which day joins Quốc khánh and which days are swapped, so only the year's notice settles them.
public struct StatutoryHolidays: Codable, Hashable, Sendable {
    /// A holiday on a fixed solar date (Tết Dương lịch 1/1, 30/4, 1/5, Quốc khánh 2/9 and its adjacent day).
    public struct SolarHoliday: Codable, Hashable, Sendable {
        public var month: Int
        public var day: Int
        public var name: String
        /// First year the holiday applies (a holiday added by a later law).
        public var fromYear: Int?
        /// Another day of the same month taken instead when this one falls on a Sunday (the day adjacent to 2/9).
        public var ifSunday: Int?
        /// Where the holiday comes from, or why it is chosen so.
        public var note: String?
    }

    /// A holiday on a fixed lunar date (Giỗ Tổ Hùng Vương, 10/3 âm lịch).
    public struct LunarHoliday: Codable, Hashable, Sendable {
        public var month: Int
        public var day: Int
        public var name: String
        public var note: String?
    }

    /// Tết Nguyên đán: the weekdays of a window of days around mùng 1 (lunar 1/1).
    public struct LunarNewYear: Codable, Hashable, Sendable {
        /// First day of the window, counted from mùng 1 (−2: two days before).
        public var firstDay: Int
        /// Last day of the window, counted from mùng 1 (4: mùng 5).
        public var lastDay: Int
        public var name: String
        public var note: String?
    }

    /// The texts the holidays come from.
    public var source: String
    public var solar: [SolarHoliday]
    public var lunar: [LunarHoliday]
    public var lunarNewYear: LunarNewYear
    /// A holiday that falls on a Saturday or Sunday gives a day in lieu on the next working day (nghỉ bù).
    public var daysInLieu: Bool

    /// Everything wrong with the rules.
    public func problems() -> [String] {
        var problems: [String] = []
        if source.trimmed.isEmpty { problems.append("source: must cite the law") }
        for (index, holiday) in solar.enumerated() {
            if LocalDate(year: 2024, month: holiday.month, day: holiday.day) == nil {
                problems.append("solar[\(index)]: \(holiday.day)/\(holiday.month) is not a date")
            }
            if let other = holiday.ifSunday, LocalDate(year: 2024, month: holiday.month, day: other) == nil {
                problems.append("solar[\(index)].ifSunday: \(other)/\(holiday.month) is not a date")
            }
            if holiday.name.trimmed.isEmpty { problems.append("solar[\(index)].name: must not be empty") }
        }
        for (index, holiday) in lunar.enumerated()
        where !(1...12).contains(holiday.month) || !(1...29).contains(holiday.day) {
            problems.append("lunar[\(index)]: \(holiday.day)/\(holiday.month) is not a lunar date every year has")
        }
        if lunarNewYear.lastDay - lunarNewYear.firstDay != 6 {
            problems.append("lunarNewYear: the window must be 7 days long (5 weekdays, the 5 days of Điều 112)")
        }
        return problems
    }

    /// The computed, provisional holidays of `year`: days off (weekend holidays included, as notice files list
    /// them) and no swapped working days.
    public func year(_ year: Int) -> HolidayYear {
        let why = "tính theo Bộ luật Lao động 2019 Điều 112 khi chưa có thông báo lịch nghỉ của năm \(year)"
        var daysOff: [LocalDate: HolidayYear.Day] = [:]
        func add(_ date: LocalDate, _ name: String) {
            if daysOff[date] == nil {
                daysOff[date] = HolidayYear.Day(date: date, name: name, provisional: true, note: why)
            }
        }
        let newYear = VietnameseLunarCalendar.lunarNewYear(in: year)
        for offset in lunarNewYear.firstDay...lunarNewYear.lastDay {
            let date = newYear.adding(days: offset)
            if date.isoWeekday <= 5 { add(date, lunarNewYear.name) }
        }
        var holidays: [(LocalDate, String)] = []
        for holiday in solar where holiday.fromYear.map({ $0 <= year }) ?? true {
            guard var date = LocalDate(year: year, month: holiday.month, day: holiday.day) else { continue }
            if date.isoWeekday == 7, let other = holiday.ifSunday,
                let moved = LocalDate(year: year, month: holiday.month, day: other)
            {
                date = moved
            }
            holidays.append((date, holiday.name))
        }
        for holiday in lunar {
            let lunarDate = LunarDate(year: year, month: holiday.month, day: holiday.day, isLeapMonth: false)
            if let date = VietnameseLunarCalendar.solarDate(of: lunarDate) { holidays.append((date, holiday.name)) }
        }
        holidays.sort { $0.0 < $1.0 }
        for (date, name) in holidays { add(date, name) }
        if daysInLieu {
            // Điều 111 khoản 3: the next working day, after every holiday of the same break is placed.
            for (date, name) in holidays where date.isoWeekday >= 6 {
                var day = date.adding(days: 1)
                while day.isoWeekday >= 6 || daysOff[day] != nil { day = day.adding(days: 1) }
                add(day, "Nghỉ bù \(name) (\(date.day)/\(date.month) trùng ngày nghỉ hằng tuần)")
            }
        }
        return HolidayYear(
            year: year, source: "\(source) (tính toán, tạm tính)", daysOff: daysOff.values.sorted { $0.date < $1.date },
            workingDays: [],
            computed: true)
    }
}
