import Foundation

/// RFC 3339 timestamps as the API exchanges them: parsing requires an explicit offset (`Z` or `±hh:mm`),
/// since a time without one is ambiguous; formatting is UTC with milliseconds, so stored text sorts in time order.
public enum Timestamp {
    /// Parses an RFC 3339 date-time with offset, with or without fractional seconds.
    public static func parse(_ text: String) -> Date? {
        // The format styles accept some forms RFC 3339 does not; insist on the offset and the 'T'.
        let hasOffset = text.hasSuffix("Z") || text.hasSuffix("z") || text.range(of: #"[+-]\d\d:\d\d$"#, options: .regularExpression) != nil
        guard hasOffset, text.count >= 20, text.range(of: #"^\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d"#, options: .regularExpression) != nil else {
            return nil
        }
        let normalised = text.uppercased()
        if let date = try? Date(normalised, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) {
            return date
        }
        return try? Date(normalised, strategy: Date.ISO8601FormatStyle())
    }

    /// `2026-11-29T04:00:00.123Z`: UTC, millisecond precision.
    ///
    /// The milliseconds are computed here by rounding, because the format style truncates a binary
    /// fraction such as .123 (stored as .12299…) to .122.
    public static func format(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let fraction = Int(milliseconds - seconds * 1000)
        let whole = Date(timeIntervalSince1970: Double(seconds)).formatted(Date.ISO8601FormatStyle())
        let digits = String(fraction)
        return whole.dropLast() + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    /// The instant truncated to whole milliseconds, the precision that is stored.
    public static func truncatedToMilliseconds(_ date: Date) -> Date {
        // The small bias keeps an exact millisecond (…123.0, held as …122.99…) from dropping one.
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000 + 1e-4).rounded(.down) / 1000)
    }

    /// `2024-03-11T09:30:00+07:00`: Vietnam local time with its offset, to the second.
    public static func formatLocal(_ date: Date) -> String {
        let c = LocalDate.calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { let v = value ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        let day = LocalDate(date).description
        let offset = LocalDate.timeZone.secondsFromGMT(for: date)
        let sign = offset < 0 ? "-" : "+"
        return "\(day)T\(two(c.hour)):\(two(c.minute)):\(two(c.second))\(sign)\(two(abs(offset) / 3600)):\(two(abs(offset) % 3600 / 60))"
    }
}
