import Foundation
import SipasDomain

/// A dossiers file: a header naming the fields of the API (in any order; unknown names refused), one
/// dossier a row. Read into submissions for the same intake as the API.
enum DossiersFile {
    static let required = ["code", "procedure", "unit", "channel", "receivedAt", "status"]

    static func submissions(path: String) throws -> [(
        line: Int, submission: Result<DossierSubmission, InvalidInput>
    )] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw OperatorError("\(path): cannot be read as UTF-8 text")
        }
        let records = try CSVReader.records(text)
        guard let header = records.first?.fields.map(\.trimmed) else {
            throw ImportRefused([LineProblem(line: 1, message: "the file is empty")])
        }
        let unknown = header.filter { !DossierSubmission.csvHeader.contains($0) }
        let missing = required.filter { !header.contains($0) }
        if !unknown.isEmpty || !missing.isEmpty || Set(header).count != header.count {
            var message =
                "the header must name the dossier fields (\(DossierSubmission.csvHeader.joined(separator: ",")))"
            if !unknown.isEmpty { message += "; unknown: \(unknown.joined(separator: ", "))" }
            if !missing.isEmpty { message += "; missing: \(missing.joined(separator: ", "))" }
            throw ImportRefused([LineProblem(line: 1, message: message)])
        }
        var problems: [LineProblem] = []
        var result: [(Int, Result<DossierSubmission, InvalidInput>)] = []
        for record in records.dropFirst() {
            guard record.fields.count == header.count else {
                problems.append(
                    LineProblem(
                        line: record.line, message: "has \(record.fields.count) fields, the header has \(header.count)")
                )
                continue
            }
            // Put the cells in the canonical order the domain reads.
            let ordered = DossierSubmission.csvHeader.map { name in
                header.firstIndex(of: name).map { record.fields[$0] } ?? ""
            }
            do {
                result.append((record.line, .success(try DossierSubmission(csv: ordered))))
            } catch {
                result.append((record.line, .failure(error)))
            }
        }
        if !problems.isEmpty { throw ImportRefused(problems) }
        return result
    }
}
