/// Vertical bars for a trend (months), with the value above each bar, as `Web/templates/chart-columns.mustache`
/// draws them.
struct ColumnChart: SVGChart {
    static let template = "chart-columns"

    static let columnWidth = 46, chartHeight = 160

    let title: String
    let width: Int
    let height: Int
    let columns: [Column]

    init(_ bars: [Charts.Bar], title: String) {
        self.title = title
        width = max(bars.count, 1) * Self.columnWidth + 20
        height = Self.chartHeight + 40
        columns = bars.enumerated().map { index, bar in
            let x = 10 + index * Self.columnWidth
            return Column(
                label: bar.label, centre: x + Self.columnWidth / 2, axisY: Self.chartHeight + 16,
                fill: bar.value.map { value in
                    let length = Charts.scaled(value, to: Self.chartHeight)
                    return Fill(
                        x: x + 6, top: Self.chartHeight - length, breadth: Self.columnWidth - 12, length: length,
                        valueY: Self.chartHeight - length - 4, text: "\(Int(value.rounded()))", note: bar.note)
                },
                // Why there is no bar: withheld or suppressed.
                mark: bar.value == nil ? Mark(y: Self.chartHeight - 4, note: bar.note.isEmpty ? "—" : bar.note) : nil)
        }
    }

    /// One column: its label under the axis, and either the bar or the mark saying why there is none.
    struct Column: Sendable {
        let label: String
        let centre: Int
        /// The baseline of the label under the axis.
        let axisY: Int
        let fill: Fill?
        let mark: Mark?
    }

    /// The bar drawn and the value printed above it.
    struct Fill: Sendable {
        let x: Int
        let top: Int
        let breadth: Int
        let length: Int
        let valueY: Int
        let text: String
        let note: String
    }

    /// What stands in for a bar without a value.
    struct Mark: Sendable {
        let y: Int
        let note: String
    }
}
