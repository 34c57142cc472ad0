import Foundation

/// A date of the Vietnamese lunar calendar (âm lịch).
///
/// `year` is the lunar year, numbered after the solar year in which it begins (its Tết), so 2024-01-01 is
/// 20 tháng 11 of lunar year 2023. `month` runs from 1 (tháng Giêng) to 12 (tháng Chạp); a leap month
/// (tháng nhuận) carries the number of the month it follows, with `isLeapMonth` set.
public struct LunarDate: Hashable, Sendable {
    public let year: Int
    public let month: Int
    public let day: Int
    public let isLeapMonth: Bool

    /// A lunar date from its parts, unchecked: `VietnameseLunarCalendar.solarDate(of:)` tells whether it exists.
    public init(year: Int, month: Int, day: Int, isLeapMonth: Bool = false) {
        self.year = year
        self.month = month
        self.day = day
        self.isLeapMonth = isLeapMonth
    }
}

/// The Vietnamese lunisolar calendar (âm lịch), computed, not looked up.
///
/// Follows Hồ Ngọc Đức, "Thuật toán tính âm lịch" (Computing the Vietnamese lunar calendar),
/// https://www.informatik.uni-leipzig.de/~duc/amlich/calrules_vn.html (English: `calrules_en.html` beside it),
/// and the author's JavaScript reference implementation published there (amlich-hnd.js, © 2006 Hồ Ngọc Đức),
/// step for step and with the same constants, except where the reference answers nonsense: it can give "day 0"
/// (2054-05-07, 2062-04-09), accepts a leap month in a year without one, and rolls day 30 of a 29-day month over.
/// - days are Julian day numbers (Tøndering's formulas);
/// - new moons (điểm Sóc) come from the truncated series of Jean Meeus, "Astronomical Algorithms" (1998), and the
///   day containing one starts a lunar month;
/// - the sun's longitude at local midnight (same book) tells which major solar term (trung khí) a month holds;
/// - month 11 is the month containing the winter solstice (Đông chí); when 13 new moons separate two months 11,
///   the first month after month 11 without a major term is the leap month (tháng nhuận).
///
/// Everything is computed for UTC+7 (meridian 105° E), the time of Vietnam's official lunar calendar since 1968.
/// Before 1968 the calendars in use followed UTC+8, so for those years a date can differ from what was printed
/// then. The series are simplified: the author notes they are less accurate than his online calendar, so a new
/// moon or a solstice within minutes of local midnight may land on the neighbouring day. Valid for 1900-2199:
/// checked there by converting every day both ways, and Tết and Giỗ Tổ 1901-2100 against a published table;
/// outside it the results grow less trustworthy, and outside `LocalDate`'s years they cannot be represented.
public enum VietnameseLunarCalendar {
    /// The lunar date of a solar (Gregorian) date.
    public static func lunarDate(of date: LocalDate) -> LunarDate {
        let dayNumber = julianDay(year: date.year, month: date.month, day: date.day)
        // The month starts on the last new-moon day on or before the date. The reference takes new moon k + 1 or k
        // of this mean-motion estimate; but a true new moon can stray half a day from the mean, and then new moon k
        // already lies after the date (the reference gives "day 0" on 2054-05-07 and 2062-04-09), so step back.
        var k = Int(floor((Double(dayNumber) - newMoonEpoch) / synodicMonth)) + 1
        var monthStart = newMoonDay(k)
        while monthStart > dayNumber {
            k -= 1
            monthStart = newMoonDay(k)
        }
        // The months are counted from the month 11 before them; which one depends on whether this year's month 11
        // has begun. The lunar year is then named after the solar year in which its month 1 falls.
        var month11 = month11Start(year: date.year)
        var nextMonth11 = month11
        var year: Int
        if month11 >= monthStart {
            year = date.year
            month11 = month11Start(year: date.year - 1)
        } else {
            year = date.year + 1
            nextMonth11 = month11Start(year: date.year + 1)
        }
        let day = dayNumber - monthStart + 1
        // Whole months since month 11: n months last 29n to 30n days, and 30n < 29(n + 1) while n < 29.
        let monthsSince11 = (monthStart - month11) / 29
        var month = monthsSince11 + 11
        var isLeapMonth = false
        if nextMonth11 - month11 > 365 {
            let leapOffset = leapMonthOffset(month11Start: month11)
            if monthsSince11 >= leapOffset {
                // From the leap month on, each month repeats the number of the one before.
                month = monthsSince11 + 10
                isLeapMonth = monthsSince11 == leapOffset
            }
        }
        if month > 12 {
            month -= 12
        }
        if month >= 11 && monthsSince11 < 4 {
            // Months 11 and 12 (leap or not) belong to the lunar year that began in the previous solar year.
            year -= 1
        }
        return LunarDate(year: year, month: month, day: day, isLeapMonth: isLeapMonth)
    }

    /// The solar date of a lunar date (nil when that lunar date does not exist, e.g. day 30 of a 29-day month or a
    /// leap month that year lacks).
    public static func solarDate(of lunar: LunarDate) -> LocalDate? {
        guard (1...12).contains(lunar.month), (1...30).contains(lunar.day) else { return nil }
        // Months 11 and 12 follow the month 11 of their own lunar year; months 1 to 10 the one of the year before.
        let (month11, nextMonth11) =
            lunar.month < 11
            ? (month11Start(year: lunar.year - 1), month11Start(year: lunar.year))
            : (month11Start(year: lunar.year), month11Start(year: lunar.year + 1))
        let k = Int(floor(0.5 + (Double(month11) - newMoonEpoch) / synodicMonth))
        var offset = lunar.month - 11
        if offset < 0 {
            offset += 12
        }
        if nextMonth11 - month11 > 365 {
            let leapOffset = leapMonthOffset(month11Start: month11)
            var leapMonth = leapOffset - 2
            if leapMonth < 0 {
                leapMonth += 12
            }
            if lunar.isLeapMonth && lunar.month != leapMonth {
                return nil
            }
            if lunar.isLeapMonth || offset >= leapOffset {
                offset += 1
            }
        } else if lunar.isLeapMonth {
            // The reference implementation ignores the flag here; a leap month in a year without one does not exist.
            return nil
        }
        let monthStart = newMoonDay(k + offset)
        let dayNumber = monthStart + lunar.day - 1
        // The reference implementation would roll day 30 of a 29-day month over into the next month.
        guard dayNumber < newMoonDay(k + offset + 1) else { return nil }
        return localDate(julianDay: dayNumber)
    }

    /// Mùng 1 Tết (lunar 1/1) of the lunar year that starts in solar `year`.
    public static func lunarNewYear(in year: Int) -> LocalDate {
        // Month 1 is never a leap month and always has day 1, so the date exists.
        solarDate(of: LunarDate(year: year, month: 1, day: 1))!
    }

    /// The last day of the lunar year ending just before lunar New Year of solar `year` (29 or 30 tháng Chạp).
    public static func lunarNewYearsEve(in year: Int) -> LocalDate {
        let newYear = lunarNewYear(in: year)
        return localDate(julianDay: julianDay(year: newYear.year, month: newYear.month, day: newYear.day) - 1)
    }

    /// Giỗ Tổ Hùng Vương (10/3 âm lịch, never a leap month) of solar `year`.
    public static func hungKingsDay(in year: Int) -> LocalDate {
        // Every month has a day 10, and the ordinary month 3 exists every year.
        solarDate(of: LunarDate(year: year, month: 3, day: 10))!
    }

    // MARK: - Astronomy, after Meeus as simplified by Hồ Ngọc Đức

    /// Vietnam's legal time, UTC+7, in hours.
    private static let timeZone = 7.0
    /// The Julian date of the new moon of 1900-01-01 13:52 UTC, from which new moons are counted.
    private static let newMoonEpoch = 2_415_021.076_998_695
    /// The mean synodic month in days.
    private static let synodicMonth = 29.530_588_853
    private static let radiansPerDegree = Double.pi / 180

    /// The Julian date (days since noon UTC, 1 January 4713 BC) of the `k`-th new moon after the epoch's.
    private static func newMoon(_ k: Int) -> Double {
        let k = Double(k)
        let t = k / 1236.85  // Julian centuries since 1900 January 0.5
        let t2 = t * t
        let t3 = t2 * t
        let dr = radiansPerDegree
        var meanNewMoon = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3
        meanNewMoon += 0.000_33 * sin((166.56 + 132.87 * t - 0.009_173 * t2) * dr)
        let sunAnomaly = 359.2242 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3
        let moonAnomaly = 306.0253 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3
        let moonLatitude = 21.2964 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3
        var correction = (0.1734 - 0.000_393 * t) * sin(sunAnomaly * dr) + 0.0021 * sin(2 * dr * sunAnomaly)
        correction = correction - 0.4068 * sin(moonAnomaly * dr) + 0.0161 * sin(dr * 2 * moonAnomaly)
        correction = correction - 0.0004 * sin(dr * 3 * moonAnomaly)
        correction = correction + 0.0104 * sin(dr * 2 * moonLatitude) - 0.0051 * sin(dr * (sunAnomaly + moonAnomaly))
        correction = correction - 0.0074 * sin(dr * (sunAnomaly - moonAnomaly))
        correction = correction + 0.0004 * sin(dr * (2 * moonLatitude + sunAnomaly))
        correction = correction - 0.0004 * sin(dr * (2 * moonLatitude - sunAnomaly))
        correction = correction - 0.0006 * sin(dr * (2 * moonLatitude + moonAnomaly))
        correction = correction + 0.0010 * sin(dr * (2 * moonLatitude - moonAnomaly))
        correction = correction + 0.0005 * sin(dr * (2 * moonAnomaly + sunAnomaly))
        // ΔT, the drift of terrestrial from universal time, in days.
        let deltaT =
            t < -11
            ? 0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
            : -0.000_278 + 0.000_265 * t + 0.000_262 * t2
        return meanNewMoon + correction - deltaT
    }

    /// The Julian day number of the local (UTC+7) day holding the `k`-th new moon: the first day of a lunar month.
    private static func newMoonDay(_ k: Int) -> Int {
        Int(floor(newMoon(k) + 0.5 + timeZone / 24))
    }

    /// The sun's apparent longitude in radians, in [0, 2π), at the Julian date `julianDate`.
    private static func sunLongitude(_ julianDate: Double) -> Double {
        let t = (julianDate - 2_451_545.0) / 36525  // Julian centuries since 2000-01-01 12:00 UTC
        let t2 = t * t
        let dr = radiansPerDegree
        let meanAnomaly = 357.529_10 + 35999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2
        let meanLongitude = 280.466_45 + 36000.769_83 * t + 0.000_303_2 * t2
        var center = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * sin(dr * meanAnomaly)
        center += (0.019_993 - 0.000_101 * t) * sin(dr * 2 * meanAnomaly) + 0.000_290 * sin(dr * 3 * meanAnomaly)
        let longitude = (meanLongitude + center) * dr
        return longitude - 2 * Double.pi * floor(longitude / (2 * Double.pi))
    }

    /// Which 30° sector of the ecliptic the sun is in at the local midnight starting day `dayNumber`: 0 from the
    /// March equinox (Xuân phân), 9 from the winter solstice (Đông chí). A month whose first day and the next
    /// month's first day give the same sector holds no major solar term.
    private static func solarTermSector(dayNumber: Int) -> Int {
        Int(floor(sunLongitude(Double(dayNumber) - 0.5 - timeZone / 24) / Double.pi * 6))
    }

    /// The Julian day number on which lunar month 11 (the month of the winter solstice) of solar `year` begins.
    private static func month11Start(year: Int) -> Int {
        // The new moon before 31 December; if the sun has already passed the solstice then, month 11 began with
        // the new moon before it. (The reference subtracts the epoch's whole day here, unlike elsewhere.)
        let k = Int(floor(Double(julianDay(year: year, month: 12, day: 31) - 2_415_021) / synodicMonth))
        let start = newMoonDay(k)
        return solarTermSector(dayNumber: start) >= 9 ? newMoonDay(k - 1) : start
    }

    /// How many months after month 11 (starting on `month11Start`) the leap month comes, in a year that has one:
    /// the first month whose start and end fall in the same solar-term sector, i.e. that holds no major term.
    private static func leapMonthOffset(month11Start: Int) -> Int {
        let k = Int(floor((Double(month11Start) - newMoonEpoch) / synodicMonth + 0.5))
        var offset = 1  // month 11 itself holds the solstice, so the search starts with the month after it
        var sector = solarTermSector(dayNumber: newMoonDay(k + offset))
        var previous: Int
        repeat {
            previous = sector
            offset += 1
            sector = solarTermSector(dayNumber: newMoonDay(k + offset))
        } while sector != previous && offset < 14
        return offset - 1
    }

    // MARK: - Julian day numbers

    /// The Julian day number of a Gregorian date (C. Tøndering's formula). Integer division stands for the
    /// reference's floor, since every operand is positive for years after 4800 BC; the reference's Julian-calendar
    /// branch for dates before 15 October 1582 is left out, being far outside the range this calendar is for.
    private static func julianDay(year: Int, month: Int, day: Int) -> Int {
        let a = (14 - month) / 12
        let y = year + 4800 - a
        let m = month + 12 * a - 3
        return day + (153 * m + 2) / 5 + 365 * y + y / 4 - y / 100 + y / 400 - 32045
    }

    /// The Gregorian date of a Julian day number (the inverse of `julianDay`).
    private static func localDate(julianDay: Int) -> LocalDate {
        let a = julianDay + 32044
        let b = (4 * a + 3) / 146_097
        let c = a - (b * 146_097) / 4
        let d = (4 * c + 3) / 1461
        let e = c - (1461 * d) / 4
        let m = (5 * e + 2) / 153
        let day = e - (153 * m + 2) / 5 + 1
        let month = m + 3 - 12 * (m / 10)
        let year = b * 100 + d - 4800 + m / 10
        guard let date = LocalDate(year: year, month: month, day: day) else {
            preconditionFailure("\(year)-\(month)-\(day) is outside the years a LocalDate can hold")
        }
        return date
    }
}
