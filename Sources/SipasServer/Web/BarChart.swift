/// Horizontal bars with interval whiskers, a scale of 0-100 and a reference line (e.g. a goal), as
/// `Web/templates/chart-bars.mustache` draws them.
struct BarChart: SVGChart {
    static let template = "chart-bars"

    /// Room for the labels on the left, the bars' 0-100 and the printed figure on the right.
    static let labelWidth = 330, chartWidth = 360, rowHeight = 30

    let title: String
    let width: Int
    let height: Int
    /// Where the grid lines end, above the scale's numbers.
    let gridBottom: Int
    /// The baseline of the scale's numbers.
    let tickY: Int
    let ticks: [Tick]
    let rows: [Row]
    /// The reference line, when there is one.
    let goal: Goal?

    init(_ bars: [Charts.Bar], title: String, goal: Double? = nil) {
        func x(_ value: Double) -> Int { Self.labelWidth + Charts.scaled(value, to: Self.chartWidth) }
        self.title = title
        width = Self.labelWidth + Self.chartWidth + 110
        height = bars.count * Self.rowHeight + 30
        gridBottom = height - 20
        tickY = height - 5
        ticks = stride(from: 0, through: 100, by: 25).map { Tick(x: x(Double($0)), value: $0) }
        rows = bars.enumerated().map { index, bar in
            let y = index * Self.rowHeight
            return Row(
                label: bar.label, labelX: Self.labelWidth - 8, textY: y + 19,
                fill: bar.value.map { value in
                    Fill(
                        x: Self.labelWidth, top: y + 6, length: x(value) - Self.labelWidth,
                        whisker: bar.interval.map { Whisker(from: x($0.lowerBound), to: x($0.upperBound), y: y + 15) },
                        valueX: x(value) + 6, text: bar.text, note: bar.note)
                },
                mark: bar.value == nil ? Mark(x: Self.labelWidth + 6, note: bar.note) : nil)
        }
        self.goal = goal.map { Goal(x: x($0)) }
    }

    /// A grid line and its number on the scale.
    struct Tick: Sendable {
        let x: Int
        let value: Int
    }

    /// One bar's row: its label, and either the bar or the mark saying why there is none.
    struct Row: Sendable {
        let label: String
        let labelX: Int
        /// The baseline of the row's texts.
        let textY: Int
        let fill: Fill?
        let mark: Mark?
    }

    /// The bar drawn, its interval and the figure printed after it.
    struct Fill: Sendable {
        let x: Int
        let top: Int
        let length: Int
        let whisker: Whisker?
        let valueX: Int
        let text: String
        let note: String
    }

    /// The 95 % interval, a line across the bar.
    struct Whisker: Sendable {
        let from: Int
        let to: Int
        let y: Int
    }

    /// What stands in for a bar without a value (withheld, suppressed, nothing counted).
    struct Mark: Sendable {
        let x: Int
        let note: String
    }

    /// The reference line's place.
    struct Goal: Sendable {
        let x: Int
    }
}
