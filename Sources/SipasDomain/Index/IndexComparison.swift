import Foundation

/// The change of one figure between two periods, and whether it is significant at 95 %.
public struct FigureChange: Hashable, Sendable {
    public var id: String
    public var first: Double?
    public var second: Double?
    /// second − first, in percentage points; nil when either figure is withheld or empty.
    public var difference: Double?
    /// 95 % interval of the difference.
    public var ci95: ClosedRange<Double>?
    /// Two-sided p-value, for items (two-proportion z-test).
    public var pValue: Double?
    /// Significant at 95 %; nil when it cannot be judged.
    public var significant: Bool?
    /// The two figures exactly, as printed (see ``Rounding``); the difference printed is their difference.
    public var firstExact: Decimal?
    public var secondExact: Decimal?

    /// second − first, exact; nil when either figure is withheld or empty.
    public var exactDifference: Decimal? {
        guard difference != nil, let firstExact, let secondExact else { return nil }
        return secondExact - firstExact
    }
}

/// Compares the figures of two periods (DOMAIN.md §2).
///
/// - Items: the two-proportion z-test with the pooled proportion (significant when p < 0.05), and the
///   unpooled 95 % interval of the difference.
/// - Elements and the overall index: the difference with the interval `± 1.96 √(SE₁² + SE₂²)`, the periods
///   being independent samples; significant when the interval excludes 0.
public enum IndexComparison {
    public static func overall(_ a: IndexFigures, _ b: IndexFigures, id: String) -> FigureChange {
        intervalChange(id: id, a.overall, b.overall)
    }

    public static func elements(_ a: IndexFigures, _ b: IndexFigures) -> [FigureChange] {
        a.elements.map { first in
            let second = b.elements.first { $0.id == first.id }?.figure
            return intervalChange(
                id: first.id, first.figure,
                second ?? IndexFigure(value: nil, ci95: nil, n: 0, standardError: nil, smallSample: true, withheld: nil)
            )
        }
    }

    public static func items(_ a: IndexFigures, _ b: IndexFigures) -> [FigureChange] {
        a.items.map { first in
            guard let second = b.items.first(where: { $0.id == first.id }) else {
                return FigureChange(
                    id: first.id, first: first.figure.value, second: nil, exact: (first.figure.exact, nil))
            }
            var change = proportionChange(
                id: first.id, first: first.figure.value, second: second.figure.value,
                s1: first.satisfied, n1: first.figure.n, s2: second.satisfied, n2: second.figure.n)
            change.firstExact = first.figure.exact
            change.secondExact = second.figure.exact
            return change
        }
    }

    /// Two-proportion z-test on satisfied / n.
    public static func proportionChange(
        id: String, first: Double?, second: Double?, s1: Int?, n1: Int, s2: Int?, n2: Int
    ) -> FigureChange {
        guard let s1, let s2, n1 > 0, n2 > 0, first != nil, second != nil else {
            return FigureChange(
                id: id, first: first, second: second, exact: (first.map(Rounding.decimal), second.map(Rounding.decimal))
            )
        }
        let p1 = Double(s1) / Double(n1), p2 = Double(s2) / Double(n2)
        let pooled = Double(s1 + s2) / Double(n1 + n2)
        let pooledSE = (pooled * (1 - pooled) * (1 / Double(n1) + 1 / Double(n2))).squareRoot()
        let pValue = pooledSE > 0 ? erfc(abs(p2 - p1) / pooledSE / 2.0.squareRoot()) : 1
        let se = (p1 * (1 - p1) / Double(n1) + p2 * (1 - p2) / Double(n2)).squareRoot()
        let difference = 100 * (p2 - p1)
        let half = 100 * ProportionInterval.z95 * se
        return FigureChange(
            id: id, first: 100 * p1, second: 100 * p2, difference: difference,
            ci95: (difference - half)...(difference + half),
            pValue: pValue, significant: pValue < 0.05, firstExact: Rounding.percent(s1, of: n1),
            secondExact: Rounding.percent(s2, of: n2))
    }

    static func intervalChange(id: String, _ a: IndexFigure, _ b: IndexFigure) -> FigureChange {
        guard let first = a.value, let second = b.value, let se1 = a.standardError, let se2 = b.standardError else {
            return FigureChange(id: id, first: a.value, second: b.value, exact: (a.exact, b.exact))
        }
        let difference = second - first
        let half = ProportionInterval.z95 * (se1 * se1 + se2 * se2).squareRoot()
        let interval = (difference - half)...(difference + half)
        return FigureChange(
            id: id, first: first, second: second, difference: difference, ci95: interval, pValue: nil,
            significant: half > 0 ? !interval.contains(0) : difference != 0, firstExact: a.exact, secondExact: b.exact)
    }
}

extension FigureChange {
    init(id: String, first: Double?, second: Double?, exact: (Decimal?, Decimal?)) {
        self.init(
            id: id, first: first, second: second, difference: nil, ci95: nil, pValue: nil, significant: nil,
            firstExact: exact.0,
            secondExact: exact.1)
    }
}
