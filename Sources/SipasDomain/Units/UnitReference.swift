/// How a request or a token names a unit: a GSO code, or one version of it, `CODE@YYYY-MM-DD` (its `validFrom`).
///
/// A code alone is ambiguous across 1/7/2025, when new communes reused old codes: `30169` was Thị trấn Lấp Vò
/// until 30/6/2025 and is Xã Lấp Vò since (DOMAIN.md §6). ``UnitDirectory/resolve(_:on:preferring:)`` picks the
/// version a bare code means.
public struct UnitReference: Hashable, Sendable, CustomStringConvertible {
    public var code: String
    public var validFrom: LocalDate?

    public init(code: String, validFrom: LocalDate? = nil) {
        self.code = code
        self.validFrom = validFrom
    }

    /// Parses `CODE` or `CODE@YYYY-MM-DD`; nil when the date part is not a date.
    public init?(_ text: String) {
        let parts = text.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let code = parts.first, !code.isEmpty else { return nil }
        if parts.count == 2 {
            guard let date = LocalDate(parts[1]) else { return nil }
            self.init(code: code, validFrom: date)
        } else {
            self.init(code: code)
        }
    }

    public var description: String { validFrom.map { "\(code)@\($0)" } ?? code }
}
