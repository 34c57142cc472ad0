import Foundation
import Testing

@testable import SipasDomain

@Suite("Timestamps and local dates")
struct TimeTests {
    @Test(
        "RFC 3339 with offset is accepted",
        arguments: [
            Named("Vietnam's +07:00", ("2024-11-29T09:15:30+07:00", "2024-11-29T02:15:30.000Z")),
            Named("Z", ("2024-11-29T02:15:30Z", "2024-11-29T02:15:30.000Z")),
            Named("lower-case t and z", ("2024-11-29t02:15:30z", "2024-11-29T02:15:30.000Z")),
            Named("half a second", ("2024-11-29T02:15:30.5Z", "2024-11-29T02:15:30.500Z")),
            Named("milliseconds", ("2024-11-29T02:15:30.123Z", "2024-11-29T02:15:30.123Z")),
            Named("before 1970", ("1969-12-31T23:59:59.999Z", "1969-12-31T23:59:59.999Z")),
            Named("a negative offset", ("2024-11-28T21:15:30-05:00", "2024-11-29T02:15:30.000Z")),
            Named("a half-hour offset across a leap day", ("2024-02-29T23:30:00-01:30", "2024-03-01T01:00:00.000Z")),
            Named("a tenth of a millisecond goes", ("2000-02-29T00:00:00.0001+00:00", "2000-02-29T00:00:00.000Z")),
            Named("0.9996 s rounds into the next year", ("2025-12-31T23:59:59.9996Z", "2026-01-01T00:00:00.000Z")),
            Named("1900", ("1900-03-01T07:00:00+07:00", "1900-03-01T00:00:00.000Z")),
        ] as [Named<(String, String)>])
    func accepted(_ example: Named<(String, String)>) throws {
        let (text, utc) = example.value
        let date = try #require(Timestamp.parse(text))
        #expect(Timestamp.format(date) == utc)
    }

    @Test(
        "anything else is refused",
        arguments: [
            Named("no offset", "2024-11-29T09:15:30"), Named("a date only", "2024-11-29"),
            Named("a space for the T", "2024-11-29 09:15:30+07:00"), Named("month 13", "2024-13-01T00:00:00Z"),
            Named("empty", ""), Named("a word", "now"), Named("no seconds", "2024-11-29T09:15+07:00"),
            Named("29 February of a common year", "2023-02-29T00:00:00Z"), Named("31 April", "2024-04-31T00:00:00Z"),
            Named("hour 24", "2024-11-29T24:00:00Z"), Named("minute 60", "2024-11-29T09:60:00Z"),
            Named("second 60", "2024-11-29T09:15:60Z"), Named("a dot without digits", "2024-11-29T09:15:30.Z"),
            Named("a one-digit offset hour", "2024-11-29T09:15:30+7:00"),
            Named("text after the offset", "2024-11-29T09:15:30+07:00x"),
            Named("offset +24:00", "2024-11-29T09:15:30+24:00"), Named("Z twice", "2024-11-29T09:15:30Zz"),
            Named("full-width digits", "２０２４-11-29T09:15:30Z"),
            Named("a sign before the year", "+2024-11-29T09:15:30Z"),
        ])
    func refused(_ example: Named<String>) {
        #expect(Timestamp.parse(example.value) == nil)
    }

    @Test("formatting agrees with Foundation's calendar on every day from 1901 to 2099")
    func civilArithmetic() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var components = DateComponents(year: 1901, month: 1, day: 1, hour: 13, minute: 7, second: 9)
        let formatter = Date.ISO8601FormatStyle()
        for _ in 0..<(199 * 366) {
            let date = try #require(calendar.date(from: components))
            guard components.year! < 2100 else { break }
            let expected = String(date.formatted(formatter).dropLast()) + ".000Z"
            #expect(Timestamp.format(date) == expected)
            #expect(Timestamp.parse(expected) == date)
            components = calendar.dateComponents(
                [.year, .month, .day, .hour, .minute, .second], from: date.addingTimeInterval(86_400))
        }
    }

    @Test("dates parse strictly and compare")
    func localDates() throws {
        #expect(LocalDate("2024-02-29") != nil)
        #expect(LocalDate("2023-02-29") == nil)
        #expect(LocalDate("2024-2-29") == nil)
        #expect(LocalDate("2024-02-29T00:00") == nil)
        #expect(LocalDate("+024-01-01") == nil)
        #expect(LocalDate("2024-+1-01") == nil)
        let date = try #require(LocalDate("2025-06-30"))
        #expect(date.adding(days: 1).description == "2025-07-01")
        #expect(date < date.adding(days: 1))
        // Local midnight in Vietnam is 17:00 UTC the day before.
        #expect(Timestamp.format(date.startOfDay) == "2025-06-29T17:00:00.000Z")
    }
}
