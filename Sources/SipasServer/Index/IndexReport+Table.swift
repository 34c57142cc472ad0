import Foundation
import SipasDomain

extension IndexReport {
    /// A readable table in Vietnamese for the terminal: the index, elements and items with their
    /// intervals and n, `*` on small samples and `—` where a figure is withheld.
    var table: String {
        var lines: [String] = []
        let period = "\(Self.vietnamese(request.from))–\(Self.vietnamese(request.to))"
        lines.append("\(definition.title.vi)")
        lines.append("Đơn vị: \(unitName ?? request.unit) (\(request.unit)), thời gian: \(period)")
        lines.append("Số người trả lời: \(figures.respondents)")
        lines.append("")
        var rows: [[String]] = [["Chỉ tiêu", "Chỉ số", "KTC 95%", "n", "Điểm TB"]]
        func add(_ label: String, _ figure: IndexFigure, mean: Decimal?) {
            rows.append([
                label, Self.percent(figure),
                figure.ci95.map { "\(Self.number($0.lowerBound))–\(Self.number($0.upperBound))" } ?? "",
                Self.count(figure), mean.map { Self.number($0) } ?? "",
            ])
        }
        func section(_ figures: IndexFigures, indent: String) {
            add("\(indent)\(IndexName.overall(of: definition).vi)", figures.overall, mean: nil)
            for element in figures.elements {
                add("\(indent)  \(element.title.vi)", element.figure, mean: element.exactMeanScore)
                for item in figures.items where item.element == element.id {
                    let text = self.item(item.id)?.text.vi ?? item.id
                    add("\(indent)    \(item.id) \(Self.shortened(text, 48))", item.figure, mean: item.exactMeanScore)
                }
            }
        }
        section(figures, indent: "")
        lines.append(Self.columns(rows))
        for group in groups {
            lines.append("")
            lines.append("— \(group.label) (\(group.key))")
            var groupRows: [[String]] = [["Chỉ tiêu", "Chỉ số", "KTC 95%", "n", "Điểm TB"]]
            if let figures = group.figures {
                let respondents = figures.publishedRespondents.map(String.init) ?? Self.percent(figures.overall)
                groupRows.append(["Số người trả lời", respondents, "", "", ""])
                let overall = figures.overall
                groupRows.append([
                    IndexName.overall(of: definition).vi, Self.percent(overall),
                    overall.ci95.map { "\(Self.number($0.lowerBound))–\(Self.number($0.upperBound))" } ?? "",
                    Self.count(overall), "",
                ])
                for element in figures.elements {
                    groupRows.append([
                        "  \(element.title.vi)", Self.percent(element.figure), "", Self.count(element.figure),
                        element.exactMeanScore.map { Self.number($0) } ?? "",
                    ])
                }
            } else if let figure = group.figure {
                groupRows.append([group.label, Self.percent(figure), "", Self.count(figure), ""])
            }
            lines.append(Self.columns(groupRows))
        }
        lines.append("")
        lines.append(
            "* cỡ mẫu nhỏ (n < \(policy.smallSampleThreshold));  — không công bố (dưới \(policy.privacyMinimum) người trả lời)"
        )
        if hasComplementarySuppression {
            lines.append(
                "\(Self.complementaryMark) ẩn bổ sung: để không suy ra được ô không công bố từ tổng và các ô còn lại")
        }
        for note in notes {
            lines.append("")
            lines.append(note)
        }
        return lines.joined(separator: "\n")
    }

    // MARK: - Vietnamese formatting

    /// Marks a cell suppressed so that a withheld one cannot be derived (complementary suppression).
    static let complementaryMark = "×"

    /// `82,66 %`, `82,66 % *` for a small sample, `—` when withheld, `×` when suppressed as a complement.
    static func percent(_ figure: IndexFigure) -> String {
        guard let value = figure.exact else {
            return figure.suppression == .complementary ? complementaryMark : figure.withheld != nil ? "—" : ""
        }
        return "\(number(value)) %" + (figure.smallSample ? " *" : "")
    }

    /// The n as published: `—` (or `×`) when a breakdown suppresses it.
    static func count(_ figure: IndexFigure) -> String {
        figure.publishedN.map(String.init) ?? percent(figure)
    }

    /// Two decimals with a decimal comma, as Vietnamese documents write numbers, by the one rounding rule.
    static func number(_ value: Decimal) -> String {
        Rounding.text(value, places: Rounding.percentPlaces, minimumPlaces: Rounding.percentPlaces)
    }

    /// A figure computed in floating point (an interval bound), by the same rule.
    static func number(_ value: Double) -> String { number(Rounding.decimal(value)) }

    static func vietnamese(_ date: LocalDate) -> String {
        String(format: "%02d/%02d/%04d", date.day, date.month, date.year)
    }

    static func shortened(_ text: String, _ length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }

    static func columns(_ rows: [[String]]) -> String {
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
