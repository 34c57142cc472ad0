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
        // The decimal's nearest Double is within a few units in the last place of it, far closer than any figure is
        // to a half, so it rounds the same way; only a value next to a half goes through the decimal's digits.
        awayFromHalf(NSDecimalNumber(decimal: value).doubleValue, places: places)
            ?? doubleByDigits(value, places: places)
    }

    /// The rule worked on the decimal's digits: NSDecimalRound, then the digits parsed (NSDecimalNumber.doubleValue
    /// can miss the nearest Double of the rounded decimal: 54.379999999999995).
    static func doubleByDigits(_ value: Decimal, places: Int) -> Double {
        let rounded = rounded(value, places: places)
        return Double("\(rounded)") ?? NSDecimalNumber(decimal: rounded).doubleValue
    }

    /// A figure computed in floating point (an interval bound, a standard error), rounded by the same rule from the
    /// decimal it prints as.
    public static func double(_ value: Double, places: Int) -> Double {
        awayFromHalf(value, places: places) ?? shortestDigitsRounded(value, places: places)
            ?? doubleByDigits(decimal(value), places: places)
    }

    /// `value` rounded in binary, when it is far from a half of the last place kept: its printed digits (or the
    /// decimal it approximates) differ from it by a few units in its last binary place, a billionth of a hundredth
    /// here, so they round the same way. The result `whole / 10^places` is a correctly rounded division of two exact
    /// Doubles: the Double nearest the rounded decimal, as parsing its digits gives. Nil next to a half, for large
    /// magnitudes and for non-finite values, which the digits decide.
    static func awayFromHalf(_ value: Double, places: Int) -> Double? {
        guard value.isFinite, places >= 0, places < powersOfTen.count else { return nil }
        let scale = powersOfTen[places]
        let scaled = value * scale
        // Below 2^24 a unit in the last place of `scaled` is under 4e-9, far inside the margin below.
        guard abs(scaled) < 16_777_216 else { return nil }
        let below = scaled.rounded(.down)
        let fraction = scaled - below
        guard abs(fraction - 0.5) > 1e-6 else { return nil }
        let whole = fraction > 0.5 ? below + 1 : below
        // Zero is written without a sign, as the Decimal path writes it.
        return whole == 0 ? 0 : whole / scale
    }

    /// 10^0 … 10^9, each exact as a Double.
    private static let powersOfTen: [Double] = (0...9).map { pow(10, Double($0)) }

    /// The same rule worked on the digits `value` prints as, without Decimal arithmetic (a grouped index reply rounds
    /// thousands of figures, and Decimal took a fifth of its time). Nil for what it does not handle (an exponent, a
    /// non-finite value), which the Decimal path rounds.
    static func shortestDigitsRounded(_ value: Double, places: Int) -> Double? {
        guard value.isFinite, places >= 0 else { return nil }
        let text = "\(value)"  // the shortest digits that read back as `value`
        guard !text.contains("e") else { return nil }
        let negative = text.hasPrefix("-")
        let parts = text.dropFirst(negative ? 1 : 0).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let fraction = Array(parts[1].utf8)
        // Zero is written without a sign, as the Decimal path writes it.
        guard fraction.count > places else { return value == 0 ? 0 : value }
        // Half away from zero: the magnitude rounds up when the first digit dropped is 5 or more.
        var digits = Array(parts[0].utf8) + fraction[..<places]
        if fraction[places] >= UInt8(ascii: "5") {
            var index = digits.count - 1
            while index >= 0 && digits[index] == UInt8(ascii: "9") {
                digits[index] = UInt8(ascii: "0")
                index -= 1
            }
            if index >= 0 { digits[index] += 1 } else { digits.insert(UInt8(ascii: "1"), at: 0) }
        }
        let whole = digits.count - places
        let rounded =
            (negative ? "-" : "") + String(decoding: digits[..<whole], as: UTF8.self) + "."
            + String(decoding: digits[whole...], as: UTF8.self) + (places == 0 ? "0" : "")
        return Double(rounded).map { $0 == 0 ? 0 : $0 }
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
