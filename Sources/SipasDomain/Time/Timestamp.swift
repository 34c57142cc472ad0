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
    public static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// The instant truncated to whole milliseconds, the precision that is stored.
    public static func truncatedToMilliseconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }
}
