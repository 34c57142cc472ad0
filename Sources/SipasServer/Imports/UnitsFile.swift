import Foundation
import SipasDomain

/// A units file (`code,name,level,parent,validFrom,validTo`, optionally `,formedFrom,formedBy`), read into rows for
/// ``UnitImport``.
public enum UnitsFile {
    /// The rows of the file; throws ``ImportRefused`` naming lines, or ``OperatorError`` if unreadable.
    public static func rows(path: String) throws -> [UnitRow] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw OperatorError("\(path): cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw OperatorError("\(path): is not UTF-8 text") }
        let withSuccession = text.split(separator: "\n", maxSplits: 1).first.map { $0.contains("formedFrom") } ?? false
        let header = withSuccession ? UnitImport.headerWithSuccession : UnitImport.header
        return try CSVReader.table(text, header: header).map { record in
            let f = record.fields
            return UnitRow(
                line: record.line, code: f[0], name: f[1], level: f[2], parent: f[3], validFrom: f[4], validTo: f[5],
                formedFrom: withSuccession ? f[6] : "", formedBy: withSuccession ? f[7] : "",
                hasSuccession: withSuccession)
        }
    }
}
