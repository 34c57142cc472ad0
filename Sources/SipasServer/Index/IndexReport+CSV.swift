import Foundation
import SipasDomain

extension IndexReport {
    /// The report as CSV: one row per figure (overall, elements, items, expectations), for the whole scope
    /// and then for each group of the breakdown. Withheld figures have empty values and the reason.
    var csv: String {
        var writer = CSVWriter()
        writer.row([
            "group", "groupLabel", "figure", "id", "label", "value", "ci95Low", "ci95High", "n", "satisfied",
            "meanScore",
            "smallSample", "withheld",
        ])
        func rows(group: String, label: String, _ figures: IndexFigures) {
            writer.row(
                Self.cells(
                    group, label, "sipas", definition.id, IndexName.overall(of: definition).vi, figures.overall,
                    satisfied: nil, mean: nil))
            for element in figures.elements {
                writer.row(
                    Self.cells(
                        group, label, "element", element.id, element.title.vi, element.figure, satisfied: nil,
                        mean: element.exactMeanScore))
            }
            for item in figures.items {
                writer.row(
                    Self.cells(
                        group, label, "item", item.id, self.item(item.id)?.text.vi ?? item.id, item.figure,
                        satisfied: item.satisfied,
                        mean: item.exactMeanScore))
            }
            for share in figures.expectations {
                writer.row([
                    group, label, "expectation", share.id, share.label.vi, share.exactShare?.csvNumber ?? "", "", "",
                    share.count.map(String.init) ?? "", "", "", "",
                    share.count == nil ? Self.withheldShare(figures) : "",
                ])
            }
        }
        rows(group: "", label: unitName ?? request.unit, figures)
        if let excludedFlagged {
            writer.row([
                "", unitName ?? request.unit, "excludedFlagged", "", "flagged responses left out (excludeFlagged=true)",
                "", "", "", String(excludedFlagged), "", "", "", "",
            ])
        }
        for group in groups {
            if let figures = group.figures {
                rows(group: group.key, label: group.label, figures)
            } else if let figure = group.figure {
                writer.row(
                    Self.cells(
                        group.key, group.label, request.groupBy?.rawValue ?? "", group.key, group.label, figure,
                        satisfied: nil, mean: nil))
            }
        }
        // What a reader must know about these figures, as rows of their own (figure "note").
        for note in notes {
            writer.row(["", unitName ?? request.unit, "note", "", note, "", "", "", "", "", "", "", ""])
        }
        return writer.text
    }

    /// Why an expectation share is empty: too few respondents, or the group's complementary suppression.
    private static func withheldShare(_ figures: IndexFigures) -> String {
        figures.overall.suppression == .complementary ? figures.overall.withheld ?? "withheld" : "withheld"
    }

    private static func cells(
        _ group: String, _ groupLabel: String, _ kind: String, _ id: String, _ label: String, _ figure: IndexFigure,
        satisfied: Int?,
        mean: Decimal?
    ) -> [String] {
        [
            group, groupLabel, kind, id, label, figure.exact?.csvNumber ?? "", figure.ci95?.lowerBound.csvNumber ?? "",
            figure.ci95?.upperBound.csvNumber ?? "", figure.publishedN.map(String.init) ?? "",
            satisfied.map(String.init) ?? "", mean?.csvNumber ?? "",
            figure.smallSample ? "yes" : "", figure.withheld ?? "",
        ]
    }
}
