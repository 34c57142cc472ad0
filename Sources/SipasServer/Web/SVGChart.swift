/// A chart's geometry, drawn as SVG by the template it names (`Web/templates/<template>.mustache`). Mustache reads
/// the value's stored properties by name, so a chart holds numbers and texts, never markup.
protocol SVGChart: Sendable {
    /// The template that draws the chart.
    static var template: String { get }
}

extension WebPages {
    /// The templates of the charts, checked at start-up with the pages'.
    static let chartTemplates = [BarChart.template, ColumnChart.template]

    /// The chart drawn as SVG, to place in a page as it is (`{{{…}}}`): its texts are escaped by the template.
    func svg(_ chart: some SVGChart) -> String {
        library.render(chart, withTemplate: type(of: chart).template) ?? ""
    }
}
