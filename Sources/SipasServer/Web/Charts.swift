import Foundation
/// Charts drawn on the server as SVG (nothing fetched at run time; they print as they show).
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

    /// Horizontal bars with interval whiskers and a reference line (e.g. a goal).
    static func bars(_ bars: [Bar], title: String, goal: Double? = nil) -> String {
        let rowHeight = 30, labelWidth = 330, chartWidth = 360, height = bars.count * rowHeight + 30
        func x(_ value: Double) -> Int { labelWidth + Int(Double(chartWidth) * min(max(value, 0), 100) / 100) }
        var svg =
            #"<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 \#(labelWidth + chartWidth + 110) \#(height)" class="chart"><title>\#(escape(title))</title>"#
        for tick in stride(from: 0, through: 100, by: 25) {
            svg +=
                #"<line x1="\#(x(Double(tick)))" y1="0" x2="\#(x(Double(tick)))" y2="\#(height - 20)" class="grid"/>"#
            svg += #"<text x="\#(x(Double(tick)))" y="\#(height - 5)" class="tick">\#(tick)</text>"#
        }
        for (index, bar) in bars.enumerated() {
            let y = index * rowHeight
            svg += #"<text x="\#(labelWidth - 8)" y="\#(y + 19)" class="label">\#(escape(bar.label))</text>"#
            if let value = bar.value {
                svg +=
                    #"<rect x="\#(labelWidth)" y="\#(y + 6)" width="\#(x(value) - labelWidth)" height="18" class="chart-bar"/>"#
                if let interval = bar.interval {
                    svg +=
                        #"<line x1="\#(x(interval.lowerBound))" y1="\#(y + 15)" x2="\#(x(interval.upperBound))" y2="\#(y + 15)" class="ci"/>"#
                }
                svg +=
                    #"<text x="\#(x(value) + 6)" y="\#(y + 19)" class="value">\#(bar.text)\#(escape(bar.note))</text>"#
            } else {
                svg += #"<text x="\#(labelWidth + 6)" y="\#(y + 19)" class="value muted">\#(escape(bar.note))</text>"#
            }
        }
        if let goal {
            svg += #"<line x1="\#(x(goal))" y1="0" x2="\#(x(goal))" y2="\#(height - 20)" class="goal"/>"#
        }
        return svg + "</svg>"
    }

    /// Vertical bars for a trend (months), with the value above each bar.
    static func columns(_ bars: [Bar], title: String) -> String {
        let columnWidth = 46, chartHeight = 160, width = max(bars.count, 1) * columnWidth + 20
        var svg =
            #"<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 \#(width) \#(chartHeight + 40)" class="chart"><title>\#(escape(title))</title>"#
        for (index, bar) in bars.enumerated() {
            let x = 10 + index * columnWidth
            if let value = bar.value {
                let h = Int(Double(chartHeight) * min(max(value, 0), 100) / 100)
                svg +=
                    #"<rect x="\#(x + 6)" y="\#(chartHeight - h)" width="\#(columnWidth - 12)" height="\#(h)" class="chart-bar"/>"#
                svg +=
                    #"<text x="\#(x + columnWidth / 2)" y="\#(chartHeight - h - 4)" class="tick">\#(Int(value.rounded()))\#(escape(bar.note))</text>"#
            } else {
                let mark = escape(bar.note.isEmpty ? "—" : bar.note)  // why there is no bar: withheld or suppressed
                svg += #"<text x="\#(x + columnWidth / 2)" y="\#(chartHeight - 4)" class="tick muted">\#(mark)</text>"#
            }
            svg +=
                #"<text x="\#(x + columnWidth / 2)" y="\#(chartHeight + 16)" class="tick">\#(escape(bar.label))</text>"#
        }
        return svg + "</svg>"
    }

    /// SVG text is XML: escape what the labels might hold.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
