import Foundation

/// Charts drawn on the server as SVG (nothing fetched at run time; they print as they show): the geometry is
/// computed in Swift as numbers (``BarChart``, ``ColumnChart``) and drawn by a template of `Web/templates`
/// (``WebPages/svg(_:)``), so every text (labels from unit names, survey files, the interface texts) is escaped
/// by Mustache, never glued into the markup by hand.
enum Charts {
    /// One bar: a value 0-100 with an optional 95 % interval, or a withheld/empty mark.
    struct Bar {
        let label: String
        let value: Double?
        let interval: ClosedRange<Double>?
        let note: String
        /// The exact figure, printed beside the bar by the one rounding rule (the bar's length uses `value`).
        var exact: Decimal? = nil

        /// The figure as the bar's label prints it.
        var text: String { exact.map { IndexReport.number($0) } ?? value.map { IndexReport.number($0) } ?? "" }
    }

    /// A value 0-100 clamped into the chart, as a share of `length` pixels.
    static func scaled(_ value: Double, to length: Int) -> Int {
        Int(Double(length) * min(max(value, 0), 100) / 100)
    }
}
