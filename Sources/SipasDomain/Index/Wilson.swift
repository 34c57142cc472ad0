import Foundation

/// Confidence intervals for proportions.
public enum ProportionInterval {
    /// z for a two-sided 95 % interval.
    public static let z95 = 1.959963984540054

    /// The Wilson score interval of a proportion `p` observed on `n` trials, as fractions (0…1).
    ///
    /// Unlike the normal ("Wald") interval it stays inside [0, 1] and does not collapse to a point when
    /// every answer is satisfied, which matters for small units. `n` may be an effective sample size.
    ///
    /// - Returns: nil when `n` is not positive.
    public static func wilson(proportion p: Double, n: Double, z: Double = z95) -> ClosedRange<Double>? {
        guard n > 0 else { return nil }
        let z2 = z * z
        let centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        let half = z / (1 + z2 / n) * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        return max(0, centre - half)...min(1, centre + half)
    }
}
