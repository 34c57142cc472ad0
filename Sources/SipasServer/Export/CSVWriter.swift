import Foundation
import SipasDomain
/// Writes CSV the way Excel reads Vietnamese correctly and safely: UTF-8 with a byte-order mark,
/// RFC 4180 quoting, CRLF line ends, and every cell that a spreadsheet would take for a formula
/// neutralised (OWASP "CSV injection").
struct CSVWriter {
    private(set) var text: String

    /// With a byte-order mark by default, so Excel reads the file as UTF-8.
    init(byteOrderMark: Bool = true) {
        text = byteOrderMark ? "\u{FEFF}" : ""
    }

    /// Characters that make a spreadsheet evaluate a cell.
    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    mutating func row(_ cells: [String]) {
        text += cells.map(Self.cell).joined(separator: ",") + "\r\n"
    }

    /// One cell: prefixed with `'` when it could start a formula, quoted when it holds a comma, quote or line break.
    static func cell(_ value: String) -> String {
        // Scalars, not Characters: "\r\n" is one Character, equal to neither "\r" nor "\n".
        var value = value
        if let first = value.unicodeScalars.first, formulaStarts.contains(first) { value = "'" + value }
        guard value.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return value
        }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension Double {
    /// A number cell: plain digits with a dot, as spreadsheets import it, by the one rounding rule.
    var csvNumber: String { String(Rounding.double(self, places: Rounding.percentPlaces)) }
}

extension Decimal {
    /// An exact figure as a number cell: the same digits JSON prints.
    var csvNumber: String { String(Rounding.double(self, places: Rounding.percentPlaces)) }
}
