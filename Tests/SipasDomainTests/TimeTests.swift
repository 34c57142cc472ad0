import Foundation
import Testing

@testable import SipasDomain

@Suite("Timestamps and local dates")
struct TimeTests {
    @Test(
        "RFC 3339 with offset is accepted",
        arguments: [
            ("2024-11-29T09:15:30+07:00", "2024-11-29T02:15:30.000Z"),
            ("2024-11-29T02:15:30Z", "2024-11-29T02:15:30.000Z"),
            ("2024-11-29t02:15:30z", "2024-11-29T02:15:30.000Z"),
            ("2024-11-29T02:15:30.5Z", "2024-11-29T02:15:30.500Z"),
            ("2024-11-29T02:15:30.123Z", "2024-11-29T02:15:30.123Z"),
            ("1969-12-31T23:59:59.999Z", "1969-12-31T23:59:59.999Z"),
            ("2024-11-28T21:15:30-05:00", "2024-11-29T02:15:30.000Z"),
        ])
    func accepted(_ text: String, _ utc: String) throws {
        let date = try #require(Timestamp.parse(text))
        #expect(Timestamp.format(date) == utc)
    }

    @Test(
        "anything else is refused",
        arguments: ["2024-11-29T09:15:30", "2024-11-29", "2024-11-29 09:15:30+07:00", "2024-13-01T00:00:00Z", "", "now", "2024-11-29T09:15+07:00"])
    func refused(_ text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test("dates parse strictly and compare")
    func localDates() throws {
        #expect(LocalDate("2024-02-29") != nil)
        #expect(LocalDate("2023-02-29") == nil)
        #expect(LocalDate("2024-2-29") == nil)
        #expect(LocalDate("2024-02-29T00:00") == nil)
        let date = try #require(LocalDate("2025-06-30"))
        #expect(date.adding(days: 1).description == "2025-07-01")
        #expect(date < date.adding(days: 1))
        // Local midnight in Vietnam is 17:00 UTC the day before.
        #expect(Timestamp.format(date.startOfDay) == "2025-06-29T17:00:00.000Z")
    }
}
