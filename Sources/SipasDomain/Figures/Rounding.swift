import Foundation

/// The one rounding rule of every printed figure: **half away from zero on the exact value**, so a figure reads the
/// same in text, CSV and JSON (87 of 160 satisfied answers is 54,375 %: printed 54,38 %, never 54,37 %).
///
/// Figures are carried as `Decimal` where they are rounded: a rate is the exact fraction of two counts, and a mean of
/// rates is computed to 38 significant digits, so a binary floating-point error (0.54375 is 0.543749999… as a
/// `Double`) can never move a figure across a rounding boundary.
public enum Rounding {
    /// Decimal places of a published percentage (54,38 %).
    public static let percentPlaces = 2
    /// Decimal places of published points (2,95/3 điểm).
    public static let pointsPlaces = 2

    /// `value` rounded to `places` decimals, half away from zero.
    public static func rounded(_ value: Decimal, places: Int) -> Decimal {
        var input = value
        var result = Decimal()
        NSDecimalRound(&result, &input, places, .plain)
        return result
    }

    /// The exact decimal a `Double` was written as (its shortest representation: 0.813, not 0.81299999999999994).
    public static func decimal(_ value: Double) -> Decimal {
        Decimal(string: "\(value)", locale: Locale(identifier: "en_US_POSIX")) ?? Decimal(value)
    }

    /// 100 × numerator / denominator, exact to 38 digits; nil when the denominator is 0.
    public static func percent(_ numerator: Int, of denominator: Int) -> Decimal? {
        guard denominator > 0 else { return nil }
        return Decimal(numerator) * 100 / Decimal(denominator)
    }

    /// A rounded figure as a JSON number (the `Double` nearest the rounded decimal, which prints as that decimal).
    public static func double(_ value: Decimal, places: Int) -> Double {
        // Parsed from the decimal's digits: NSDecimalNumber.doubleValue can miss the nearest Double (54.379999999999995).
        let rounded = rounded(value, places: places)
        return Double("\(rounded)") ?? NSDecimalNumber(decimal: rounded).doubleValue
    }

    /// A figure computed in floating point (an interval bound, a standard error), rounded by the same rule from the
    /// decimal it prints as.
    public static func double(_ value: Double, places: Int) -> Double {
        double(decimal(value), places: places)
    }

    /// A figure for people: rounded to at most `places` decimals, a decimal comma (Vietnamese usage) and no trailing
    /// zeros beyond `minimumPlaces` ("54,38", "2,95", "3", "0,75").
    public static func text(_ value: Decimal, places: Int, minimumPlaces: Int = 0) -> String {
        let rounded = rounded(value, places: places)
        let negative = rounded < 0
        var digits = "\(negative ? -rounded : rounded)"  // Decimal's description: plain digits with a '.'
        if !digits.contains(".") { digits += "." }
        var parts = digits.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        while parts[1].count < minimumPlaces { parts[1] += "0" }
        while parts[1].count > minimumPlaces && parts[1].hasSuffix("0") { parts[1].removeLast() }
        let body = parts[1].isEmpty ? parts[0] : parts[0] + "," + parts[1]
        return negative ? "-" + body : body
    }
}
